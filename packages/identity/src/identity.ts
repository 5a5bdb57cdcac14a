import { CONSENT_PURPOSES, type TAffiliationRole, type TConsentPurpose } from '@hub/contracts';
import { z } from 'zod';

/** Hub-wide roles a member can hold outside any organisation. */
export const GLOBAL_ROLES = ['admin'] as const;
export type GlobalRole = (typeof GLOBAL_ROLES)[number];

/**
 * Roles whose holders may see the personal data of the people registered with their
 * organisation (a centre's coordinator sees its workers' availability; an expert does not).
 */
export const STAFF_ROLES = ['staff', 'coordinator', 'admin'] as const satisfies TAffiliationRole[];
export type StaffRole = (typeof STAFF_ROLES)[number];

/** What a partner API key may do. */
export const PARTNER_SCOPES = [
  /** Public directory data (spaces, events, programs, public member profiles). */
  'public:read',
  /** Aggregated figures for the partner's municipality. */
  'statistics:read',
  /** Personal data of members who consented to the key's purpose. */
  'members:personal:read',
] as const;
export type PartnerScope = (typeof PARTNER_SCOPES)[number];

// Purposes of use (利用目的) are shared vocabulary: events carry them too.
export { CONSENT_PURPOSES } from '@hub/contracts';
export type ConsentPurpose = TConsentPurpose;

/** The notice versions a purpose's consents are given under, and which still count. */
export type ConsentNoticeVersions = {
  /** The version members consent to now (members' privacy notice of the purpose). */
  current: string;
  /**
   * Earlier versions whose consents still count (a wording fix). A change of what is shared
   * or with whom leaves this empty, so partners read nothing until members consent again.
   */
  stillCovered: readonly string[];
};

/**
 * Notice versions per purpose. The members service shows the notices and records consents
 * under `current`; every service that decides a partner's read checks a consent's version
 * against these, so a new notice stops the old consents everywhere at once.
 */
export const CONSENT_NOTICE_VERSIONS: Record<ConsentPurpose, ConsentNoticeVersions> = {
  'municipal-relocation-support': { current: '2026-12', stillCovered: [] },
  'work-matching': { current: '2026-12', stillCovered: [] },
  'program-guidance': { current: '2026-12', stillCovered: [] },
};

/** Notice versions under which a consent to the purpose lets a partner read personal data. */
export function consentingNoticeVersions(purpose: ConsentPurpose): string[] {
  const versions = CONSENT_NOTICE_VERSIONS[purpose];
  return [versions.current, ...versions.stillCovered];
}

export const ZStaffOf = z.object({
  organizationId: z.uuid(),
  role: z.enum(STAFF_ROLES),
});
export type StaffOf = z.infer<typeof ZStaffOf>;

export const ZMemberIdentity = z.object({
  kind: z.literal('member'),
  memberId: z.uuid(),
  /** Refresh-token family (session) the access token was issued for. */
  sessionId: z.uuid(),
  roles: z.array(z.enum(GLOBAL_ROLES)),
  /** Organisations where the member holds a staff role, at the time the token was issued. */
  staffOf: z.array(ZStaffOf),
});
export type MemberIdentity = z.infer<typeof ZMemberIdentity>;

export const ZPartnerIdentity = z.object({
  kind: z.literal('partner'),
  keyId: z.uuid(),
  organizationId: z.uuid(),
  scopes: z.array(z.enum(PARTNER_SCOPES)),
  purpose: z.enum(CONSENT_PURPOSES).nullable(),
});
export type PartnerIdentity = z.infer<typeof ZPartnerIdentity>;

export const ZIdentity = z.discriminatedUnion('kind', [ZMemberIdentity, ZPartnerIdentity]);
/** Who is calling, verified by the gateway. `null` in a context means anonymous. */
export type Identity = z.infer<typeof ZIdentity>;

export function isMember(identity: Identity | null | undefined): identity is MemberIdentity {
  return identity?.kind === 'member';
}

export function isPartner(identity: Identity | null | undefined): identity is PartnerIdentity {
  return identity?.kind === 'partner';
}

export function isHubAdmin(identity: Identity | null | undefined): boolean {
  return isMember(identity) && identity.roles.includes('admin');
}

/** Organisation ids where the caller holds a staff role. */
export function staffOrganizationIds(identity: Identity | null | undefined): string[] {
  return isMember(identity) ? identity.staffOf.map((entry) => entry.organizationId) : [];
}
