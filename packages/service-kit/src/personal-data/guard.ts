import {
  type ConsentPurpose,
  isHubAdmin,
  isMember,
  isPartner,
  type PartnerIdentity,
  staffOrganizationIds,
} from '@hub/identity';
import type { GraphQLError } from 'graphql';
import { unauthorizedError } from '../builder.js';
import type { HubContext } from '../context.js';
import { AppError } from '../errors.js';
import { type AccessFacts, decideAccess, type PartnerStanding } from './decide.js';
import type { PartnerReadAudit } from './partner-reads.js';
import {
  type AccessColumn,
  type AccessOutcome,
  accessColumn,
  type FieldGroup,
  type PartnerRefusalCode,
  PERSONAL_DATA_SCOPE,
  type PersonalFieldRule,
  type ProfileVisibilityValue,
} from './rules.js';

/** The member an object is about, and their profile visibility where the service knows it. */
export type PersonalDataSubject = { memberId: string; visibility?: ProfileVisibilityValue };

// Services checking consents in their own read models need the notice versions that count.
export { consentingNoticeVersions } from '@hub/identity';

/** A partner's recipient and purpose, as a consent must name them to let it read. */
export type ConsentRecipient = { organizationId: string; purpose: ConsentPurpose };

/**
 * Where a service finds the facts the rule asks about (each batched per request by the
 * service's loaders). Members reads its own tables; another service reads its read models
 * (affiliations and consents from members' events) and trusts the gateway-verified key.
 */
export type PersonalDataFacts<Context extends HubContext> = {
  /** The organisations among `organizationIds` the member is registered with now. */
  registeredWith(
    context: Context,
    memberId: string,
    organizationIds: readonly string[],
  ): Promise<readonly string[]>;
  /** Whether the calling partner key may be used now (its organisation's partnership). */
  partnerStanding(context: Context, partner: PartnerIdentity): Promise<PartnerStanding>;
  /** Whether the member's live consent names this recipient and purpose. */
  hasConsent(context: Context, memberId: string, recipient: ConsentRecipient): Promise<boolean>;
};

export type PersonalDataGuardOptions<Context extends HubContext, Parent, F extends string> = {
  /** The type's table: every field of the GraphQL type, including those reserved for later. */
  fields: Readonly<Record<F, PersonalFieldRule>>;
  /** The member each object of the type is about. */
  subjectOf: (parent: Parent) => PersonalDataSubject;
  facts: PersonalDataFacts<Context>;
  audit: PartnerReadAudit<Context>;
  /** A field's name in the audit log (default: the field name), e.g. `Worker.skills`. */
  auditName?: (field: F) => string;
  /**
   * The organisations one object belongs to, where that is narrower than its member (the
   * operator of the space a visit was at). Given, staff are registered staff for the object
   * only through these: `facts.registeredWith` is asked about the caller's staff organisations
   * among them alone, so staff of another organisation never read it, whatever else the member
   * is registered with. Omitted: decided per member.
   */
  organizationsOf?: (context: Context, parent: Parent) => Promise<readonly string[]>;
};

/**
 * The members a caller may read a group of fields of, as a condition each service turns into
 * its query (a filter on a field, or a list of people, must match no one else).
 */
export type ReadableMembers =
  | { all: true }
  | {
      all: false;
      /** Members whose profile visibility is one of these (profile fields only). */
      visibilities: readonly ProfileVisibilityValue[];
      /** The caller themself. */
      memberId: string | null;
      /** Members registered now with one of these organisations (the caller's staff ones). */
      registeredWith: readonly string[];
      /** Members whose live consent names this recipient and purpose. */
      consentingTo: ConsentRecipient | null;
    };

export const PARTNER_REFUSAL_MESSAGES: Record<PartnerRefusalCode, string> = {
  CONSENT_REQUIRED:
    'あなたの組織がこの利用目的で受け取ることへのメンバーの同意がありません (the member has not consented to your organisation receiving their data for this key’s purpose)',
  NOT_A_PARTNER:
    'このキーの組織はパートナーではありません (the key’s organisation is not a partner)',
  OUTSIDE_PARTNER_CEILING:
    'このキーの権限・利用目的はパートナーに認められた範囲を超えています (the key’s scopes or purpose are beyond its partner’s ceiling)',
};

