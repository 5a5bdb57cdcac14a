import { activeOn, todayInJapan } from '@hub/contracts';
import { hubAuthScopes, isUuid, requestGroupLoader } from '@hub/service-kit';
import type { MatchingContext } from '../builder.js';

// A worker is personal data. The hub's rule (docs/authorization.md): the member, a hub admin,
// or staff of an organisation where the member has an active, confirmed affiliation today.
// Matching learns affiliations from members.affiliation.changed (worker_affiliation), which
// members writes only for confirmed ones. Partner keys stay refused: the consent check lives
// in members, and matching does not know consents.

/** The kit's scopes (hubAuthScopes) a Worker rule is written in. */
export type WorkerScopes = { admin: true; self: string; staffOf?: readonly string[] };

const todays = new WeakMap<MatchingContext, string>();

/**
 * "Today" fixed once per request, so the staff's list filter and the check on each worker it
 * returns agree even across midnight in Japan.
 */
export function requestToday(context: MatchingContext): string {
  let today = todays.get(context);
  if (today === undefined) {
    today = todayInJapan();
    todays.set(context, today);
  }
  return today;
}

/** Organisations where the caller holds a staff role (the token's `staffOf`). */
export function callerStaffOrganizationIds(context: MatchingContext): string[] {
  const { identity } = context;
  if (identity?.kind !== 'member') return [];
  // Ids go into uuid comparisons; one that is not a uuid could match nothing anyway.
  return identity.staffOf.map((entry) => entry.organizationId).filter(isUuid);
}

function staffAffiliationLoader(context: MatchingContext, staffIds: readonly string[]) {
  return requestGroupLoader(context, 'workerStaffOrganizations', {
    // One query for every worker of the request, and only the caller's own staff organisations:
    // no other affiliation could let them in.
    fetch: (memberIds: readonly string[]) => {
      return context.prisma.workerAffiliation.findMany({
        where: {
          memberId: { in: [...memberIds] },
          organizationId: { in: [...staffIds] },
          ...activeOn(requestToday(context)),
        },
        select: { memberId: true, organizationId: true },
      });
    },
    groupOf: (affiliation) => affiliation.memberId,
  });
}

/**
 * The rule for one worker, in the kit's scopes: `self`, `admin`, or `staffOf` the organisations
 * (among the caller's) the worker is registered with today.
 */
export async function workerScopes(
  context: MatchingContext,
  memberId: string,
): Promise<WorkerScopes> {
  const scopes: WorkerScopes = { admin: true, self: memberId };
  const caller = hubAuthScopes(context);
  // The member and admins pass on their own; only other staff need the affiliation lookup.
  if (caller.admin || caller.self(memberId)) return scopes;
  const staffIds = callerStaffOrganizationIds(context);
  if (staffIds.length === 0) return scopes;
  const rows = await staffAffiliationLoader(context, staffIds).load(memberId);
  return { ...scopes, staffOf: rows.map((row) => row.organizationId) };
}
