import { AppError, partnerReadAudit, personalDataGuard } from '@hub/service-kit';
import type { SpacesContext } from '../builder.js';
import type { PatrolRequest } from '../generated/prisma/client.js';
import {
  PATROL_REQUEST_FIELDS,
  type PatrolRequestFieldName,
  patrolRequestAuditName,
} from './rules.js';

// Who asked during a patrol visit is personal data; the hub's rule (the kit's) decides it. Spaces
// keeps no read model of members' affiliations or consents yet, so both facts answer "no":
// fail closed — the requester reads only for the member themself and hub admins until those
// read models exist (then they plug in here, as matching's worker-access.ts does).
// A partner key never reaches a request (patrol visits are only for the supporter's and the
// operator's staff), so the audit refuses rather than release anything unlogged.
const noPartnerReads = partnerReadAudit<SpacesContext>(async () => {
  throw new AppError('FORBIDDEN', 'この操作・項目の権限がありません (not allowed)');
});

/** The hub's rule for personal data, applied to PatrolRequest with what spaces knows. */
export const patrolRequestGuard = personalDataGuard<
  SpacesContext,
  PatrolRequest & { requesterMemberId: string },
  PatrolRequestFieldName
>({
  fields: PATROL_REQUEST_FIELDS,
  subjectOf: (request) => ({ memberId: request.requesterMemberId }),
  facts: {
    registeredWith: async () => [],
    partnerStanding: async () => null,
    hasConsent: async () => false,
  },
  audit: noPartnerReads,
  auditName: patrolRequestAuditName,
});
