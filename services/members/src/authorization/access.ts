import { todayInJapan } from '@hub/contracts';
import {
  type ConsentPurpose,
  isHubAdmin,
  isMember,
  isPartner,
  type PartnerIdentity,
  type PartnerScope,
  staffOrganizationIds,
} from '@hub/identity';
import { AppError, requestGroupLoader, requestLoader, unauthorizedError } from '@hub/service-kit';
import type { MembersContext } from '../builder.js';
import { confirmedActiveOn } from '../domain/affiliation-confirmation.js';
import { consentingNoticeVersions } from '../domain/privacy/notices.js';
import type { Prisma, ProfileVisibility } from '../generated/prisma/client.js';
import { recordPartnerRead } from './partner-read-audit.js';
import { partnerKeyRefusal } from './partner-standing.js';
import {
  fieldGroup,
  MEMBER_FILTERS,
  type MemberFieldName,
  type MemberFilterName,
  PERSONAL_DATA_SCOPE,
  type ReservedMemberFieldName,
} from './rules.js';

/** The kit's scopes (hubAuthScopes) a Member field rule is written in. */
type MemberScopes = {
  self?: string;
  admin?: boolean;
  member?: boolean;
  staffOf?: readonly string[];
  partnerScope?: PartnerScope;
};

/** What a rule needs of the member being read (every Member row has it). */
export type GuardedMember = { id: string; profileVisibility: ProfileVisibility };

/** Why a partner key that has the scope was refused a member's data. */
type PartnerRefusalCode = 'CONSENT_REQUIRED' | 'NOT_A_PARTNER' | 'OUTSIDE_PARTNER_CEILING';

// Members a partner key with the scope was refused in this request, and why: the refusal
// says CONSENT_REQUIRED (or that the key's organisation is no partner, or beyond its ceiling)
// rather than FORBIDDEN, so the partner knows what is missing.
const partnerRefusals = new WeakMap<MembersContext, Map<string, PartnerRefusalCode>>();

function refusePartner(context: MembersContext, memberId: string, code: PartnerRefusalCode) {
  const refused = partnerRefusals.get(context) ?? new Map<string, PartnerRefusalCode>();
  partnerRefusals.set(context, refused.set(memberId, code));
}

/**
 * A live consent of the member for this partner: naming the key's organisation as recipient
 * and the key's purpose, not withdrawn, under a notice version that still counts. Consents
 * recorded before recipients were (recipient null) match no partner.
 */
function partnerConsent(identity: PartnerIdentity, purpose: ConsentPurpose) {
  return {
    recipientOrganizationId: identity.organizationId,
    purpose,
    withdrawnAt: null,
    noticeVersion: { in: consentingNoticeVersions(purpose) },
  } satisfies Prisma.ConsentWhereInput;
}

function consentLoader(
  context: MembersContext,
  identity: PartnerIdentity,
  purpose: ConsentPurpose,
) {
  return requestLoader(context, `memberConsent:${identity.organizationId}:${purpose}`, {
    // One query for every member this request touches; never cached across requests, so a
    // withdrawal takes effect on the very next request.
    fetch: (memberIds: readonly string[]) =>
      context.prisma.consent.findMany({
        where: { memberId: { in: [...memberIds] }, ...partnerConsent(identity, purpose) },
        select: { memberId: true },
        distinct: ['memberId'],
      }),
    keyOf: (consent) => consent.memberId,
  });
}

function staffAffiliationLoader(context: MembersContext, staffIds: readonly string[]) {
  return requestGroupLoader(context, 'memberActiveStaffOrganizations', {
    // Only the caller's own staff organisations matter, so only those rows are read. Only
    // affiliations the member confirmed count: an organisation cannot make someone "registered
    // with it" by adding them.
    fetch: (memberIds: readonly string[]) =>
      context.prisma.affiliation.findMany({
        where: {
          memberId: { in: [...memberIds] },
          organizationId: { in: [...staffIds] },
          ...confirmedActiveOn(todayInJapan()),
        },
        select: { memberId: true, organizationId: true },
      }),
    groupOf: (affiliation) => affiliation.memberId,
  });
}

/**
 * Organisations where the caller holds a staff role and the member is registered (an active
 * affiliation the member confirmed, any role) — batched: one query for all members of the
 * request.
 */
