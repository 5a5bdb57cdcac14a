import {
  type ConsentPurpose,
  isHubAdmin,
  isMember,
  isPartner,
  type PartnerScope,
  staffOrganizationIds,
} from '@hub/identity';
import { AppError, requestGroupLoader, requestLoader, unauthorizedError } from '@hub/service-kit';
import type { MembersContext } from '../builder.js';
import { confirmedActiveOn } from '../domain/affiliation-confirmation.js';
import { todayInJapan } from '../domain/dates.js';
import { consentingNoticeVersions } from '../domain/privacy/notices.js';
import type { Prisma, ProfileVisibility } from '../generated/prisma/client.js';
import { recordPartnerRead } from './partner-read-audit.js';
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

// Members a partner was refused for lack of consent in this request: their refusal says
// CONSENT_REQUIRED rather than FORBIDDEN, so the partner knows what is missing.
const consentRefusals = new WeakMap<MembersContext, Set<string>>();

function consentLoader(context: MembersContext, purpose: ConsentPurpose) {
  return requestLoader(context, `memberConsent:${purpose}`, {
    // One query for every member this request touches; never cached across requests, so a
    // withdrawal takes effect on the very next request.
    fetch: (memberIds: readonly string[]) =>
      context.prisma.consent.findMany({
        where: {
          memberId: { in: [...memberIds] },
          purpose,
          withdrawnAt: null,
          noticeVersion: { in: consentingNoticeVersions(purpose) },
        },
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
 * key with the personal-data scope (`partnerScope`) whose purpose the member consented to.
 * A partner read that passes is recorded in the audit log before the value is released.
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
    const hasConsent =
      identity.purpose !== null &&
      (await consentLoader(context, identity.purpose).load(memberId)) !== null;
    if (!hasConsent) {
      const refused = consentRefusals.get(context) ?? new Set<string>();
      consentRefusals.set(context, refused.add(memberId));
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

/**
 * The error of a refused Member field: CONSENT_REQUIRED where consent would have opened it,
 * else the kit's UNAUTHENTICATED/FORBIDDEN. Owner fields never open by consent, so their
 * refusal does not depend on which other fields of the member were checked first.
 */
export function memberFieldRefusal(
  context: MembersContext,
  member: GuardedMember,
  field: MemberFieldName | ReservedMemberFieldName,
): AppError {
  const group = fieldGroup(field);
  const mayOpenByConsent = group === 'personal' || group === 'profile';
  if (mayOpenByConsent && consentRefusals.get(context)?.has(member.id)) {
    return new AppError(
      'CONSENT_REQUIRED',
      'この利用目的へのメンバーの同意がありません (the member has not consented to this key’s purpose)',
    );
  }
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

function consentWhere(purpose: ConsentPurpose): Prisma.MemberWhereInput {
  return {
    consents: {
      some: {
        purpose,
        withdrawnAt: null,
        noticeVersion: { in: consentingNoticeVersions(purpose) },
      },
    },
  };
}

/**
 * The members whose personal data the caller may read, as a query condition (the same rule as
 * personalDataScopes); null when the caller may read nobody's and must be refused outright.
 */
function personalWhere(context: MembersContext): Prisma.MemberWhereInput | AppError {
  const { identity } = context;
  if (isHubAdmin(identity)) return {};
  if (isMember(identity)) {
    const staff = staffWhere(context);
    return { OR: [{ id: identity.memberId }, ...(staff ? [staff] : [])] };
  }
  if (isPartner(identity) && identity.scopes.includes(PERSONAL_DATA_SCOPE)) {
    if (identity.purpose) return consentWhere(identity.purpose);
    return new AppError(
      'CONSENT_REQUIRED',
      'このキーには利用目的がありません (this key declares no purpose of use)',
    );
  }
  return unauthorizedError(context);
}

/** The members whose profile fields the caller may read (the same rule as memberFieldScopes). */
function profileWhere(context: MembersContext): Prisma.MemberWhereInput {
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
  if (isPartner(identity) && identity.scopes.includes(PERSONAL_DATA_SCOPE) && identity.purpose) {
    return { OR: [{ profileVisibility: 'PUBLIC' }, consentWhere(identity.purpose)] };
  }
  return { profileVisibility: 'PUBLIC' };
}

/**
 * Conditions that keep a filtered members list from revealing what reading would refuse: a
 * filter on a profile field only matches members whose profile the caller may see, a filter on
 * a personal field only members whose personal data the caller may see (and is refused
 * outright for callers who may see nobody's).
 */
export function memberFilterConditions(
  context: MembersContext,
  filters: readonly MemberFilterName[],
): Prisma.MemberWhereInput[] {
  const groups = new Set(filters.map((filter) => fieldGroup(MEMBER_FILTERS[filter])));
  const conditions: Prisma.MemberWhereInput[] = [];
  if (groups.has('profile')) conditions.push(profileWhere(context));
  if (groups.has('personal')) {
    const where = personalWhere(context);
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
