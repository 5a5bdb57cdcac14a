// Who may read what of a member's memberships and passes: spaces' personal-data table
// (docs/authorization.md, "Personal data in every service"). Memberships and passes say where a
// member works and when they travel, so every fact about the member is `personal`; only ids
// and the spaces themselves (public directory data) are `public`.

import type { PersonalFieldRule } from '@hub/service-kit';

export const SPACE_MEMBERSHIP_FIELDS = {
  id: { group: 'public', about: 'ID (UUID)' },
  memberId: { group: 'public', about: '会員 ID (member id)' },
  member: {
    group: 'public',
    about:
      '会員 — 項目ごとに members サービスが判断 (the member; members decides each of its fields)',
  },
  space: { group: 'personal', about: '拠点 (the space)' },
  plan: { group: 'personal', about: 'プラン (plan)' },
  startsOn: { group: 'personal', about: '開始日 (first day)' },
  endsOn: { group: 'personal', about: '終了日 (last day)' },
} as const satisfies Record<string, PersonalFieldRule>;
export type SpaceMembershipFieldName = keyof typeof SPACE_MEMBERSHIP_FIELDS;

export const PASS_FIELDS = {
  id: { group: 'public', about: 'ID (UUID)' },
  memberId: { group: 'public', about: '会員 ID (the holder’s member id)' },
  member: {
    group: 'public',
    about:
      '保有者 — 項目ごとに members サービスが判断 (the holder; members decides each of its fields)',
  },
  network: { group: 'personal', about: 'ネットワーク (network)' },
  homeSpace: { group: 'personal', about: 'ホーム拠点 (home space)' },
  validFrom: { group: 'personal', about: '有効開始日 (valid from)' },
  validUntil: { group: 'personal', about: '有効期限 (valid until)' },
  redemptions: { group: 'personal', about: '利用日と利用先 (days used and hosts)' },
} as const satisfies Record<string, PersonalFieldRule>;
export type PassFieldName = keyof typeof PASS_FIELDS;

/**
 * Who reads a personal field of a membership or pass. The "registered staff" of the kit's rule
 * are, here, the staff of the space's operator: the membership is the member's registration
 * with that space, and a pass is read by staff of its home space. Partners read no row — only
 * counts (the municipality figures), so no consent opens these fields and nothing is audited.
 */
export const SPACE_MEMBERSHIP_READERS = {
  self: '本人 (the member)',
  spaceStaff:
    '拠点の運営組織のスタッフ — その拠点の会員資格・その拠点をホームとするパスのみ (staff of the space’s operator: memberships of that space and passes whose home space it is)',
  hubAdmin: 'ハブ管理者 (hub admin)',
  partner: 'パートナーキー — 件数のみ、行は読めない (partner keys: counts only, never rows)',
} as const;