export async function sharedStaffOrganizations(
  context: MembersContext,
  memberId: string,
): Promise<string[]> {
  const staffIds = staffOrganizationIds(context.identity);
  if (staffIds.length === 0) return [];
  const rows = await staffAffiliationLoader(context, staffIds).load(memberId);
  return rows.map((row) => row.organizationId);
}

/**
 * The rule for personal data, written in the kit's scopes: the member (`self`), a hub admin
 * (`admin`), staff of an organisation the member is registered with (`staffOf`), or a partner
 * key with the personal-data scope (`partnerScope`) of an organisation that is a partner now,
 * within its ceiling, to which the member consented for the key's purpose. A partner read
 * that passes is recorded in the audit log before the value is released.
 */
async function personalDataScopes(
  context: MembersContext,
  memberId: string,
  fields: readonly string[],
): Promise<MemberScopes | boolean> {
  const { identity } = context;
  if (isPartner(identity)) {
    if (!identity.scopes.includes(PERSONAL_DATA_SCOPE))
      return { partnerScope: PERSONAL_DATA_SCOPE };
    const standing = await partnerKeyRefusal(context);
    if (standing) {
      refusePartner(context, memberId, standing);
      return false;
    }
    const hasConsent =
      identity.purpose !== null &&
      (await consentLoader(context, identity, identity.purpose).load(memberId)) !== null;
    if (!hasConsent) {
      refusePartner(context, memberId, 'CONSENT_REQUIRED');
      return false;
    }
    await recordPartnerRead(context, memberId, fields);
    return { partnerScope: PERSONAL_DATA_SCOPE };
  }
  if (!isMember(identity)) return { self: memberId };
  const scopes: MemberScopes = { self: memberId, admin: true };
  // The member and admins pass on their own; only others need the affiliation lookup.
  if (identity.memberId === memberId || isHubAdmin(identity)) return scopes;
  return { ...scopes, staffOf: await sharedStaffOrganizations(context, memberId) };
}

/** The scope rule of one Member field for one member, as scope-auth evaluates it. */
export async function memberFieldScopes(
  context: MembersContext,
  member: GuardedMember,
  field: MemberFieldName | ReservedMemberFieldName,
): Promise<MemberScopes | boolean> {
  switch (fieldGroup(field)) {
    case 'public':
      return true;
    case 'owner':
      return { self: member.id, admin: true };
    case 'profile':
      if (member.profileVisibility === 'PUBLIC') return true;
      if (member.profileVisibility === 'MEMBERS' && isMember(context.identity)) return true;
      // Profiles shown to members or staff only: whoever may see personal data may see them.
      return personalDataScopes(context, member.id, [field]);
    case 'personal':
      return personalDataScopes(context, member.id, [field]);
  }
}

const PARTNER_REFUSALS: Record<PartnerRefusalCode, string> = {
  CONSENT_REQUIRED:
    'あなたの組織がこの利用目的で受け取ることへのメンバーの同意がありません (the member has not consented to your organisation receiving their data for this key’s purpose)',
  NOT_A_PARTNER:
    'このキーの組織はパートナーではありません (the key’s organisation is not a partner)',
  OUTSIDE_PARTNER_CEILING:
    'このキーの権限・利用目的はパートナーに認められた範囲を超えています (the key’s scopes or purpose are beyond its partner’s ceiling)',
};

/**
 * The error of a refused Member field: why a partner key with the scope was refused (consent,
 * partner status, ceiling) where those would have opened it, else the kit's
 * UNAUTHENTICATED/FORBIDDEN. Owner fields never open for partners, so their refusal does not
 * depend on which other fields of the member were checked first.
 */
export function memberFieldRefusal(
  context: MembersContext,
  member: GuardedMember,
  field: MemberFieldName | ReservedMemberFieldName,
): AppError {
  const group = fieldGroup(field);
  const mayOpenForPartner = group === 'personal' || group === 'profile';
  const code = mayOpenForPartner ? partnerRefusals.get(context)?.get(member.id) : undefined;
  if (code) return new AppError(code, PARTNER_REFUSALS[code]);
  return unauthorizedError(context);
}

/**
 * Options that guard one Member field by its group in rules.ts; spread them into the field's
 * definition. Guarded fields must be nullable: a refusal is null plus an error at the field.
 */
export function memberFieldAuth(field: MemberFieldName | ReservedMemberFieldName) {
  if (fieldGroup(field) === 'public') return {};
  return {
    authScopes: (member: GuardedMember, _args: unknown, context: MembersContext) =>
      memberFieldScopes(context, member, field),
    unauthorizedError: (member: GuardedMember, _args: unknown, context: MembersContext) =>
      memberFieldRefusal(context, member, field).toGraphQLError(),
  };
}

