import {
  type EventEnvelope,
  eventSubscription,
  isEvent,
  type SqlClient,
  type Subscription,
} from '@hub/event-bus';
import type { PrismaClient } from '../generated/prisma/client.js';
import { lockMember } from './lock-member.js';

/** Durable consumer name: also the inbox key, so it must never change once deployed. */
export const MEMBER_CONSENTS_CONSUMER = 'matching-member-consents';
/** What it applies — its subscription and the read-model rebuild read the same list. */
export const CONSENT_EVENT_TYPES = [
  'members.consent.granted',
  'members.consent.withdrawn',
] as const;

/**
 * Keeps `member_consent` in step with members' consents, so a partner key reads a worker only
 * under the member's live consent naming its organisation and its key's purpose
 * (docs/authorization.md, "Personal data in every service"). The inbox row and the upsert
 * commit together: a redelivered event has no second effect.
 */
export function memberConsentsSubscription(prisma: PrismaClient): Subscription {
  return eventSubscription({
    db: prisma,
    consumer: MEMBER_CONSENTS_CONSUMER,
    types: [...CONSENT_EVENT_TYPES],
    handle: applyConsentChanged,
  });
}

export async function applyConsentChanged(event: EventEnvelope, tx: SqlClient): Promise<void> {
  // The same lock as the other read models and the erasure: an upsert that checked for the
  // erasure must not commit after the erasure deleted the member's rows.
  if (isEvent(event, 'members.consent.granted')) {
    const { data } = event;
    await lockMember(tx, data.memberId);
    // A grant replaces the state only if newer: a withdrawal that overtook it (a retry, a
    // replay) stays. A newer notice version given for the same recipient and purpose replaces
    // the older consent, as in members.
    await tx.$executeRawUnsafe(
      `INSERT INTO member_consent (member_id, recipient_organization_id, purpose, notice_version,
                                   granted_at, withdrawn_at, source_event_at, updated_at)
       SELECT $1::uuid, $2::uuid, $3, $4, $5::timestamptz, NULL, $6::timestamptz, now()
        WHERE NOT EXISTS (SELECT 1 FROM erased_member WHERE member_id = $1::uuid)
       ON CONFLICT (member_id, recipient_organization_id, purpose) DO UPDATE
          SET notice_version = EXCLUDED.notice_version,
              granted_at = EXCLUDED.granted_at,
              withdrawn_at = NULL,
              source_event_at = EXCLUDED.source_event_at,
              updated_at = now()
        WHERE member_consent.source_event_at < EXCLUDED.source_event_at`,
      data.memberId,
      data.recipientOrganizationId,
      data.purpose,
      data.noticeVersion,
      data.grantedAt,
      event.occurredAt,
    );
    return;
  }
  if (isEvent(event, 'members.consent.withdrawn')) {
    const { data } = event;
    await lockMember(tx, data.memberId);
    // Recorded even before its grant arrives, so the older grant cannot reopen it; on the same
    // occurredAt the withdrawal wins (fail closed).
    await tx.$executeRawUnsafe(
      `INSERT INTO member_consent (member_id, recipient_organization_id, purpose, withdrawn_at,
                                   source_event_at, updated_at)
       SELECT $1::uuid, $2::uuid, $3, $4::timestamptz, $5::timestamptz, now()
        WHERE NOT EXISTS (SELECT 1 FROM erased_member WHERE member_id = $1::uuid)
       ON CONFLICT (member_id, recipient_organization_id, purpose) DO UPDATE
          SET withdrawn_at = EXCLUDED.withdrawn_at,
              source_event_at = EXCLUDED.source_event_at,
              updated_at = now()
        WHERE member_consent.source_event_at <= EXCLUDED.source_event_at`,
      data.memberId,
      data.recipientOrganizationId,
      data.purpose,
      data.withdrawnAt,
      event.occurredAt,
    );
    return;
  }
  throw new Error(`${MEMBER_CONSENTS_CONSUMER} cannot handle '${event.type}'`);
}