const NO_PURPOSE_MESSAGE = 'このキーには利用目的がありません (this key declares no purpose of use)';

/** The error a refused outcome is answered with. */
export function accessRefusal(context: HubContext, outcome: AccessOutcome): AppError {
  if (outcome in PARTNER_REFUSAL_MESSAGES) {
    const code = outcome as PartnerRefusalCode;
    return new AppError(code, PARTNER_REFUSAL_MESSAGES[code]);
  }
  return unauthorizedError(context);
}

const isAllowed = (outcome: AccessOutcome) => outcome === 'ok' || outcome === 'ok+audit';

const NOBODY = {
  all: false,
  visibilities: [],
  memberId: null,
  registeredWith: [],
  consentingTo: null,
} as const;

/**
 * The rule applied to one GraphQL type whose objects are about a member: the field wiring the
 * schema spreads into each field (`fieldAuth`), the decision behind it, the conditions that keep
 * lists and filters from revealing more than reading would, and the partner-read audit.
 */
export function personalDataGuard<Context extends HubContext, Parent, F extends string>(
  options: PersonalDataGuardOptions<Context, Parent, F>,
) {
  const { fields, subjectOf, facts, audit } = options;
  const auditName = options.auditName ?? ((field: F) => field);
  // Outcomes refused in this request, by member and column: the refusal's error (read right
  // after a refused check) names why — CONSENT_REQUIRED, NOT_A_PARTNER, … — not only FORBIDDEN.
  const refusals = new WeakMap<Context, Map<string, AccessOutcome>>();

  const groupOf = (field: F): FieldGroup => {
    const rule = fields[field];
    if (!rule) throw new Error(`'${field}' is not in the personal-data table`);
    return rule.group;
  };
  const refusalKey = (memberId: string, column: AccessColumn) => `${memberId}\u0000${column}`;

  /** The caller's staff organisations that count for this object. */
  async function staffOrganizationsFor(context: Context, parent: Parent) {
    const staff = staffOrganizationIds(context.identity);
    if (!options.organizationsOf || staff.length === 0) return staff;
    const owners = new Set(await options.organizationsOf(context, parent));
    return staff.filter((organizationId) => owners.has(organizationId));
  }

  function factsFor(context: Context, memberId: string, parent: Parent): AccessFacts {
    return {
      isRegisteredWithCallerStaff: async () => {
        const staff = await staffOrganizationsFor(context, parent);
        if (staff.length === 0) return false;
        return (await facts.registeredWith(context, memberId, staff)).length > 0;
      },
      partnerStanding: () =>
        isPartner(context.identity)
          ? facts.partnerStanding(context, context.identity)
          : Promise.resolve(null),
      hasConsent: (purpose) =>
        isPartner(context.identity)
          ? facts.hasConsent(context, memberId, {
              organizationId: context.identity.organizationId,
              purpose,
            })
          : Promise.resolve(false),
    };
  }

  /**
   * The outcome for one field of one object. A partner read that passes is recorded in the
   * audit before this resolves, so the value is never released unlogged.
   */
  async function decide(context: Context, parent: Parent, field: F): Promise<AccessOutcome> {
    const { memberId, visibility } = subjectOf(parent);
    const group = groupOf(field);
    const outcome = await decideAccess({
      identity: context.identity,
      memberId,
      group,
      visibility,
      facts: factsFor(context, memberId, parent),
    });
    if (outcome === 'ok+audit') await audit.record(context, memberId, [auditName(field)]);
    if (!isAllowed(outcome)) {
      const refused = refusals.get(context) ?? new Map<string, AccessOutcome>();
      refusals.set(
        context,
        refused.set(refusalKey(memberId, accessColumn(group, visibility)), outcome),
      );
    }
    return outcome;
  }

  /** The error of a refused field (the kit's UNAUTHENTICATED/FORBIDDEN unless a partner's). */
  function refusal(context: Context, parent: Parent, field: F): AppError {
    const { memberId, visibility } = subjectOf(parent);
    const column = accessColumn(groupOf(field), visibility);
    const outcome = refusals.get(context)?.get(refusalKey(memberId, column));
    return accessRefusal(context, outcome ?? 'FORBIDDEN');
  }

  /**
   * Options that guard one field by its group; spread them into the field's definition.
   * Guarded fields must be nullable: a refusal is null plus an error at the field.
   */
  function fieldAuth(field: F): {
    authScopes?: (parent: Parent, args: unknown, context: Context) => Promise<boolean>;
    unauthorizedError?: (parent: Parent, args: unknown, context: Context) => GraphQLError;
  } {
    if (groupOf(field) === 'public') return {};
    return {
      authScopes: async (parent, _args, context) => isAllowed(await decide(context, parent, field)),
      unauthorizedError: (parent, _args, context) =>
        refusal(context, parent, field).toGraphQLError(),
    };
  }

  /**
   * The recipient and purpose a partner key reads under, or the error refusing it outright
   * (no scope, no longer a partner, beyond its ceiling, no purpose).
   */
  async function partnerRecipient(
    context: Context,
    partner: PartnerIdentity,
  ): Promise<ConsentRecipient | AppError> {
    if (!partner.scopes.includes(PERSONAL_DATA_SCOPE)) return unauthorizedError(context);
    const standing = await facts.partnerStanding(context, partner);
    if (standing) return new AppError(standing, PARTNER_REFUSAL_MESSAGES[standing]);
    if (!partner.purpose) return new AppError('CONSENT_REQUIRED', NO_PURPOSE_MESSAGE);
    return { organizationId: partner.organizationId, purpose: partner.purpose };
  }

  /**
   * The members whose fields of `group` the caller may read — the same rule as `decide`, as a
   * condition — or the error to refuse with when the caller may read nobody's (profile fields
   * are never refused outright: public profiles are everyone's).
   */
  async function readableMembers(
    context: Context,
    group: FieldGroup,
  ): Promise<ReadableMembers | AppError> {
    const { identity } = context;
    if (group === 'public' || isHubAdmin(identity)) return { all: true };
    const visibilities: ProfileVisibilityValue[] =
      group !== 'profile' ? [] : isMember(identity) ? ['PUBLIC', 'MEMBERS'] : ['PUBLIC'];
    if (isMember(identity)) {
      if (group === 'owner') return { ...NOBODY, memberId: identity.memberId };
      return {
        ...NOBODY,
        visibilities,
        memberId: identity.memberId,
        registeredWith: staffOrganizationIds(identity),
      };
    }
    if (isPartner(identity) && group !== 'owner') {
      const recipient = await partnerRecipient(context, identity);
      if (!(recipient instanceof AppError))
        return { ...NOBODY, visibilities, consentingTo: recipient };
      if (group === 'personal') return recipient;
    }
    return group === 'profile' ? { ...NOBODY, visibilities } : unauthorizedError(context);
  }

  /**
   * A partner's filter reveals the filtered field of every member it returns, so it is
   * audited like reading the field: fields the partner reads only through consent (personal,
   * and profile fields of members whose profile is not public).
   */
  async function recordFilterReads(
    context: Context,
    parents: readonly Parent[],
    filtered: readonly F[],
  ): Promise<void> {
    if (!isPartner(context.identity) || filtered.length === 0) return;
    const reads = parents.flatMap((parent) => {
      const { memberId, visibility } = subjectOf(parent);
      const read = filtered.filter((field) => {
        const column = accessColumn(groupOf(field), visibility);
        return column !== 'public' && column !== 'profile:PUBLIC';
      });
      return read.length > 0 ? [audit.record(context, memberId, read.map(auditName))] : [];
    });
    await Promise.all(reads);
  }

  return { fields, decide, refusal, fieldAuth, readableMembers, recordFilterReads };
}

export type PersonalDataGuard<Context extends HubContext, Parent, F extends string> = ReturnType<
  typeof personalDataGuard<Context, Parent, F>
>;
