import {
  AppError,
  type HubContext,
  isUuid,
  type PersonalDataFacts,
  partnerReadAudit,
  personalDataGuard,
  requestGroupLoader,
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

/**
 * The kit's rule (docs/authorization.md) with spaces' facts: "registered with" an organisation
 * means holding a membership of a space it operates — the member's registration with that
 * space. Per member, as the kit asks; the lists above narrow rows to the space, so staff see
 * only their own spaces' rows.
 */
function operatorsOfMember(context: SpacesContext, staffIds: readonly string[]) {
  return requestGroupLoader(context, `membershipOperators:${staffIds.join(',')}`, {
    // One statement for every member of the request, only the caller's staff organisations.
    fetch: (memberIds: readonly string[]) =>
      context.prisma.$queryRaw<{ memberId: string; operatorId: string }[]>`
        SELECT DISTINCT m.member_id AS "memberId", s.operator_id AS "operatorId"
        FROM space_membership m JOIN space s ON s.id = m.space_id
        WHERE m.member_id = ANY(${[...memberIds]}::uuid[])
          AND s.operator_id = ANY(${[...staffIds]}::uuid[])`,
    groupOf: (row) => row.memberId,
  });
}

const facts: PersonalDataFacts<SpacesContext> = {
  registeredWith: async (context, memberId, organizationIds) => {
    const staffIds = organizationIds.filter(isUuid);
    if (staffIds.length === 0) return [];
    const rows = await operatorsOfMember(context, staffIds).load(memberId);
    return rows.map((row) => row.operatorId);
  },
  // The gateway verified the key; it does not matter here, as no consent opens these fields.
  partnerStanding: async () => null,
  // Partners get counts only (municipality figures), never a member's memberships or passes.
  hasConsent: async () => false,
};

// Without consent no partner read passes the rule, so nothing is ever to audit; if the rule
// changed, failing closed (no value released) is the safe default.
const noPartnerReads = partnerReadAudit<SpacesContext>(async () => {
  throw new Error('spaces lets no partner read memberships or passes');
});

export const membershipGuard = personalDataGuard<
  SpacesContext,
  SpaceMembership,
  SpaceMembershipFieldName
>({
  fields: SPACE_MEMBERSHIP_FIELDS,
  subjectOf: (membership) => ({ memberId: membership.memberId }),
  facts,
  audit: noPartnerReads,
  auditName: (field) => `SpaceMembership.${field}`,
});

export const passGuard = personalDataGuard<SpacesContext, Pass, PassFieldName>({
  fields: PASS_FIELDS,
  subjectOf: (pass) => ({ memberId: pass.memberId }),
  facts,
  audit: noPartnerReads,
  auditName: (field) => `Pass.${field}`,
});
