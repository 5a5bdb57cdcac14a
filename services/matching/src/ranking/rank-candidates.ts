import { AppError, hubAuthScopes, requestToday } from '@hub/service-kit';
import { callerTrustViewer } from '../authorization/caller-view.js';
import { callerLeads } from '../authorization/leader-access.js';
import { callerStaffOrganizationIds, workerGuard } from '../authorization/worker-access.js';
import type { MatchingContext } from '../builder.js';
import { offerPeriod } from '../domain/assignments/capacity.js';
import type { WorkOrder } from '../generated/prisma/client.js';
import type { TrustViewer } from '../read-models/trust.js';
import { loadOrderContext, loadRequiredSkills, poolOrganizationOf } from './facts.js';
import { type RankedCandidate, type ReadableWorkers, rankingIndexFeed } from './index.js';
import { type OrderFacts, TRUST_RANKED_HOPS } from './score.js';
import { readRankingWeights } from './weights.js';

export const CANDIDATES_MAX = 50;

/** Whole hours of work: the volume, or units × hours per unit rounded up. */
export function hoursNeeded(
  order: Pick<WorkOrder, 'volume' | 'volumeUnit'>,
  hoursPerUnit: number,
): number {
  return order.volumeUnit === 'HOURS' ? order.volume : Math.ceil(order.volume * hoursPerUnit);
}

/**
 * Who may rank an order's candidates: hub admins, staff (coordinators) of the organisation whose
 * workers are the pool — the receiving centre, or the partner of a delegated part — and the
 * leader of a delegated part while registered with the partner (leader-access.ts).
 */
async function assertMayRank(
  context: MatchingContext,
  facts: { poolOrganizationId: string; leaderMemberId: string | null },
): Promise<void> {
  if (hubAuthScopes(context).admin) return;
  const identity = context.identity;
  if (!identity) throw new AppError('UNAUTHENTICATED', 'サインインが必要です (sign-in required)');
  if (callerStaffOrganizationIds(context).includes(facts.poolOrganizationId)) return;
  const led = { leaderMemberId: facts.leaderMemberId, receivingCentreId: facts.poolOrganizationId };
  if (await callerLeads(context, led)) return;
  throw new AppError(
    'FORBIDDEN',
    '候補者を見られるのは受託組織のスタッフ、委託先のリーダー、ハブ管理者だけです (only the receiving organisation’s staff, the leader of a delegated part and hub admins see candidates)',
  );
}

/** The kit's rule for the workers' personal data, as the index applies it. */
async function readableWorkers(context: MatchingContext): Promise<ReadableWorkers> {
  const readable = await workerGuard.readableMembers(context, 'personal');
  if (readable instanceof AppError) throw readable;
  if (readable.all) return { all: true };
  // Partner keys never get here (assertMayRank), so consents do not widen the list.
  return { all: false, memberId: readable.memberId, registeredWith: readable.registeredWith };
}

/**
 * Whose referral distances count: the coordinator or leader asking, over the links they may
 * read; a hub admin reads every link. Not a member (a service call) → none.
 */
function trustAsker(
  context: MatchingContext,
  today: string,
): { memberId: string; viewer: TrustViewer } | null {
  const viewer = callerTrustViewer(context, today);
  const identity = context.identity;
  if (viewer === null || identity?.kind !== 'member') return null;
  return { memberId: identity.memberId, viewer };
}

/**
 * The order's top candidates, each explained: workers registered today with the pool
 * organisation whom the caller may read, eligible (ineligibility in score.ts), ranked with the
 * pool organisation's weights (defaults if it set none).
 */
export async function rankCandidates(
  context: MatchingContext,
  order: WorkOrder,
  first: number,
): Promise<RankedCandidate[]> {
  const { prisma } = context;
  // Who may ask follows from the order row (and, for a leader, their registration): a refused
  // caller costs none of the reads below.
  const poolOrganizationId = poolOrganizationOf(order);
  await assertMayRank(context, { poolOrganizationId, leaderMemberId: order.leaderMemberId });
  const today = requestToday(context);
  // Every read at once: one round trip's wait instead of one after another.
  const feed = rankingIndexFeed(prisma);
  const [facts, readable, requiredSkills, weightsRow, index] = await Promise.all([
    loadOrderContext(prisma, order, poolOrganizationId, today),
    readableWorkers(context),
    loadRequiredSkills(prisma, order.id),
    prisma.rankingWeights.findUnique({ where: { centreOrganizationId: poolOrganizationId } }),
    feed.current(),
  ]);
  // Referral distances from the coordinator or leader asking, over the links they may read, as
  // far as a distance still earns trust points: the feed's graph is as current as its index.
  const asker = trustAsker(context, today);
  const trustDistances =
    asker === null
      ? new Map<string, number>()
      : feed.trust.distancesFrom(asker.memberId, asker.viewer, TRUST_RANKED_HOPS);
  const orderFacts: OrderFacts = {
    requiredSkills,
    hoursNeeded: hoursNeeded(order, facts.hoursPerUnit),
    centreMunicipalityCodes: facts.centreMunicipalityCodes,
    centreNetworkSpaceIds: facts.centreNetworkSpaceIds,
    allowedMemberIds: order.requiresOnSite ? facts.allowedOnSiteMemberIds : null,
  };
  return index.rank({
    order: orderFacts,
    // The period an offer would cover, so a candidate's free hours are the offers' own figure.
    periodWeeks: offerPeriod(order, new Date()).weeks,
    poolOrganizationId,
    readable,
    today,
    trustDistances,
    weights: readRankingWeights(weightsRow?.weights),
    first,
  });
}
