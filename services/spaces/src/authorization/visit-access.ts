import { isHubAdmin } from '@hub/identity';
import { AppError, accessRefusal, personalDataGuard, unauthorizedError } from '@hub/service-kit';
import type { SpacesContext } from '../builder.js';
import type { Visit } from '../generated/prisma/client.js';
import { noPartnerReads } from './membership-access.js';
import { operatorsOfSpace, rowRegistrationFacts } from './row-operators.js';
import { VISIT_FIELDS, type VisitFieldName } from './visit-rules.js';

// An erased member's stay is nobody's: no caller is its member, so only staff of the space's
// operator and hub admins read it (an id that is no member's keeps the kit's types honest).
const NOBODY = 'erased';

/** The kit's rule for Visit: the member, staff of the operator of the visited space, hub admins. */
export const visitGuard = personalDataGuard<SpacesContext, Visit, VisitFieldName>({
  fields: VISIT_FIELDS,
  subjectOf: (visit) => ({ memberId: visit.memberId ?? NOBODY }),
  organizationsOf: (context, visit) => operatorsOfSpace(context, visit.spaceId),
  facts: rowRegistrationFacts,
  audit: noPartnerReads,
  auditName: (field) => `Visit.${field}`,
});

/**
 * Which of a member's visits the caller may list — the same rule as reading them, as a
 * condition: every one for hub admins; for a member, their own and those at spaces of the
 * operators they are staff of. Anyone else is refused with the kit's code (a partner key with
 * the scope: CONSENT_REQUIRED, as no consent opens presence in spaces).
 */
export type ReadableVisits = { all: true } | { memberId: string; operatorIds: readonly string[] };

export async function readableVisits(context: SpacesContext): Promise<ReadableVisits | AppError> {
  const { identity } = context;
  if (isHubAdmin(identity)) return { all: true };
  const readable = await visitGuard.readableMembers(context, 'personal');
  if (readable instanceof AppError) return readable;
  if (identity?.kind !== 'member' || readable.all) {
    return identity?.kind === 'partner'
      ? accessRefusal(context, 'CONSENT_REQUIRED')
      : unauthorizedError(context);
  }
  return { memberId: identity.memberId, operatorIds: readable.registeredWith };
}
