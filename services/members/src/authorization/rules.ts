// The one definition of who may read what about a member. The schema takes each Member field's
// group from MEMBER_FIELDS (src/schema/*), the matrix test walks ACCESS_MATRIX against the
// running service, and docs/authorization.md is rendered from this file (matrix-doc.ts) — so
// code, test and documentation cannot drift apart.

/**
 * - public: anyone, anonymous callers and partner keys included.
 * - profile: follows the member's profileVisibility (PUBLIC / MEMBERS / STAFF).
 * - personal: the member, hub admins, staff of an organisation the member is actively
 *   registered with (an affiliation the member confirmed), partner keys with
 *   `members:personal:read` and the member's consent.
 * - owner: the member and hub admins only.
 */
export const FIELD_GROUPS = ['public', 'profile', 'personal', 'owner'] as const;
export type FieldGroup = (typeof FIELD_GROUPS)[number];

export const PROFILE_VISIBILITY_VALUES = ['PUBLIC', 'MEMBERS', 'STAFF'] as const;
export type ProfileVisibilityValue = (typeof PROFILE_VISIBILITY_VALUES)[number];

/** The partner scope that opens personal data (with the member's consent to the key's purpose). */
export const PERSONAL_DATA_SCOPE = 'members:personal:read' as const;

/** Every field of the GraphQL Member type, its group and what it holds. */
export const MEMBER_FIELDS = {
  id: { group: 'public', about: 'ID' },
  displayName: { group: 'public', about: '表示名 (display name)' },
  displayNameKana: { group: 'public', about: '表示名かな (kana)' },
  kind: { group: 'public', about: '種別 (kind)' },
  isErased: { group: 'public', about: '退会済みか (erased?)' },
  bio: { group: 'profile', about: '自己紹介 (bio)' },
  aspiration: { group: 'profile', about: '志 (aspiration)' },
  interests: { group: 'profile', about: '関心 (interests)' },
  skills: { group: 'profile', about: 'スキル (skills)' },
  links: { group: 'profile', about: 'リンク (links)' },
  municipalityCode: { group: 'profile', about: '現在の市区町村 (current municipality)' },
  municipality: { group: 'profile', about: '現在の市区町村 (current municipality)' },
  relocationInterest: { group: 'profile', about: '移住への関心 (relocation interest)' },
  referralCount: { group: 'profile', about: '紹介した人数 (number of referrals)' },
  referrals: { group: 'profile', about: '紹介したメンバー (members referred)' },
  createdAt: { group: 'profile', about: '登録日時 (registered at)' },
  email: { group: 'personal', about: 'メールアドレス (email)' },
  contactPhone: { group: 'personal', about: '連絡先電話番号 (contact phone)' },
  availableHoursPerWeek: { group: 'personal', about: '週あたり稼働可能時間 (hours per week)' },
  homeMunicipalityCode: { group: 'personal', about: '出身市区町村 (home municipality)' },
  affiliations: { group: 'personal', about: '所属 (affiliations)' },
  careerPath: { group: 'personal', about: '経歴 (career path)' },
  referredBy: { group: 'personal', about: '紹介者 (referred by)' },
  consents: { group: 'personal', about: '同意 (consents)' },
  profileVisibility: { group: 'personal', about: '公開範囲の設定 (visibility setting)' },
  erasedAt: { group: 'personal', about: '退会日時 (erased at)' },
  auditLog: { group: 'owner', about: '自分のデータへのアクセス記録 (audit log)' },
  pendingAffiliations: {
    group: 'owner',
    about: '確認待ちの所属 (affiliations awaiting the member’s confirmation)',
  },
} as const satisfies Record<string, { group: FieldGroup; about: string }>;
export type MemberFieldName = keyof typeof MEMBER_FIELDS;

/**
 * Fields other schema files of this service may add to Member later (e.g. the identity
 * schema's sessions). Classified ahead so they are guarded from their first commit.
 */
export const RESERVED_MEMBER_FIELDS = {
  sessions: { group: 'personal', about: 'サインイン中の端末 (sessions)' },
} as const satisfies Record<string, { group: FieldGroup; about: string }>;
export type ReservedMemberFieldName = keyof typeof RESERVED_MEMBER_FIELDS;

export function fieldGroup(field: MemberFieldName | ReservedMemberFieldName): FieldGroup {
  return field in MEMBER_FIELDS
    ? MEMBER_FIELDS[field as MemberFieldName].group
    : RESERVED_MEMBER_FIELDS[field as ReservedMemberFieldName].group;
}

export function fieldsOfGroup(group: FieldGroup): MemberFieldName[] {
  return (Object.keys(MEMBER_FIELDS) as MemberFieldName[]).filter(
    (field) => MEMBER_FIELDS[field].group === group,
  );
}

