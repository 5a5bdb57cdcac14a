import { activeOn } from '@hub/contracts';
import { staffOrganizationIds } from '@hub/identity';
import {
  AppError,
  isUuid,
  partnerReadAudit,
  personalDataGuard,
  requestGroupLoader,
  requestLoader,
  requestToday,
} from '@hub/service-kit';
import type { SpacesContext } from '../builder.js';
import type { PatrolRequest } from '../generated/prisma/client.js';
import {
  PATROL_REQUEST_FIELDS,
  type PatrolRequestFieldName,
  patrolRequestAuditName,
} from './rules.js';

// Who asked during a patrol visit is personal data; the hub's rule (the kit's) decides it with
// what spaces knows: members' confirmed affiliations (members.affiliation.changed →
// member_affiliation). Staff are registered staff for a request only through the visit's own
// organisations — the supporter that visited and the space's operator — so an affiliation of
// the requester with some third organisation never opens it (organizationsOf).
// Spaces keeps no consents: no partner reads a requester, and a partner key never reaches a
// request anyway (patrol visits are only for the supporter's and the operator's staff), so the
// audit refuses rather than release anything unlogged.
const noPartnerReads = partnerReadAudit<SpacesContext>(async () => {
  throw new AppError('FORBIDDEN', 'この操作・項目の権限がありません (not allowed)');
});

type VisitParties = { id: string; supporterId: string; operatorId: string | null };

/** The supporter and the space's operator of each visit: one statement per request. */
function visitPartiesLoader(context: SpacesContext) {
  return requestLoader(context, 'patrolVisitParties', {
    fetch: (visitIds: readonly string[]) =>
      context.prisma.$queryRaw<VisitParties[]>`
        SELECT v.id, v.supporter_id AS "supporterId", s.operator_id AS "operatorId"
        FROM patrol_visit v JOIN space s ON s.id = v.space_id
        WHERE v.id = ANY(${[...visitIds]}::uuid[])`,
    keyOf: (visit) => visit.id,
  });
}

/** The organisations a request belongs to: its visit's supporter and the space's operator. */
async function organizationsOfRequest(context: SpacesContext, request: PatrolRequest) {
  const parties = await visitPartiesLoader(context).load(request.visitId);
  if (!parties) return [];
  return parties.operatorId ? [parties.supporterId, parties.operatorId] : [parties.supporterId];
}

/**
 * The requesters' active affiliations (today in Japan) with the caller's staff organisations:
 * one statement for every requester of the request. Asked about all of the caller's staff
 * organisations at once — each request narrows them to its own visit's (the guard passes
 * those) — since one loader serves every visit of the request; no other affiliation could
 * let the caller in.
 */
function staffAffiliationLoader(context: SpacesContext) {
  return requestGroupLoader(context, 'patrolRequesterStaffAffiliations', {
    fetch: (memberIds: readonly string[]) =>
      context.prisma.memberAffiliation.findMany({
        where: {
          memberId: { in: [...memberIds] },
          // Ids go into uuid comparisons; one that is not a uuid could match nothing anyway.
          organizationId: { in: staffOrganizationIds(context.identity).filter(isUuid) },
          ...activeOn(requestToday(context)),
        },
        select: { memberId: true, organizationId: true },
      }),
    groupOf: (affiliation) => affiliation.memberId,
  });
}

/** The hub's rule for personal data, applied to PatrolRequest with what spaces knows. */
export const patrolRequestGuard = personalDataGuard<
  SpacesContext,
  PatrolRequest & { requesterMemberId: string },
  PatrolRequestFieldName
>({
  fields: PATROL_REQUEST_FIELDS,
  subjectOf: (request) => ({ memberId: request.requesterMemberId }),
  organizationsOf: organizationsOfRequest,
  facts: {
    registeredWith: async (context, memberId, organizationIds) => {
      if (organizationIds.length === 0) return [];
      const asked = new Set(organizationIds);
      const rows = await staffAffiliationLoader(context).load(memberId);
      return [...new Set(rows.map((row) => row.organizationId))].filter((id) => asked.has(id));
    },
    partnerStanding: async () => null,
    hasConsent: async () => false,
  },
  audit: noPartnerReads,
  auditName: patrolRequestAuditName,
});
