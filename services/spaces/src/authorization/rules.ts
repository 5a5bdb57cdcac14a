// Who may read what of the spaces service's personal data: its table under the hub's one rule
// (the service kit's ACCESS_BY_CALLER, the same as for Member in the members service). The
// schema takes each field's group from here; docs/authorization.md says the same.

import type { CallerKind, PersonalFieldRule } from '@hub/service-kit';

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

/**
 * The callers who can reach a request at all — a request is shown only inside a visit whole,
 * to the supporter's and the operator's staff and hub admins — and which kind of caller each
 * is to the rule. Staff of the supporter or the operator are registered staff when the
 * requester is actively affiliated with their organisation today (members' confirmed
 * affiliations, kept in spaces' member_affiliation), and other members otherwise; only the
 * visit's own organisations count. Partner keys never reach a visit's requests.
 */
export const PATROL_REQUEST_VIEWERS = {
  self: '本人 (依頼した会員) — 訪問を読める立場のとき (the member who asked, where they may read the visit)',
  supporterStaffRegistered:
    '訪問した支援機関のスタッフ — 依頼者が現在その組織に所属 (staff of the supporter that visited, the requester actively affiliated with it)',
  supporterStaffNotRegistered:
    '訪問した支援機関のスタッフ — 依頼者が所属していない・所属が終了 (staff of the supporter that visited, the requester not or no longer affiliated with it)',
  operatorStaffRegistered:
    '拠点の運営組織のスタッフ — 依頼者が現在その組織に所属 (staff of the space’s operator, the requester actively affiliated with it)',
  operatorStaffNotRegistered:
    '拠点の運営組織のスタッフ — 依頼者が所属していない・所属が終了 (staff of the space’s operator, the requester not or no longer affiliated with it)',
  hubAdmin: 'ハブ管理者 (hub admin)',
} as const;
export type PatrolRequestViewer = keyof typeof PATROL_REQUEST_VIEWERS;

export const PATROL_REQUEST_VIEWER_KINDS = {
  self: 'self',
  supporterStaffRegistered: 'registeredStaff',
  supporterStaffNotRegistered: 'otherMember',
  operatorStaffRegistered: 'registeredStaff',
  operatorStaffNotRegistered: 'otherMember',
  hubAdmin: 'hubAdmin',
} as const satisfies Record<PatrolRequestViewer, CallerKind>;

/** Queries and fields of spaces about patrol visits, each with its rule. */
export const PATROL_VISIT_QUERY_RULES = {
  'Space.patrolVisits, Organization.patrolVisits':
    '誰でも — ただし有効な公開要約のある訪問だけ。支援機関・拠点運営組織のスタッフとハブ管理者にはすべて (anyone, filtered in the query so totalCount agrees: visits with a public summary in effect; every visit for staff of its supporter or of the space’s operator, and hub admins)',
  'Organization.pendingPatrolVisitSummaries':
    'ハブ管理者、またはその組織のスタッフ (hub admin, or staff of that organisation)',
  'PatrolVisit.publicSummary':
    '有効なら訪問を読める人、確認待ちなら支援機関・拠点運営組織のスタッフとハブ管理者 (in effect: whoever the visit is listed for; pending: staff of the supporter or of the operator, and hub admins)',
  'PatrolVisit.visitors, notes, needs, requests, recordedAt':
    '支援機関・拠点運営組織のスタッフとハブ管理者。他は null と FORBIDDEN / UNAUTHENTICATED (staff of the supporter or of the space’s current operator, and hub admins; null and FORBIDDEN / UNAUTHENTICATED for others)',
  'PatrolVisit.id, space, supporter, visitedOn, isSummaryPublic':
    '訪問を一覧で読める人 (whoever the visit is listed for)',
  'PatrolRequest.requester': '上の表 (personal; the table above)',
} as const;
