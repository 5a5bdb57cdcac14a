// Where the ranking's facts come from: matching's own read models only, never another service.
// Every loader is here, so wiring a new read model (home spaces, networks, satellite leases,
// referrals, assignments) touches this one file. Until a read model exists in matching, its
// loader answers "nothing known": no home spaces, no network, no assignments, no referrals —
// and, for a confidential order, nobody allowed on site (a confidential order must never rank
// someone the client's office would not admit).

import { isoDate } from '@hub/contracts';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { WorkerSkillFact } from './score.js';

/** An affiliation as the index keeps it: Tokyo days, `endsOn` inclusive. */
export type IndexedAffiliation = {
  readonly organizationId: string;
  readonly startsOn: string;
  readonly endsOn: string | null;
};

/** What the index holds per worker: the facts that do not depend on the order or the caller. */
export type IndexedWorkerFacts = {
  readonly memberId: string;
  readonly skills: readonly WorkerSkillFact[];
  /** null = not stated: no capacity, so never a candidate (an offer would be refused). */
  readonly availableHoursPerWeek: number | null;
  readonly municipalityCode: string | null;
  readonly affiliations: readonly IndexedAffiliation[];
  readonly homeSpaceIds: readonly string[];
  /** Hours allocated to their open (offered, accepted, in progress) assignments. */
  readonly openAllocatedHours: number;
  /** Hours assigned to them in the last 90 days. */
  readonly recentAssignedHours: number;
  readonly completedHours: number;
  readonly ratingSum: number;
  readonly ratingCount: number;
};

/** What the ranking needs of an order beyond its own columns. */
export type OrderContextFacts = {
  /** Whose workers are the candidates: the receiving organisation (a partner for a delegated part). */
  readonly poolOrganizationId: string;
  /** The member leading a delegated part, who may rank its candidates; null otherwise. */
  readonly leaderMemberId: string | null;
  readonly hoursPerUnit: number;
  readonly centreMunicipalityCode: string | null;
  readonly centreNetworkSpaceIds: ReadonlySet<string>;
  /** For a confidential order, members allowed into the client's satellite office. */
  readonly allowedOnSiteMemberIds: ReadonlySet<string>;
};

export type RankedOrderRow = {
  id: string;
  clientId: string;
  receivingCentreId: string | null;
  requiresOnSite: boolean;
};

/** Skills as worker.skills stores them; a `verified` (or `isVerified`) flag counts when present. */
export function readRankingSkills(value: unknown): WorkerSkillFact[] {
  if (!Array.isArray(value)) return [];
  const skills: WorkerSkillFact[] = [];
  for (const entry of value) {
    if (!entry || typeof entry !== 'object') continue;
    const { code, level, verified, isVerified } = entry as Record<string, unknown>;
    if (typeof code !== 'string' || typeof level !== 'number' || !Number.isInteger(level)) continue;
    skills.push({ code, level, verified: verified === true || isVerified === true });
  }
  return skills;
}

/**
 * Facts of these workers (all when `memberIds` is null). A member without a worker row — erased,
 * or never registered — is absent from the answer.
 */
export async function loadWorkerFacts(
  prisma: PrismaClient,
  memberIds: readonly string[] | null,
): Promise<IndexedWorkerFacts[]> {
  const where = memberIds === null ? {} : { memberId: { in: [...memberIds] } };
  const [workers, affiliations] = await Promise.all([
    prisma.worker.findMany({
      where,
      select: {
        memberId: true,
        skills: true,
        availableHoursPerWeek: true,
        municipalityCode: true,
      },
    }),
    prisma.workerAffiliation.findMany({
      where,
      select: { memberId: true, organizationId: true, startsOn: true, endsOn: true },
    }),
  ]);
  const byMember = new Map<string, IndexedAffiliation[]>();
  for (const row of affiliations) {
    const list = byMember.get(row.memberId) ?? [];
    list.push({
      organizationId: row.organizationId,
      startsOn: isoDate(row.startsOn),
      endsOn: row.endsOn ? isoDate(row.endsOn) : null,
    });
    byMember.set(row.memberId, list);
  }
  const ids = workers.map((worker) => worker.memberId);
  const [homeSpaces, work] = await Promise.all([
    loadHomeSpaces(prisma, ids),
    loadAssignmentFacts(prisma, ids),
  ]);
  return workers.map((worker) => {
    const record = work.get(worker.memberId);
    return {
      memberId: worker.memberId,
      skills: readRankingSkills(worker.skills),
      availableHoursPerWeek: worker.availableHoursPerWeek,
      municipalityCode: worker.municipalityCode,
      affiliations: byMember.get(worker.memberId) ?? [],
      homeSpaceIds: homeSpaces.get(worker.memberId) ?? [],
      openAllocatedHours: record?.openAllocatedHours ?? 0,
      recentAssignedHours: record?.recentAssignedHours ?? 0,
      completedHours: record?.completedHours ?? 0,
      ratingSum: record?.ratingSum ?? 0,
      ratingCount: record?.ratingCount ?? 0,
    };
  });
}

type AssignmentFacts = Pick<
  IndexedWorkerFacts,
  'openAllocatedHours' | 'recentAssignedHours' | 'completedHours' | 'ratingSum' | 'ratingCount'
>;

/** Home spaces per member (spaces' memberships, read model of the facts work): none known yet. */
async function loadHomeSpaces(
  _prisma: PrismaClient,
  _memberIds: readonly string[],
): Promise<Map<string, string[]>> {
  return new Map();
}

/** Assignment figures per member (the assignments of the orders work): none recorded yet. */
async function loadAssignmentFacts(
  _prisma: PrismaClient,
  _memberIds: readonly string[],
): Promise<Map<string, AssignmentFacts>> {
  return new Map();
}

/**
 * The order's pool, leader, hours per unit, centre place and, for a confidential order, who may
 * work on site. The centre's municipality and networks and the client's satellite leases come
 * from the spaces read models; until they exist, nothing is known (and nobody is allowed).
 */
export async function loadOrderContext(
  _prisma: PrismaClient,
  order: RankedOrderRow,
): Promise<OrderContextFacts> {
  return {
    poolOrganizationId: order.receivingCentreId ?? order.clientId,
    leaderMemberId: null,
    hoursPerUnit: 1,
    centreMunicipalityCode: null,
    centreNetworkSpaceIds: new Set(),
    allowedOnSiteMemberIds: new Set(),
  };
}

/**
 * Referral distance from the coordinator or leader to each member they may see connected
 * (the trust-holes visibility rule applies in the referrals read model): none known yet.
 */
export async function loadTrustDistances(
  _prisma: PrismaClient,
  _viewerMemberId: string | null,
): Promise<ReadonlyMap<string, number>> {
  return new Map();
}
