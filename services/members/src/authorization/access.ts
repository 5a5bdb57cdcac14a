import { todayInJapan } from '@hub/contracts';
import { consentingNoticeVersions, staffOrganizationIds } from '@hub/identity';
import {
  AppError,
  type ConsentRecipient,
  personalDataGuard,
  type ReadableMembers,
  requestGroupLoader,
  requestLoader,
} from '@hub/service-kit';
import type { MembersContext } from '../builder.js';
import { confirmedActiveOn } from '../domain/affiliation-confirmation.js';
import type { Prisma, ProfileVisibility } from '../generated/prisma/client.js';
import { memberPartnerReads } from './partner-read-audit.js';
import { partnerKeyRefusal } from './partner-standing.js';
import {
  MEMBER_FIELDS,
  MEMBER_FILTERS,
  type MemberFieldName,
  type MemberFilterName,
  RESERVED_MEMBER_FIELDS,
  type ReservedMemberFieldName,
} from './rules.js';

/** What a rule needs of the member being read (every Member row has it). */
export type GuardedMember = { id: string; profileVisibility: ProfileVisibility };

/**
 * A live consent of the member for this partner: naming the key's organisation as recipient
 * and the key's purpose, not withdrawn, under a notice version that still counts. Consents
 * recorded before recipients were (recipient null) match no partner.
 */
function partnerConsent(recipient: ConsentRecipient) {
  return {
    recipientOrganizationId: recipient.organizationId,
    purpose: recipient.purpose,
    withdrawnAt: null,
    noticeVersion: { in: consentingNoticeVersions(recipient.purpose) },
  } satisfies Prisma.ConsentWhereInput;
}

function consentLoader(context: MembersContext, recipient: ConsentRecipient) {
  return requestLoader(context, `memberConsent:${recipient.organizationId}:${recipient.purpose}`, {
    // One query for every member this request touches; never cached across requests, so a
    // withdrawal takes effect on the very next request.
    fetch: (memberIds: readonly string[]) =>
      context.prisma.consent.findMany({
        where: { memberId: { in: [...memberIds] }, ...partnerConsent(recipient) },
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
 * The hub's rule for personal data (the kit's), applied to Member with the facts members holds
 * itself: affiliations, the partnership behind a key (read once per request, so a withdrawn
 * status or a lowered ceiling stops reads at once, whatever the gateway cached) and consents.
 * A partner read that passes is written to the audit log before the value is released.
 */
export const memberGuard = personalDataGuard<
  MembersContext,
  GuardedMember,
  MemberFieldName | ReservedMemberFieldName
>({
  fields: { ...MEMBER_FIELDS, ...RESERVED_MEMBER_FIELDS },
  subjectOf: (member) => ({ memberId: member.id, visibility: member.profileVisibility }),
  facts: {
    registeredWith: (context, memberId) => sharedStaffOrganizations(context, memberId),
    partnerStanding: (context) => partnerKeyRefusal(context),
    hasConsent: async (context, memberId, recipient) =>
      (await consentLoader(context, recipient).load(memberId)) !== null,
  },
  audit: memberPartnerReads,
});

/**
 * Options that guard one Member field by its group in rules.ts; spread them into the field's
 * definition. Guarded fields must be nullable: a refusal is null plus an error at the field.
 */
export function memberFieldAuth(field: MemberFieldName | ReservedMemberFieldName) {
  return memberGuard.fieldAuth(field);
}

function staffWhere(staffIds: readonly string[]): Prisma.MemberWhereInput {
  return {
    affiliations: {
      some: { organizationId: { in: [...staffIds] }, ...confirmedActiveOn(todayInJapan()) },
    },
  };
}

/** The kit's readable members as a Member condition. */
function memberWhereOf(readable: ReadableMembers): Prisma.MemberWhereInput {
  if (readable.all) return {};
  return {
    OR: [
      ...(readable.visibilities.length > 0
        ? [{ profileVisibility: { in: [...readable.visibilities] } }]
        : []),
      ...(readable.memberId ? [{ id: readable.memberId }] : []),
      ...(readable.registeredWith.length > 0 ? [staffWhere(readable.registeredWith)] : []),
      ...(readable.consentingTo
        ? [{ consents: { some: partnerConsent(readable.consentingTo) } }]
        : []),
    ],
  };
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
  const groups = new Set(filters.map((filter) => MEMBER_FIELDS[MEMBER_FILTERS[filter]].group));
  const conditions: Prisma.MemberWhereInput[] = [];
  for (const group of ['profile', 'personal'] as const) {
    if (!groups.has(group)) continue;
    const readable = await memberGuard.readableMembers(context, group);
    if (readable instanceof AppError) throw readable;
    conditions.push(memberWhereOf(readable));
  }
  return conditions;
}

/**
 * A partner's filter reveals the filtered field of every member it returns, so it is logged
 * like reading the field: personal filters for every member returned, profile filters for
 * members whose profile is not public.
 */
export function recordPartnerFilterReads(
  context: MembersContext,
  members: readonly GuardedMember[],
  filters: readonly MemberFilterName[],
): Promise<void> {
  return memberGuard.recordFilterReads(
    context,
    members,
    filters.map((filter) => MEMBER_FILTERS[filter]),
  );
}
