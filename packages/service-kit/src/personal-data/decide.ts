import {
  type ConsentPurpose,
  type Identity,
  isHubAdmin,
  isPartner,
  staffOrganizationIds,
} from '@hub/identity';
import {
  ACCESS_BY_CALLER,
  type AccessColumn,
  type AccessOutcome,
  accessColumn,
  type CallerKind,
  type FieldGroup,
  PERSONAL_DATA_SCOPE,
  type ProfileVisibilityValue,
} from './rules.js';

/** Why a partner key may not be used now, whatever the member consented to; null: it may. */
export type PartnerStanding = 'NOT_A_PARTNER' | 'OUTSIDE_PARTNER_CEILING' | null;

/**
 * What the rule needs beyond the caller's identity, for one member. Each is asked only when
 * its answer could change the outcome, so the member themself, hub admins and public fields
 * cost no query.
 */
export type AccessFacts = {
  /** The member is registered now (an active affiliation they confirmed) with one of the
   * caller's staff organisations. Asked only of members holding a staff role somewhere. */
  isRegisteredWithCallerStaff(): Promise<boolean>;
  /** The calling partner key's standing: its organisation a partner now, the key within the
   * partner's ceiling. Asked only of keys with the personal-data scope. */
  partnerStanding(): Promise<PartnerStanding>;
  /** The member's live consent names the key's organisation as recipient for this purpose. */
  hasConsent(purpose: ConsentPurpose): Promise<boolean>;
};

export type AccessQuestion = {
  /** The caller as the gateway verified it; null: anonymous. */
  identity: Identity | null;
  /** The member the field is about. */
  memberId: string;
  group: FieldGroup;
  /** The member's profile visibility, where the service knows it (STAFF otherwise). */
  visibility?: ProfileVisibilityValue | undefined;
  facts: AccessFacts;
};

const PARTNER_KINDS_WITH_SCOPE: readonly CallerKind[] = [
  'partnerNotAPartner',
  'partnerOutsideCeiling',
  'partnerWithoutConsent',
  'partnerWithConsent',
];

/** The outcome when every kind the caller may still be gives the same one; else undefined. */
function settled(column: AccessColumn, kinds: readonly CallerKind[]): AccessOutcome | undefined {
  const outcomes = new Set(kinds.map((kind) => ACCESS_BY_CALLER[kind][column]));
  return outcomes.size === 1 ? [...outcomes][0] : undefined;
}

/**
 * The rule for one field of one member: ACCESS_BY_CALLER for the kind of caller, asking the
 * facts that tell kinds apart only while they could still change the answer.
 */
export async function decideAccess(question: AccessQuestion): Promise<AccessOutcome> {
  const column = accessColumn(question.group, question.visibility);
  const outcome = (kind: CallerKind) => ACCESS_BY_CALLER[kind][column];
  const { identity, facts } = question;
  if (identity === null) return outcome('anonymous');
  if (isPartner(identity)) {
    if (!identity.scopes.includes(PERSONAL_DATA_SCOPE)) return outcome('partnerWithoutScope');
    const same = settled(column, PARTNER_KINDS_WITH_SCOPE);
    if (same) return same;
    const standing = await facts.partnerStanding();
    if (standing === 'NOT_A_PARTNER') return outcome('partnerNotAPartner');
    if (standing === 'OUTSIDE_PARTNER_CEILING') return outcome('partnerOutsideCeiling');
    const hasConsent = identity.purpose !== null && (await facts.hasConsent(identity.purpose));
    return outcome(hasConsent ? 'partnerWithConsent' : 'partnerWithoutConsent');
  }
  if (identity.memberId === question.memberId) return outcome('self');
  if (isHubAdmin(identity)) return outcome('hubAdmin');
  if (staffOrganizationIds(identity).length === 0) return outcome('otherMember');
  const same = settled(column, ['otherMember', 'registeredStaff']);
  if (same) return same;
  return outcome((await facts.isRegisteredWithCallerStaff()) ? 'registeredStaff' : 'otherMember');
}

/** The kind of caller, asking every fact needed to tell (for tests and diagnostics). */
export async function callerKindOf(
  identity: Identity | null,
  memberId: string,
  facts: AccessFacts,
): Promise<CallerKind> {
  if (identity === null) return 'anonymous';
  if (isPartner(identity)) {
    if (!identity.scopes.includes(PERSONAL_DATA_SCOPE)) return 'partnerWithoutScope';
    const standing = await facts.partnerStanding();
    if (standing === 'NOT_A_PARTNER') return 'partnerNotAPartner';
    if (standing === 'OUTSIDE_PARTNER_CEILING') return 'partnerOutsideCeiling';
    const hasConsent = identity.purpose !== null && (await facts.hasConsent(identity.purpose));
    return hasConsent ? 'partnerWithConsent' : 'partnerWithoutConsent';
  }
  if (identity.memberId === memberId) return 'self';
  if (isHubAdmin(identity)) return 'hubAdmin';
  if (staffOrganizationIds(identity).length === 0) return 'otherMember';
  return (await facts.isRegisteredWithCallerStaff()) ? 'registeredStaff' : 'otherMember';
}
