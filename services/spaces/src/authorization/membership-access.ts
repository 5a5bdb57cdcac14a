import {
  AppError,
  type HubContext,
  partnerReadAudit,
  personalDataGuard,
  unauthorizedError,
} from '@hub/service-kit';
import type { SpacesContext } from '../builder.js';
import type { Pass, Prisma, SpaceMembership } from '../generated/prisma/client.js';
import {
  PASS_FIELDS,
  type PassFieldName,
  SPACE_MEMBERSHIP_FIELDS,
  type SpaceMembershipFieldName,
} from './membership-rules.js';
import { operatorsOfMembership, operatorsOfSpace, rowRegistrationFacts } from './row-operators.js';

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

// Without consent no partner read passes the rule, so nothing is ever to audit; if the rule
// changed, failing closed (no value released) is the safe default.
export const noPartnerReads = partnerReadAudit<SpacesContext>(async () => {
  throw new Error('spaces lets no partner read memberships, passes or visits');
});

export const membershipGuard = personalDataGuard<
  SpacesContext,
  SpaceMembership,
  SpaceMembershipFieldName
>({
  fields: SPACE_MEMBERSHIP_FIELDS,
  subjectOf: (membership) => ({ memberId: membership.memberId }),
  organizationsOf: (context, membership) => operatorsOfSpace(context, membership.spaceId),
  facts: rowRegistrationFacts,
  audit: noPartnerReads,
  auditName: (field) => `SpaceMembership.${field}`,
});

export const passGuard = personalDataGuard<SpacesContext, Pass, PassFieldName>({
  fields: PASS_FIELDS,
  subjectOf: (pass) => ({ memberId: pass.memberId }),
  organizationsOf: (context, pass) => operatorsOfMembership(context, pass.membershipId),
  facts: rowRegistrationFacts,
  audit: noPartnerReads,
  auditName: (field) => `Pass.${field}`,
});
