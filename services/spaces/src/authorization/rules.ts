// Who may read what of the spaces service's personal data: its table under the hub's one rule
// (the service kit's ACCESS_BY_CALLER, the same as for Member in the members service). The
// schema takes each field's group from here; docs/authorization.md says the same.

import type { PersonalFieldRule } from '@hub/service-kit';

/**
 * Every field of the GraphQL PatrolRequest type. Who asked is about a member — it says what
 * they need help with — so it is `personal`: the member, hub admins, staff of an organisation
 * the member is registered with, consenting partners. Whether someone was named at all, the
 * kind and the subject are the visit's own record (seen by whoever may see the visit).
 */
export const PATROL_REQUEST_FIELDS = {
  id: { group: 'public', about: 'ID (request id)' },
  kind: { group: 'public', about: '相談か専門家派遣か (consultation or expert dispatch)' },
  subject: { group: 'public', about: '相談内容 (what it is about)' },
  isRequesterNamed: {
    group: 'public',
    about: '依頼者が会員として記録されたか (whether a member was named as requester)',
  },
  requester: { group: 'personal', about: '依頼した会員 (the member who asked)' },
} as const satisfies Record<string, PersonalFieldRule>;
export type PatrolRequestFieldName = keyof typeof PATROL_REQUEST_FIELDS;

/** The name a PatrolRequest field has in the member's audit log. */
export const patrolRequestAuditName = (field: PatrolRequestFieldName) => `PatrolRequest.${field}`;