/**
 * Filters of the members list, each with the field it reveals: a filter is allowed exactly
 * where the field is readable, so filtering cannot leak what reading would refuse.
 */
export const MEMBER_FILTERS = {
  kind: 'kind',
  municipalityCode: 'municipalityCode',
  skill: 'skills',
  relocationInterest: 'relocationInterest',
  homeMunicipalityCode: 'homeMunicipalityCode',
  minAvailableHoursPerWeek: 'availableHoursPerWeek',
} as const satisfies Record<string, MemberFieldName>;
export type MemberFilterName = keyof typeof MEMBER_FILTERS;

/** The callers the rules distinguish, relative to one member (the subject). */
export const VIEWERS = {
  anonymous: '未サインイン (anonymous)',
  self: '本人 (the member)',
  otherMember: '他のメンバー (another member)',
  staffOfMembersOrganization:
    '登録先組織のスタッフ・コーディネーター (staff/coordinator of an organisation the member is registered with)',
  staffOfFormerOrganization:
    '以前の登録先組織のスタッフ (staff of an organisation the member has left)',
  staffOfUnconfirmedOrganization:
    '本人が確認していない所属先組織のスタッフ (staff of an organisation that added the member, not yet confirmed by the member)',
  staffOfUnrelatedOrganization: '無関係な組織のスタッフ (staff of an unrelated organisation)',
  hubAdmin: 'ハブ管理者 (hub admin)',
  partnerWithoutScope: 'パートナーキー・スコープなし (partner key without the scope)',
  partnerWithoutConsent: 'パートナーキー・スコープあり・同意なし (partner key, scope, no consent)',
  partnerWithConsent: 'パートナーキー・スコープと同意あり (partner key, scope and consent)',
  partnerAfterWithdrawal: 'パートナーキー・同意撤回後 (partner key after consent withdrawal)',
} as const;
export type Viewer = keyof typeof VIEWERS;

/** Columns of the matrix: a group, and for profile fields the member's visibility setting. */
export const ACCESS_COLUMNS = [
  'public',
  'profile:PUBLIC',
  'profile:MEMBERS',
  'profile:STAFF',
  'personal',
  'owner',
] as const;
export type AccessColumn = (typeof ACCESS_COLUMNS)[number];

/**
 * - `ok`: the value is returned.
 * - `ok+audit`: returned, and recorded in the audit log (PARTNER_READ, once per member per
 *   request, with the field names) — every read a partner could only make through consent.
 * - an error code: the field is null and the response carries that error at the field's path.
 */
export type AccessOutcome =
  | 'ok'
  | 'ok+audit'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'CONSENT_REQUIRED';

const ALL_OK = { public: 'ok', 'profile:PUBLIC': 'ok' } as const;

export const ACCESS_MATRIX: Record<Viewer, Record<AccessColumn, AccessOutcome>> = {
  anonymous: {
    ...ALL_OK,
    'profile:MEMBERS': 'UNAUTHENTICATED',
    'profile:STAFF': 'UNAUTHENTICATED',
    personal: 'UNAUTHENTICATED',
    owner: 'UNAUTHENTICATED',
  },
  self: { ...ALL_OK, 'profile:MEMBERS': 'ok', 'profile:STAFF': 'ok', personal: 'ok', owner: 'ok' },
  otherMember: {
    ...ALL_OK,
    'profile:MEMBERS': 'ok',
    'profile:STAFF': 'FORBIDDEN',
    personal: 'FORBIDDEN',
    owner: 'FORBIDDEN',
  },
  staffOfMembersOrganization: {
    ...ALL_OK,
    'profile:MEMBERS': 'ok',
    'profile:STAFF': 'ok',
    personal: 'ok',
    owner: 'FORBIDDEN',
  },
  staffOfFormerOrganization: {
    ...ALL_OK,
    'profile:MEMBERS': 'ok',
    'profile:STAFF': 'FORBIDDEN',
    personal: 'FORBIDDEN',
    owner: 'FORBIDDEN',
  },
  staffOfUnconfirmedOrganization: {
    ...ALL_OK,
    'profile:MEMBERS': 'ok',
    'profile:STAFF': 'FORBIDDEN',
    personal: 'FORBIDDEN',
    owner: 'FORBIDDEN',
  },
  staffOfUnrelatedOrganization: {
    ...ALL_OK,
    'profile:MEMBERS': 'ok',
    'profile:STAFF': 'FORBIDDEN',
    personal: 'FORBIDDEN',
    owner: 'FORBIDDEN',
  },
  hubAdmin: {
    ...ALL_OK,
    'profile:MEMBERS': 'ok',
    'profile:STAFF': 'ok',
    personal: 'ok',
    owner: 'ok',
  },
  partnerWithoutScope: {
    ...ALL_OK,
    'profile:MEMBERS': 'FORBIDDEN',
    'profile:STAFF': 'FORBIDDEN',
    personal: 'FORBIDDEN',
    owner: 'FORBIDDEN',
  },
  partnerWithoutConsent: {
    ...ALL_OK,
    'profile:MEMBERS': 'CONSENT_REQUIRED',
    'profile:STAFF': 'CONSENT_REQUIRED',
    personal: 'CONSENT_REQUIRED',
    owner: 'FORBIDDEN',
  },
  partnerWithConsent: {
    ...ALL_OK,
    'profile:MEMBERS': 'ok+audit',
    'profile:STAFF': 'ok+audit',
    personal: 'ok+audit',
    owner: 'FORBIDDEN',
  },
  partnerAfterWithdrawal: {
    ...ALL_OK,
    'profile:MEMBERS': 'CONSENT_REQUIRED',
    'profile:STAFF': 'CONSENT_REQUIRED',
    personal: 'CONSENT_REQUIRED',
    owner: 'FORBIDDEN',
  },
};

