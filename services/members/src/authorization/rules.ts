// The one definition of who may read what about a member. The rule itself — field groups,
// kinds of caller and what each gets — is the service kit's (ACCESS_BY_CALLER, shared by every
// service holding personal data); this file classifies each Member field into a group and names
// the situations the matrix test walks. The schema takes each Member field's group from
// MEMBER_FIELDS (src/schema/*), the matrix test walks ACCESS_MATRIX against the running
// service, and docs/authorization.md is rendered from this file (matrix-doc.ts) — so code,
// test and documentation cannot drift apart.

import {
  ACCESS_BY_CALLER,
  type AccessColumn,
  type AccessOutcome,
  accessColumn,
  type CallerKind,
  type FieldGroup,
  fieldsOfGroup as fieldsOfGroupIn,
  type PersonalFieldRule,
  type ProfileVisibilityValue,
} from '@hub/service-kit';

export {
  ACCESS_COLUMNS,
  type AccessColumn,
  type AccessOutcome,
  accessColumn,
  FIELD_GROUPS,
  type FieldGroup,
  PERSONAL_DATA_SCOPE,
  PROFILE_VISIBILITY_VALUES,
  type ProfileVisibilityValue,
} from '@hub/service-kit';

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
} as const satisfies Record<string, PersonalFieldRule>;
export type MemberFieldName = keyof typeof MEMBER_FIELDS;

/**
 * Fields other schema files of this service may add to Member later (e.g. the identity
 * schema's sessions). Classified ahead so they are guarded from their first commit.
 */
export const RESERVED_MEMBER_FIELDS = {
  sessions: { group: 'personal', about: 'サインイン中の端末 (sessions)' },
} as const satisfies Record<string, PersonalFieldRule>;
export type ReservedMemberFieldName = keyof typeof RESERVED_MEMBER_FIELDS;

export function fieldGroup(field: MemberFieldName | ReservedMemberFieldName): FieldGroup {
  return field in MEMBER_FIELDS
    ? MEMBER_FIELDS[field as MemberFieldName].group
    : RESERVED_MEMBER_FIELDS[field as ReservedMemberFieldName].group;
}

export function fieldsOfGroup(group: FieldGroup): MemberFieldName[] {
  return fieldsOfGroupIn(MEMBER_FIELDS, group);
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
  nonPartnerOrganizationAdmin:
    'パートナーでない組織の管理者 — キーの発行は NOT_A_PARTNER で拒否 (admin of an organisation that is not a partner; minting a key is refused, see below)',
  partnerWithoutScope: 'パートナーキー・スコープなし (partner key without the scope)',
  partnerWithoutConsent:
    'パートナーキー・スコープあり・この目的への同意なし (partner key, scope; the member consented to this partner, but for another purpose)',
  partnerWithConsent:
    'パートナーキー・スコープとこの組織・目的への同意あり (partner key, scope, and the member’s consent to this partner for this purpose)',
  partnerAfterWithdrawal: 'パートナーキー・同意撤回後 (partner key after consent withdrawal)',
  partnerWithConsentToAnotherPartner:
    'パートナーキー・同意は別のパートナーに対するもの (partner key, scope; the member consented to this purpose for another partner only)',
  partnerWithLegacyConsent:
    'パートナーキー・受領者を指定しない旧来の同意のみ (partner key, scope; the member’s only consent to this purpose names no recipient — recorded before recipients were)',
  partnerOutsideCeiling:
    'パートナーキー・範囲の引き下げで目的が範囲外 (partner key whose purpose the hub admin has since removed from the partner’s ceiling; the member’s consent stands)',
  partnerWithdrawn:
    'パートナー指定を取り消された組織のキー (key of an organisation whose partner status was withdrawn — as the gateway may still forward it within its ≤ 10 s cache)',
} as const;
export type Viewer = keyof typeof VIEWERS;

