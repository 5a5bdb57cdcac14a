// The hub's one rule for personal data (docs/authorization.md), as data: the groups a field
// can be in, the callers the rule tells apart, and what each caller gets of each group. Every
// service that holds personal data declares its fields in a table of these groups; the kit's
// decision (decide.ts) and field wiring (guard.ts) apply the rule, and services' matrix tests
// walk the same tables against the running service.

import type { PartnerScope } from '@hub/identity';

/**
 * - public: anyone, anonymous callers and partner keys included.
 * - profile: follows the member's profile visibility (PUBLIC / MEMBERS / STAFF); a service that
 *   does not know the setting treats it as STAFF, the strictest.
 * - personal: the member, hub admins, staff of an organisation the member is actively
 *   registered with (an affiliation the member confirmed), and partner keys with
 *   `members:personal:read` of an organisation that is a partner now, within its ceiling, with
 *   the member's live consent naming that organisation and the key's purpose.
 * - owner: the member and hub admins only.
 */
export const FIELD_GROUPS = ['public', 'profile', 'personal', 'owner'] as const;
export type FieldGroup = (typeof FIELD_GROUPS)[number];

/**
 * The setting as Prisma and GraphQL spell it; events carry the same values in the contracts'
 * vocabulary (`PROFILE_VISIBILITIES`: 'public', 'members', 'staff').
 */
export const PROFILE_VISIBILITY_VALUES = ['PUBLIC', 'MEMBERS', 'STAFF'] as const;
export type ProfileVisibilityValue = (typeof PROFILE_VISIBILITY_VALUES)[number];

/**
 * The partner scope that opens personal data (with the member's consent to the key's
 * organisation receiving it for the key's purpose), in every service.
 */
export const PERSONAL_DATA_SCOPE = 'members:personal:read' as const satisfies PartnerScope;

/** One field of a service's personal-data table: its group and what it holds (ja, en). */
export type PersonalFieldRule = { group: FieldGroup; about: string };

/** A service's table: every field of one GraphQL type that is about a member, with its group. */
export type PersonalFieldTable = Readonly<Record<string, PersonalFieldRule>>;

/** The field names of a table whose group is `group`, in the table's order. */
export function fieldsOfGroup<T extends PersonalFieldTable>(
  table: T,
  group: FieldGroup,
): (keyof T & string)[] {
  return (Object.keys(table) as (keyof T & string)[]).filter(
    (field) => table[field]!.group === group,
  );
}

/**
 * Who the caller is relative to one member (the subject) — all the rule looks at. A service's
 * matrix test names its own viewers (staff of a former organisation, a partner after
 * withdrawal, …) and says which kind each one is.
 */
export const CALLER_KINDS = {
  anonymous: '未サインイン (anonymous)',
  self: '本人 (the member)',
  otherMember:
    '他のメンバー・無関係な組織のスタッフ (another member, or staff of an organisation the member is not registered with)',
  registeredStaff:
    '登録先組織のスタッフ (staff of an organisation the member is registered with: an active affiliation the member confirmed)',
  hubAdmin: 'ハブ管理者 (hub admin)',
  partnerWithoutScope: 'パートナーキー・スコープなし (partner key without members:personal:read)',
  partnerNotAPartner:
    'パートナーでなくなった組織のキー (key of an organisation that is no longer a partner)',
  partnerOutsideCeiling:
    'パートナーの範囲を超えるキー (key beyond its partner’s ceiling of scopes and purposes)',
  partnerWithoutConsent:
    'パートナーキー・この組織と目的への有効な同意なし (partner key; no live consent of the member naming its organisation and its purpose)',
  partnerWithConsent:
    'パートナーキー・この組織と目的への有効な同意あり (partner key with the scope and the member’s live consent naming its organisation and purpose)',
} as const;
export type CallerKind = keyof typeof CALLER_KINDS;

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

/** Why a partner key with the scope was refused what consent would open. */
export type PartnerRefusalCode = 'CONSENT_REQUIRED' | 'NOT_A_PARTNER' | 'OUTSIDE_PARTNER_CEILING';

/**
 * - `ok`: the value is returned.
 * - `ok+audit`: returned, and recorded in the member's audit log (PARTNER_READ, once per
 *   member per request, with the field names) — every read a partner could only make through
 *   consent.
 * - an error code: the field is null and the response carries that error at the field's path.
 */
export type AccessOutcome =
  | 'ok'
  | 'ok+audit'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | PartnerRefusalCode;

export function accessColumn(
  group: FieldGroup,
  visibility: ProfileVisibilityValue = 'STAFF',
): AccessColumn {
  return group === 'profile' ? `profile:${visibility}` : group;
}

const ALL_OK = { public: 'ok', 'profile:PUBLIC': 'ok' } as const;
/** A partner key with the scope, refused what only consent would open, with this code. */
const partnerRefused = (code: PartnerRefusalCode) =>
  ({
    ...ALL_OK,
    'profile:MEMBERS': code,
    'profile:STAFF': code,
    personal: code,
    owner: 'FORBIDDEN',
  }) as const;

/** The rule: what each kind of caller gets of each column. */
export const ACCESS_BY_CALLER: Record<CallerKind, Record<AccessColumn, AccessOutcome>> = {
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
  registeredStaff: {
    ...ALL_OK,
    'profile:MEMBERS': 'ok',
    'profile:STAFF': 'ok',
    personal: 'ok',
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
  partnerNotAPartner: partnerRefused('NOT_A_PARTNER'),
  partnerOutsideCeiling: partnerRefused('OUTSIDE_PARTNER_CEILING'),
  partnerWithoutConsent: partnerRefused('CONSENT_REQUIRED'),
  partnerWithConsent: {
    ...ALL_OK,
    'profile:MEMBERS': 'ok+audit',
    'profile:STAFF': 'ok+audit',
    personal: 'ok+audit',
    owner: 'FORBIDDEN',
  },
};

/** What a kind of caller gets for a field of `group` of a member with this visibility. */
export function accessOf(
  kind: CallerKind,
  group: FieldGroup,
  visibility?: ProfileVisibilityValue,
): AccessOutcome {
  return ACCESS_BY_CALLER[kind][accessColumn(group, visibility)];
}