export function accessColumn(group: FieldGroup, visibility: ProfileVisibilityValue): AccessColumn {
  return group === 'profile' ? `profile:${visibility}` : group;
}

/** What a viewer gets for a field of a member with the given visibility setting. */
export function expectedAccess(
  viewer: Viewer,
  field: MemberFieldName,
  visibility: ProfileVisibilityValue,
): AccessOutcome {
  return ACCESS_MATRIX[viewer][accessColumn(MEMBER_FIELDS[field].group, visibility)];
}

/** Who may call each mutation of the members schema (identity mutations: docs/identity.md). */
export const MUTATION_RULES = {
  registerMember:
    'ハブ管理者、またはスタッフ職のメンバー; organizationId 指定時はその組織のスタッフ (hub admin, or a member holding a staff role anywhere; with organizationId: hub admin or staff of that organisation)',
  updateMyProfile: '本人 (the member, signed in)',
  updateMemberProfile: 'ハブ管理者 (hub admin)',
  setMySkills: '本人 (the member)',
  verifyMemberSkill:
    'ハブ管理者、またはメンバーが現在登録している組織のスタッフ (本人が確認した所属) (hub admin, or staff of an organisation where the member has an active affiliation the member confirmed)',
  setProfileVisibility: '本人 (the member)',
  createOrganization:
    'ハブ管理者、またはサインイン済みメンバー (作成者が ADMIN として所属) (hub admin, or any signed-in member, who becomes its ADMIN)',
  addAffiliation:
    'ハブ管理者、またはその組織の管理者・スタッフ; スタッフ職 (STAFF/COORDINATOR/ADMIN) の付与は管理者のみ; ハブ管理者か本人が追加した所属以外は本人の確認待ち (hub admin, or admin/staff of that organisation; granting a staff role: hub admin or the organisation’s admin; unless added by a hub admin or the member themself, it awaits the member’s confirmation)',
  endAffiliation:
    'ハブ管理者、その組織の管理者・スタッフ、または本人; スタッフ職の終了は管理者か本人 (hub admin, admin/staff of that organisation, or the member; ending a staff role: hub admin, the organisation’s admin, or the member)',
  promoteMember:
    'ハブ管理者、またはその組織の管理者・スタッフ; スタッフ職が関わる昇格は管理者のみ; 確認状態は元の所属を引き継ぐ (hub admin, or admin/staff of that organisation; to or from a staff role: hub admin or the organisation’s admin; the new affiliation keeps the confirmation of the one it follows)',
  confirmAffiliation: '本人 (the member; an affiliation awaiting them)',
  declineAffiliation:
    '本人 (the member; an affiliation awaiting them — it ends today and stays as history)',
  grantConsent: '本人 (the member)',
  withdrawConsent: '本人 (the member)',
  eraseMyAccount: '本人 (the member; confirmation 「退会します」 or ERASE)',
  eraseMember: 'ハブ管理者 (hub admin)',
} as const;
export type MutationName = keyof typeof MUTATION_RULES;

/** Queries beyond `member`/`members` with a rule of their own. */
export const QUERY_RULES = {
  member: '誰でも — 項目ごとに上の表 (anyone; each field as in the matrix)',
  members: '誰でも — 項目と絞り込みごとに上の表 (anyone; each field and filter as in the matrix)',
  privacyNotices: '誰でも (anyone)',
  trustDistance:
    'サインイン済みメンバー — 本人が参照できるつながり (referrals・referredBy) だけで数える (signed-in members; only links they may read as referrals or referredBy count)',
  auditLog: 'ハブ管理者 (hub admin)',
  exportMyData: '本人 (the member)',
  exportMemberData: 'ハブ管理者 (hub admin)',
  'DataExport.members': '本人またはハブ管理者 (the member or a hub admin)',
  'Organization.affiliations':
    'ハブ管理者、またはその組織のスタッフ (hub admin, or staff of that organisation)',
} as const;
