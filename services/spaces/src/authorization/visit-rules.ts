// Who may read what of a member's visits (check-ins): spaces' personal-data table
// (docs/authorization.md, "Personal data in every service"). A visit says where a member was
// and when, so every fact of the stay is `personal`; only the ids (and the member's stub, whose
// fields members decides) are `public`. Partners read presence only as counts (occupancy).

import type { CallerKind, PersonalFieldRule } from '@hub/service-kit';

export const VISIT_FIELDS = {
  id: { group: 'public', about: 'ID (UUID)' },
  memberId: {
    group: 'public',
    about: '会員 ID — 削除された会員なら null (member id; null once the member was erased)',
  },
  member: {
    group: 'public',
    about:
      '会員 — 項目ごとに members サービスが判断 (the member; members decides each of its fields)',
  },
  space: { group: 'personal', about: '拠点 (the space)' },
  room: { group: 'personal', about: '部屋 (the room)' },
  checkedInAt: { group: 'personal', about: '入室時刻 (checked in at)' },
  checkedOutAt: { group: 'personal', about: '退室時刻 (checked out at)' },
  automatic: {
    group: 'personal',
    about: '閉館時の自動チェックアウト (checked out automatically at closing)',
  },
  overriddenBy: {
    group: 'personal',
    about: '入室を許可したスタッフ (staff member who overrode a refusal)',
  },
  overrideReason: { group: 'personal', about: 'スタッフが許可した理由 (why staff overrode)' },
} as const satisfies Record<string, PersonalFieldRule>;
export type VisitFieldName = keyof typeof VISIT_FIELDS;

/**
 * The viewers the matrix test walks and docs/authorization.md lists, and the kind of caller
 * each is to the rule. "Registered staff" of a visit are the staff of the operator of the space
 * it was at — never through the member's other registrations: staff of another operator are
 * `otherMember` even where the member is also a member of their spaces.
 */
export const VISIT_VIEWERS = {
  self: '本人 (the member)',
  spaceStaff: '訪問先の拠点の運営組織のスタッフ (staff of the operator of the visited space)',
  hubAdmin: 'ハブ管理者 (hub admin)',
  otherOperatorStaff:
    '他の運営組織のスタッフ — 会員がその拠点の会員でも (staff of another operator, even where the member is a member of its spaces)',
  otherMember: '他のメンバー (another member)',
  anonymous: '未サインイン (anonymous)',
  partnerWithoutScope: 'パートナーキー・スコープなし (partner key without members:personal:read)',
  partner:
    'パートナーキー・スコープと目的あり — 拠点サービスは同意を扱わない (partner key with scope and purpose: spaces holds no consent that opens visits)',
} as const;
export type VisitViewer = keyof typeof VISIT_VIEWERS;

export const VISIT_VIEWER_KINDS = {
  self: 'self',
  spaceStaff: 'registeredStaff',
  hubAdmin: 'hubAdmin',
  otherOperatorStaff: 'otherMember',
  otherMember: 'otherMember',
  anonymous: 'anonymous',
  partnerWithoutScope: 'partnerWithoutScope',
  partner: 'partnerWithoutConsent',
} as const satisfies Record<VisitViewer, CallerKind>;

/** Queries and fields of spaces about presence, each with who may ask. */
export const VISIT_QUERY_RULES = {
  'Member.visits':
    '本人 (すべて)・拠点の運営組織のスタッフ (自組織の拠点の分のみ)・ハブ管理者 (すべて)。削除された会員の訪問は含まない (会員 ID がない)。他のメンバーは FORBIDDEN、未サインインは UNAUTHENTICATED、パートナーキーは CONSENT_REQUIRED (スコープなしは FORBIDDEN) — 件数は occupancy のみ (the member: all; staff: visits at their operators’ spaces only, an empty list where there are none; hub admins: all; never an erased member’s, which has no member id. Other members FORBIDDEN, anonymous UNAUTHENTICATED, partner keys CONSENT_REQUIRED, FORBIDDEN without the scope: partners get occupancy counts only)',
  'Space.visits':
    'その拠点の運営組織のスタッフとハブ管理者。削除された会員の訪問は memberId null。他は FORBIDDEN / UNAUTHENTICATED (staff of its operator and hub admins; erased members’ visits with memberId null. Others FORBIDDEN / UNAUTHENTICATED)',
  'checkIn, checkOut (visit)':
    '本人・拠点の運営組織のスタッフ・ハブ管理者 (the member, staff of the space’s operator, hub admins)',
  'Space.occupancy, Room.occupancy':
    '拠点の運営組織のスタッフ・ハブ管理者・パートナーキー — 人数のみ (staff of the operator, hub admins, partner keys: a count only)',
} as const;