/** Which kind of caller (the kit's CALLER_KINDS) each viewer is, to the rule. */
export const VIEWER_KINDS = {
  anonymous: 'anonymous',
  self: 'self',
  otherMember: 'otherMember',
  staffOfMembersOrganization: 'registeredStaff',
  // Only an active affiliation the member confirmed makes a member "registered with" an
  // organisation: staff of a former or unconfirmed one are staff of an unrelated one.
  staffOfFormerOrganization: 'otherMember',
  staffOfUnconfirmedOrganization: 'otherMember',
  staffOfUnrelatedOrganization: 'otherMember',
  hubAdmin: 'hubAdmin',
  partnerWithoutScope: 'partnerWithoutScope',
  // An organisation's admin who may mint no key reads what any other staff may read.
  nonPartnerOrganizationAdmin: 'otherMember',
  partnerWithoutConsent: 'partnerWithoutConsent',
  partnerWithConsent: 'partnerWithConsent',
  partnerAfterWithdrawal: 'partnerWithoutConsent',
  // Consent is to someone (APPI art. 27): one naming another partner, or nobody, opens nothing.
  partnerWithConsentToAnotherPartner: 'partnerWithoutConsent',
  partnerWithLegacyConsent: 'partnerWithoutConsent',
  partnerOutsideCeiling: 'partnerOutsideCeiling',
  partnerWithdrawn: 'partnerNotAPartner',
} as const satisfies Record<Viewer, CallerKind>;

/** What each viewer gets of each column: the kit's rule for the viewer's kind of caller. */
export const ACCESS_MATRIX = Object.fromEntries(
  (Object.keys(VIEWER_KINDS) as Viewer[]).map((viewer) => [
    viewer,
    ACCESS_BY_CALLER[VIEWER_KINDS[viewer]],
  ]),
) as Record<Viewer, Record<AccessColumn, AccessOutcome>>;

/** What a viewer gets for a field of a member with the given visibility setting. */
export function expectedAccess(
  viewer: Viewer,
  field: MemberFieldName,
  visibility: ProfileVisibilityValue,
): AccessOutcome {
  return ACCESS_MATRIX[viewer][accessColumn(MEMBER_FIELDS[field].group, visibility)];
}

/**
 * Who may mint a partner API key (`createApiKey`) for an organisation — the organisation in
 * each column, the caller in each row. Keys are for partners only, within the ceiling a hub
 * admin granted (scopes and purpose), whoever asks.
 */
export const KEY_MINTERS = {
  anonymous: '未サインイン (anonymous)',
  member: 'その組織と無関係のメンバー (a member with no role in the organisation)',
  organizationStaff: 'その組織のスタッフ・コーディネーター (staff/coordinator of the organisation)',
  organizationAdmin: 'その組織の管理者 (admin of the organisation)',
  hubAdmin: 'ハブ管理者 (hub admin)',
  partnerKey: 'その組織のパートナーキー (a partner key of the organisation)',
} as const;
export type KeyMinter = keyof typeof KEY_MINTERS;

export const KEY_TARGETS = {
  withinCeiling: 'パートナー組織・範囲内のキー (a partner, a key within its ceiling)',
  outsideCeiling:
    'パートナー組織・範囲外の目的のキー (a partner, a key with a purpose beyond its ceiling)',
  notPartner: 'パートナーでない組織 (an organisation that is not a partner)',
  withdrawnPartner:
    'パートナー指定を取り消された組織 (an organisation whose partner status was withdrawn)',
} as const;
export type KeyTarget = keyof typeof KEY_TARGETS;

export type MintOutcome =
  | 'ok'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_A_PARTNER'
  | 'OUTSIDE_PARTNER_CEILING';

const mintRefusedForAll = (code: MintOutcome) =>
  ({
    withinCeiling: code,
    outsideCeiling: code,
    notPartner: code,
    withdrawnPartner: code,
  }) as const;
const MINTS_FOR_PARTNERS = {
  withinCeiling: 'ok',
  outsideCeiling: 'OUTSIDE_PARTNER_CEILING',
  notPartner: 'NOT_A_PARTNER',
  withdrawnPartner: 'NOT_A_PARTNER',
} as const;