function staffWhere(context: MembersContext): Prisma.MemberWhereInput | null {
  const staffIds = staffOrganizationIds(context.identity);
  if (staffIds.length === 0) return null;
  return {
    affiliations: {
      some: { organizationId: { in: staffIds }, ...confirmedActiveOn(todayInJapan()) },
    },
  };
}

/**
 * The members a partner key may read through consent, as a query condition — null when it
 * may read nobody's (no scope, no purpose, not a partner now, beyond its ceiling), with the
 * code to refuse a personal filter with.
 */
async function partnerConsentWhere(
  context: MembersContext,
  identity: PartnerIdentity,
): Promise<Prisma.MemberWhereInput | AppError> {
  if (!identity.scopes.includes(PERSONAL_DATA_SCOPE)) return unauthorizedError(context);
  const standing = await partnerKeyRefusal(context);
  if (standing) return new AppError(standing, PARTNER_REFUSALS[standing]);
  if (!identity.purpose) {
    return new AppError(
      'CONSENT_REQUIRED',
      'このキーには利用目的がありません (this key declares no purpose of use)',
    );
  }
  return { consents: { some: partnerConsent(identity, identity.purpose) } };
}

/**
 * The members whose personal data the caller may read, as a query condition (the same rule as
 * personalDataScopes); an error when the caller may read nobody's and must be refused outright.
 */
async function personalWhere(context: MembersContext): Promise<Prisma.MemberWhereInput | AppError> {
  const { identity } = context;
  if (isHubAdmin(identity)) return {};
  if (isMember(identity)) {
    const staff = staffWhere(context);
    return { OR: [{ id: identity.memberId }, ...(staff ? [staff] : [])] };
  }
  if (isPartner(identity)) return partnerConsentWhere(context, identity);
  return unauthorizedError(context);
}

/** The members whose profile fields the caller may read (the same rule as memberFieldScopes). */
async function profileWhere(context: MembersContext): Promise<Prisma.MemberWhereInput> {
  const { identity } = context;
  if (isHubAdmin(identity)) return {};
  if (isMember(identity)) {
    const staff = staffWhere(context);
    return {
      OR: [
        { profileVisibility: { in: ['PUBLIC', 'MEMBERS'] } },
        { id: identity.memberId },
        ...(staff ? [staff] : []),
      ],
    };
  }
  if (isPartner(identity)) {
    const consenting = await partnerConsentWhere(context, identity);
    if (!(consenting instanceof AppError)) {
      return { OR: [{ profileVisibility: 'PUBLIC' }, consenting] };
    }
  }
  return { profileVisibility: 'PUBLIC' };
}

/**
 * Conditions that keep a filtered members list from revealing what reading would refuse: a
 * filter on a profile field only matches members whose profile the caller may see, a filter on
 * a personal field only members whose personal data the caller may see (and is refused
 * outright for callers who may see nobody's).
 */
export async function memberFilterConditions(
  context: MembersContext,
  filters: readonly MemberFilterName[],
): Promise<Prisma.MemberWhereInput[]> {
  const groups = new Set(filters.map((filter) => fieldGroup(MEMBER_FILTERS[filter])));
  const conditions: Prisma.MemberWhereInput[] = [];
  if (groups.has('profile')) conditions.push(await profileWhere(context));
  if (groups.has('personal')) {
    const where = await personalWhere(context);
    if (where instanceof AppError) throw where;
    conditions.push(where);
  }
  return conditions;
}

/**
 * A partner's filter reveals the filtered field of every member it returns, so it is logged
 * like reading the field: personal filters for every member returned, profile filters for
 * members whose profile is not public.
 */
export async function recordPartnerFilterReads(
  context: MembersContext,
  members: readonly GuardedMember[],
  filters: readonly MemberFilterName[],
): Promise<void> {
  if (!isPartner(context.identity) || filters.length === 0) return;
  const reads = members.flatMap((member) => {
    const fields = filters
      .map((filter) => MEMBER_FILTERS[filter])
      .filter((field) => {
        const group = fieldGroup(field);
        return (
          group === 'personal' || (group === 'profile' && member.profileVisibility !== 'PUBLIC')
        );
      });
    return fields.length > 0 ? [recordPartnerRead(context, member.id, fields)] : [];
  });
  await Promise.all(reads);
}
