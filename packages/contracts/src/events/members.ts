import { z } from 'zod';
import { ZAffiliationRole } from '../vocabulary/affiliation-roles.js';
import { ZConsentPurpose } from '../vocabulary/consent-purposes.js';
import { ZMemberKind } from '../vocabulary/member-kinds.js';
import { ZMunicipalityCode } from '../vocabulary/municipality-code.js';
import { ZProfileVisibility } from '../vocabulary/profile-visibilities.js';
import { ZTokyoDate } from '../vocabulary/tokyo-dates.js';
import type { ServiceEvents } from './definition.js';

// Events the members service publishes.

const ZSkillLevel = z.int().min(1).max(5);

export const ZMemberRegistered = z.object({
  memberId: z.uuid(),
  displayName: z.string(),
  displayNameKana: z.string().nullable().optional(),
  kind: ZMemberKind,
  municipalityCode: ZMunicipalityCode.nullable(),
  skills: z.array(z.object({ code: z.string(), level: ZSkillLevel })),
});

/** Facts other services keep about a member changed (skills, availability, place, kind). */
export const ZMemberProfileUpdated = z.object({
  memberId: z.uuid(),
  displayName: z.string(),
  kind: ZMemberKind,
  municipalityCode: ZMunicipalityCode.nullable(),
  homeMunicipalityCode: ZMunicipalityCode.nullable(),
  availableHoursPerWeek: z.int().min(0).max(168).nullable(),
  skills: z.array(z.object({ code: z.string(), level: ZSkillLevel, isVerified: z.boolean() })),
  /** Which of the facts above changed. */
  changed: z.array(z.enum(['displayName', 'kind', 'municipality', 'availability', 'skills'])),
});

/**
 * A member's account was erased (APPI): every service anonymises or deletes what it holds about
 * them. Carries no personal data, only the id others key their rows by.
 */
export const ZMemberErased = z.object({
  memberId: z.uuid(),
  erasedAt: z.iso.datetime({ offset: true }),
  requestedBy: z.enum(['member', 'admin']),
});

/** A confirmed affiliation started or ended; its dates are Japanese calendar days. */
export const ZAffiliationChanged = z.object({
  affiliationId: z.uuid(),
  memberId: z.uuid(),
  organizationId: z.uuid(),
  role: ZAffiliationRole,
  startsOn: ZTokyoDate,
  endsOn: ZTokyoDate.nullable(),
  change: z.enum(['started', 'ended']),
});

export const ZOrganizationCreated = z.object({
  organizationId: z.uuid(),
  name: z.string(),
  kind: z.string(),
  municipalityCode: ZMunicipalityCode.nullable(),
});

/**
 * A member consented to a partner organisation receiving their personal data for a purpose
 * (APPI art. 27), under this version of the purpose's privacy notice. Services holding personal
 * data keep the newest state per (member, recipient, purpose) to let that partner read; a newer
 * notice version given for the same recipient and purpose replaces the older consent.
 */
export const ZConsentGranted = z.object({
  memberId: z.uuid(),
  recipientOrganizationId: z.uuid(),
  purpose: ZConsentPurpose,
  noticeVersion: z.string().min(1),
  grantedAt: z.iso.datetime({ offset: true }),
});

/**
 * The member's consent to this recipient for this purpose ended: withdrawn by the member, or
 * gone with the member's erasure (`cause`). From then on that partner reads nothing under it.
 */
export const ZConsentWithdrawn = z.object({
  memberId: z.uuid(),
  recipientOrganizationId: z.uuid(),
  purpose: ZConsentPurpose,
  withdrawnAt: z.iso.datetime({ offset: true }),
  cause: z.enum(['withdrawal', 'erasure']),
});

/**
 * A member's place in the referral graph ("who introduced whom"), as it is now: who introduced
 * them, and their profile visibility, which decides who may see the links to the members they
 * introduced. A link "child was introduced by parent" counts for a viewer when the parent's
 * visibility is `public` or `members`, when the viewer is either of the two, or when the viewer
 * is staff of an organisation either is actively affiliated with (members'
 * trust-distance.ts). Written for every member at registration, whenever the visibility
 * changes, and at erasure (no referrer, `staff`: the erased member's id stays a node the links
 * of the members they introduced still point to). The newest event is the whole truth.
 */
export const ZReferralChanged = z.object({
  memberId: z.uuid(),
  /** The member who introduced them; null when nobody did (or after erasure). */
  referredById: z.uuid().nullable(),
  profileVisibility: ZProfileVisibility,
});

export const MEMBERS_EVENTS = {
  'members.member.registered': { version: 1, schema: ZMemberRegistered },
  'members.member.profile-updated': { version: 1, schema: ZMemberProfileUpdated },
  'members.member.erased': { version: 1, schema: ZMemberErased },
  'members.organization.created': { version: 1, schema: ZOrganizationCreated },
  'members.affiliation.changed': { version: 1, schema: ZAffiliationChanged },
  'members.consent.granted': { version: 1, schema: ZConsentGranted },
  'members.consent.withdrawn': { version: 1, schema: ZConsentWithdrawn },
  'members.referral.changed': { version: 1, schema: ZReferralChanged },
} as const satisfies ServiceEvents<'members'>;