export const KEY_MINTING: Record<KeyMinter, Record<KeyTarget, MintOutcome>> = {
  anonymous: mintRefusedForAll('UNAUTHENTICATED'),
  member: mintRefusedForAll('FORBIDDEN'),
  organizationStaff: mintRefusedForAll('FORBIDDEN'),
  organizationAdmin: MINTS_FOR_PARTNERS,
  hubAdmin: MINTS_FOR_PARTNERS,
  partnerKey: mintRefusedForAll('FORBIDDEN'),
};

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
    'ハブ管理者、またはサインイン済みメンバー (作成者が ADMIN として所属); 作成者がスタッフでない構成団体は確認待ち (hub admin, or any signed-in member, who becomes its ADMIN; consortium members the creator is not staff of stay pending until their admin confirms)',
  addAffiliation:
    'ハブ管理者、またはその組織の管理者・スタッフ; スタッフ職 (STAFF/COORDINATOR/ADMIN) の付与は管理者のみ; ハブ管理者か本人が追加した所属以外は本人の確認待ち (hub admin, or admin/staff of that organisation; granting a staff role: hub admin or the organisation’s admin; unless added by a hub admin or the member themself, it awaits the member’s confirmation)',
  endAffiliation:
    'ハブ管理者、その組織の管理者・スタッフ、または本人; スタッフ職の終了は管理者か本人 (hub admin, admin/staff of that organisation, or the member; ending a staff role: hub admin, the organisation’s admin, or the member)',
  promoteMember:
    'ハブ管理者、またはその組織の管理者・スタッフ; スタッフ職が関わる昇格は管理者のみ; 確認状態は元の所属を引き継ぐ (hub admin, or admin/staff of that organisation; to or from a staff role: hub admin or the organisation’s admin; the new affiliation keeps the confirmation of the one it follows)',
  confirmAffiliation: '本人 (the member; an affiliation awaiting them)',
  declineAffiliation:
    '本人 (the member; an affiliation awaiting them — it ends today and stays as history)',
  confirmConsortiumMembership:
    'ハブ管理者、または構成団体の管理者 (hub admin, or the admin of the member organisation; a membership awaiting it)',
  declineConsortiumMembership:
    'ハブ管理者、または構成団体の管理者 — 確認待ちの加盟は削除 (hub admin, or the admin of the member organisation; the pending membership is removed)',
  grantConsent:
    '本人 — 受け取る組織はその利用目的を認められたパートナーのみ (the member; the recipient must be a partner allowed that purpose — NOT_A_PARTNER / OUTSIDE_PARTNER_CEILING otherwise)',
  withdrawConsent: '本人 — 受け取る組織ごと (the member; per recipient and purpose)',
  createApiKey:
    'パートナー組織の管理者またはハブ管理者、範囲内のみ — 上の表 (a partner organisation’s admin or a hub admin, within its ceiling; see “Minting partner keys” above)',
  grantPartnership: 'ハブ管理者 (hub admin; audited)',
  updatePartnership: 'ハブ管理者 (hub admin; audited)',
  withdrawPartnership:
    'ハブ管理者 — その組織のキーをすべて失効 (hub admin; revokes all its keys; audited)',
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
  'Organization.pendingConsortiumMemberships':
    'ハブ管理者、またはその組織のスタッフ (hub admin, or staff of that organisation — either side of the membership)',
  partners:
    '誰でも — 取り消し済みを含めるのはハブ管理者のみ (anyone; with includeWithdrawn, hub admins only)',
  'Organization.isPartner': '誰でも (anyone)',
  'Organization.partnerPurposes': '誰でも (anyone)',
  'Organization.partnership':
    'ハブ管理者、またはその組織のスタッフ (hub admin, or staff of that organisation)',
  'Partnership.history': 'ハブ管理者 (hub admin)',
} as const;
