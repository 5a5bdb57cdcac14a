import { type PersonalDataFacts, requestLoader } from '@hub/service-kit';
import type { SpacesContext } from '../builder.js';

// The organisation a membership, pass or visit belongs to is the operator of its space: the
// kit's guard (organizationsOf) counts staff as "registered" for a row only through it. One
// query per request and kind, asked only when the caller is staff somewhere.

/** The operator of each space. */
export function spaceOperatorLoader(context: SpacesContext) {
  return requestLoader(context, 'spaceOperator', {
    fetch: (ids: readonly string[]) =>
      context.prisma.space.findMany({
        where: { id: { in: [...ids] } },
        select: { id: true, operatorId: true },
      }),
    keyOf: (space) => space.id,
  });
}

/** The operator of each membership's space (a pass's home space is its membership's). */
export function membershipOperatorLoader(context: SpacesContext) {
  return requestLoader(context, 'membershipOperator', {
    fetch: (ids: readonly string[]) =>
      context.prisma.$queryRaw<{ id: string; operatorId: string | null }[]>`
        SELECT m.id, s.operator_id AS "operatorId"
        FROM space_membership m JOIN space s ON s.id = m.space_id
        WHERE m.id = ANY(${[...ids]}::uuid[])`,
    keyOf: (row) => row.id,
  });
}

/** The organisations (at most one) a row at this space belongs to. */
export async function operatorsOfSpace(context: SpacesContext, spaceId: string) {
  const operatorId = (await spaceOperatorLoader(context).load(spaceId))?.operatorId;
  return operatorId ? [operatorId] : [];
}

/** The organisations (at most one) a row of this membership belongs to. */
export async function operatorsOfMembership(context: SpacesContext, membershipId: string) {
  const operatorId = (await membershipOperatorLoader(context).load(membershipId))?.operatorId;
  return operatorId ? [operatorId] : [];
}

/**
 * The kit's facts for rows that belong to one space's operator. The guard asks `registeredWith`
 * only about the caller's staff organisations among the row's own (organizationsOf), and the
 * row itself — the membership, the pass homed there, the stay — is the member's registration
 * with that operator, so those count; the member's rows elsewhere never do. Partners read
 * presence and memberships only as counts: no consent opens these rows.
 */
export const rowRegistrationFacts: PersonalDataFacts<SpacesContext> = {
  registeredWith: async (_context, _memberId, rowOrganizations) => rowOrganizations,
  // The gateway verified the key; it does not matter here, as no consent opens these fields.
  partnerStanding: async () => null,
  hasConsent: async () => false,
};
