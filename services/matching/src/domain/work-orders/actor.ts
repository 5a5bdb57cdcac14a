import {
  callerSpeaksFor,
  hubAuthScopes,
  type SpeaksFor,
  unauthorizedError,
} from '@hub/service-kit';
import { callerLeads, isLeaderOf } from '../../authorization/leader-access.js';
import { callerStaffOrganizationIds } from '../../authorization/worker-access.js';
import type { MatchingContext } from '../../builder.js';
import type { Prisma, WorkOrder } from '../../generated/prisma/client.js';

/** Who is acting, as the order and assignment operations need to know it. */
export type Actor = {
  /** The signed-in member; null for a hub admin acting without a member id, or a partner key. */
  memberId: string | null;
  isAdmin: boolean;
  /** Organisations where the caller holds a staff role. */
  staffOf: readonly string[];
  /** Which organisations the caller's word binds (new links: docs/authorization.md). */
  speaksFor: SpeaksFor;
  /** The error a refusal is answered with (UNAUTHENTICATED or FORBIDDEN). */
  refusal: () => Error;
};

export function actorOf(context: MatchingContext): Actor {
  const { identity } = context;
  return {
    memberId: identity?.kind === 'member' ? identity.memberId : null,
    isAdmin: hubAuthScopes(context).admin,
    staffOf: callerStaffOrganizationIds(context),
    speaksFor: callerSpeaksFor(identity),
    refusal: () => unauthorizedError(context),
  };
}

type OrderParties = Pick<WorkOrder, 'clientId' | 'receivingCentreId' | 'leaderMemberId'>;

/**
 * Who distributes an order: the receiving centre's staff (its coordinators), the leader a
 * delegation named while still registered with the receiving partner (leader-access.ts), and
 * hub admins. They offer assignments, delegate, mark it delivered and complete its assignments.
 */
export async function isDistributorOf(
  db: Prisma.TransactionClient,
  actor: Actor,
  order: OrderParties,
): Promise<boolean> {
  if (actor.isAdmin) return true;
  if (order.receivingCentreId && actor.staffOf.includes(order.receivingCentreId)) return true;
  return isLeaderOf(db, actor.memberId, order);
}

/**
 * isDistributorOf for the signed-in caller in a GraphQL request: the leader's registration is
 * read with callerLeads, one query per request for all the orders of a list.
 */
export async function callerDistributes(
  context: MatchingContext,
  actor: Actor,
  order: OrderParties,
): Promise<boolean> {
  if (actor.isAdmin) return true;
  if (order.receivingCentreId && actor.staffOf.includes(order.receivingCentreId)) return true;
  return callerLeads(context, order);
}

/** The distributors and the client's staff: they publish, close and cancel. */
async function isPartyTo(
  db: Prisma.TransactionClient,
  actor: Actor,
  order: OrderParties,
): Promise<boolean> {
  return actor.staffOf.includes(order.clientId) || isDistributorOf(db, actor, order);
}

export async function requireDistributor(
  db: Prisma.TransactionClient,
  actor: Actor,
  order: OrderParties,
): Promise<void> {
  if (!(await isDistributorOf(db, actor, order))) throw actor.refusal();
}

export async function requireParty(
  db: Prisma.TransactionClient,
  actor: Actor,
  order: OrderParties,
): Promise<void> {
  if (!(await isPartyTo(db, actor, order))) throw actor.refusal();
}
