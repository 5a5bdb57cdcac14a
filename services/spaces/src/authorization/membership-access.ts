import { AppError, type HubContext, unauthorizedError } from '@hub/service-kit';
import type { Prisma } from '../generated/prisma/client.js';

/** Operator ids the caller is staff of (the token's `staffOf`). */
function staffOf(context: HubContext): string[] {
  const { identity } = context;
  return identity?.kind === 'member' ? identity.staffOf.map((entry) => entry.organizationId) : [];
}

const isHubAdmin = (context: HubContext) =>
  context.identity?.kind === 'member' && context.identity.roles.includes('admin');

/**
 * The memberships the caller may read (rules.ts), as a `where`: every one for hub admins; their
 * own and those at spaces their organisations operate for members; an error for anyone else,
 * so a list never shows, or counts, a row reading would refuse.
 */
export function readableMemberships(
  context: HubContext,
): Prisma.SpaceMembershipWhereInput | AppError {
  if (isHubAdmin(context)) return {};
  const { identity } = context;
  if (identity?.kind !== 'member') return unauthorizedError(context);
  const operators = staffOf(context);
  return {
    OR: [
      { memberId: identity.memberId },
      ...(operators.length > 0 ? [{ space: { operatorId: { in: operators } } }] : []),
    ],
  };
}

/** The passes the caller may read: the holder's, and those homed at their organisations' spaces. */
export function readablePasses(context: HubContext): Prisma.PassWhereInput | AppError {
  const memberships = readableMemberships(context);
  if (memberships instanceof AppError) return memberships;
  const { identity } = context;
  if (identity?.kind !== 'member' || isHubAdmin(context)) return {};
  return { OR: [{ memberId: identity.memberId }, { membership: memberships }] };
}

/** Whether a caller may read one membership of a member at a space with this operator. */
export function mayReadMembership(
  context: HubContext,
  memberId: string,
  operatorId: string | null,
): boolean {
  if (isHubAdmin(context)) return true;
  const { identity } = context;
  if (identity?.kind !== 'member') return false;
  return (
    identity.memberId === memberId || (operatorId !== null && staffOf(context).includes(operatorId))
  );
}
