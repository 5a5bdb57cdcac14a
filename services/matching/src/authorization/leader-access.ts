import { activeOn } from '@hub/contracts';
import { requestLoader, requestToday } from '@hub/service-kit';
import type { MatchingContext } from '../builder.js';
import { isRegisteredWith } from '../domain/assignments/eligibility.js';
import type { Prisma, WorkOrder } from '../generated/prisma/client.js';

// The leader a delegation named distributes the part in the partner's name; the delegation
// required them to be registered with the partner (delegate-work-order.ts). Staff lose an
// organisation's orders when they leave it (their token stops naming it); the leader likewise
// keeps the part — offering, completing, reading its assignments, ranking its candidates — only
// while registered with the order's receiving organisation (worker_affiliation active today).

export type LedOrder = Pick<WorkOrder, 'leaderMemberId' | 'receivingCentreId'>;

/** Whether the member leads the order today: named its leader and registered with its receiver. */
export async function isLeaderOf(
  db: Prisma.TransactionClient,
  memberId: string | null,
  order: LedOrder,
): Promise<boolean> {
  if (memberId === null || memberId !== order.leaderMemberId || !order.receivingCentreId) {
    return false;
  }
  return isRegisteredWith(db, memberId, order.receivingCentreId);
}

/** The caller's registrations today among these organisations: one query per request. */
function callerRegistrationLoader(context: MatchingContext, memberId: string) {
  return requestLoader(context, `leaderRegistrations:${memberId}`, {
    fetch: (organizationIds: readonly string[]) =>
      context.prisma.workerAffiliation.findMany({
        where: {
          memberId,
          organizationId: { in: [...organizationIds] },
          ...activeOn(requestToday(context)),
        },
        select: { organizationId: true },
        distinct: ['organizationId'],
      }),
    keyOf: (row) => row.organizationId,
  });
}

/** isLeaderOf for the signed-in caller, batched per request (field guards, lists). */
export async function callerLeads(context: MatchingContext, order: LedOrder): Promise<boolean> {
  const { identity } = context;
  if (identity?.kind !== 'member' || identity.memberId !== order.leaderMemberId) return false;
  if (!order.receivingCentreId) return false;
  const registration = await callerRegistrationLoader(context, identity.memberId).load(
    order.receivingCentreId,
  );
  return registration !== null;
}

/**
 * The orders the signed-in caller leads today, as a filter for lists: named the leader, and the
 * order's receiver one they are registered with. null: they lead none.
 */
export async function ordersCallerLeads(
  context: MatchingContext,
): Promise<Prisma.WorkOrderWhereInput | null> {
  const { identity } = context;
  if (identity?.kind !== 'member') return null;
  const registrations = await context.prisma.workerAffiliation.findMany({
    where: { memberId: identity.memberId, ...activeOn(requestToday(context)) },
    select: { organizationId: true },
  });
  if (registrations.length === 0) return null;
  return {
    leaderMemberId: identity.memberId,
    receivingCentreId: { in: registrations.map((row) => row.organizationId) },
  };
}
