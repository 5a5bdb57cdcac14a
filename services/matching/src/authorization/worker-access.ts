import { activeOn } from '@hub/contracts';
import { commit } from '@hub/event-bus';
import {
  type ConsentRecipient,
  consentingNoticeVersions,
  isUuid,
  PROFILE_VISIBILITY_VALUES,
  type ProfileVisibilityValue,
  partnerReadAudit,
  personalDataGuard,
  requestGroupLoader,
  requestLoader,
  requestToday,
} from '@hub/service-kit';
import type { MatchingContext } from '../builder.js';
import type { Worker } from '../generated/prisma/client.js';
import { WORKER_FIELDS, type WorkerFieldName, workerAuditName } from './rules.js';

// A worker is personal data; the hub's rule (the kit's, docs/authorization.md) decides each of
// its fields with what matching knows from members' events: affiliations
// (members.affiliation.changed → worker_affiliation, only those the member confirmed) and
// consents (members.consent.granted / withdrawn → member_consent). A partner key's standing
// (its organisation a partner, the key within the ceiling) is the gateway's check when it
// verified the key; matching keeps no partnerships.

/** Organisations where the caller holds a staff role (the token's `staffOf`). */
export function callerStaffOrganizationIds(context: MatchingContext): string[] {
  const { identity } = context;
  if (identity?.kind !== 'member') return [];
  // Ids go into uuid comparisons; one that is not a uuid could match nothing anyway.
  return identity.staffOf.map((entry) => entry.organizationId).filter(isUuid);
}

function staffAffiliationLoader(context: MatchingContext, staffIds: readonly string[]) {
  return requestGroupLoader(context, 'workerStaffOrganizations', {
    // One query for every worker of the request, and only the caller's own staff organisations:
    // no other affiliation could let them in.
    fetch: (memberIds: readonly string[]) => {
      return context.prisma.workerAffiliation.findMany({
        where: {
          memberId: { in: [...memberIds] },
          organizationId: { in: [...staffIds] },
          ...activeOn(requestToday(context)),
        },
        select: { memberId: true, organizationId: true },
      });
    },
    groupOf: (affiliation) => affiliation.memberId,
  });
}

/**
 * A live consent for this recipient: naming it and the purpose, not withdrawn, under a notice
 * version that still counts.
 */
export function liveConsent(recipient: ConsentRecipient) {
  return {
    recipientOrganizationId: recipient.organizationId,
    purpose: recipient.purpose,
    withdrawnAt: null,
    noticeVersion: { in: consentingNoticeVersions(recipient.purpose) },
  };
}

function consentLoader(context: MatchingContext, recipient: ConsentRecipient) {
  return requestLoader(context, `workerConsent:${recipient.organizationId}:${recipient.purpose}`, {
    // One query for every worker of the request; never cached across requests, so a
    // withdrawal counts from the request after matching learnt of it.
    fetch: (memberIds: readonly string[]) =>
      context.prisma.memberConsent.findMany({
        where: { memberId: { in: [...memberIds] }, ...liveConsent(recipient) },
        select: { memberId: true },
      }),
    keyOf: (consent) => consent.memberId,
  });
}

/**
 * Partner reads of workers, for the member's audit log in members: one
 * `matching.partner-read.recorded` per member per request (later reads in the request extend
 * the same entry, under the same id), in the outbox before any value is released.
 */
const workerPartnerReads = partnerReadAudit<MatchingContext>(async (context, partner, reads) => {
  const readAt = new Date().toISOString();
  await commit(context, async (_tx, emit) => {
    for (const read of reads) {
      emit('matching.partner-read.recorded', {
        subject: read.entryId,
        data: {
          auditEntryId: read.entryId,
          memberId: read.memberId,
          apiKeyId: partner.keyId,
          organizationId: partner.organizationId,
          fields: read.fields,
          requestId: context.requestId,
          readAt,
        },
      });
    }
  });
});

/** A stored visibility, or STAFF (the strictest) when matching has not learnt it. */
export function profileVisibilityOf(value: string | null): ProfileVisibilityValue {
  return (PROFILE_VISIBILITY_VALUES as readonly string[]).includes(value ?? '')
    ? (value as ProfileVisibilityValue)
    : 'STAFF';
}

/** The hub's rule for personal data, applied to Worker with matching's facts. */
export const workerGuard = personalDataGuard<MatchingContext, Worker, WorkerFieldName>({
  fields: WORKER_FIELDS,
  // The member's own setting, from members' events; unknown (null) reads as STAFF.
  subjectOf: (worker) => ({
    memberId: worker.memberId,
    visibility: profileVisibilityOf(worker.profileVisibility),
  }),
  facts: {
    registeredWith: async (context, memberId, organizationIds) => {
      const staffIds = organizationIds.filter(isUuid);
      if (staffIds.length === 0) return [];
      const rows = await staffAffiliationLoader(context, staffIds).load(memberId);
      return rows.map((row) => row.organizationId);
    },
    // The gateway refused the key if its organisation is no partner or the key is beyond the
    // partner's ceiling (members answers its verification, cached ≤ 10 s).
    partnerStanding: async () => null,
    hasConsent: async (context, memberId, recipient) =>
      (await consentLoader(context, recipient).load(memberId)) !== null,
  },
  audit: workerPartnerReads,
  auditName: workerAuditName,
});

/**
 * Options that guard one Worker field by its group in rules.ts; spread them into the field's
 * definition. Guarded fields must be nullable: a refusal is null plus an error at the field.
 */
export function workerFieldAuth(field: WorkerFieldName) {
  return workerGuard.fieldAuth(field);
}
