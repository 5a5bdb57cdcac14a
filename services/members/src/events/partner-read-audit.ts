import type { EventType } from '@hub/contracts';
import {
  type EventEnvelope,
  eventSubscription,
  type SqlClient,
  type Subscription,
} from '@hub/event-bus';
import type { PrismaClient } from '../generated/prisma/client.js';

/** Durable consumer name: also the inbox key, so it must never change once deployed. */
export const PARTNER_READ_AUDIT_CONSUMER = 'members-partner-read-audit';

/**
 * The services that hold personal data of members and tell members of every partner read
 * there (the kit's partner-read audit writing `<service>.partner-read.recorded`). A service
 * that starts holding personal data adds its event type here.
 */
export const PARTNER_READ_EVENT_TYPES = [
  'matching.partner-read.recorded',
] as const satisfies readonly EventType[];

type PartnerReadData = {
  auditEntryId: string;
  memberId: string;
  apiKeyId: string;
  organizationId: string;
  fields: string[];
  requestId: string | null;
  readAt: string;
};

/**
 * Records partner reads made in other services in the member's audit log, where the member
 * and hub admins read them (`Member.auditLog`, `auditLog`). The entry's id is the one the
 * reading service chose for the member and request, so the events of one entry (fields read
 * later in the same request) merge into it, in whatever order they come; the inbox row
 * commits with the entry, so a redelivered event adds nothing.
 */
export function partnerReadAuditSubscription(prisma: PrismaClient): Subscription {
  return eventSubscription({
    db: prisma,
    consumer: PARTNER_READ_AUDIT_CONSUMER,
    types: [...PARTNER_READ_EVENT_TYPES],
    handle: recordPartnerRead,
  });
}

export async function recordPartnerRead(event: EventEnvelope, tx: SqlClient): Promise<void> {
  if (!(PARTNER_READ_EVENT_TYPES as readonly string[]).includes(event.type)) {
    throw new Error(`${PARTNER_READ_AUDIT_CONSUMER} cannot handle '${event.type}'`);
  }
  const data = event.data as PartnerReadData;
  // audit_log_entry.at is a timestamp without time zone holding UTC (Prisma's way).
  await tx.$executeRawUnsafe(
    `INSERT INTO audit_log_entry (id, at, action, member_id, api_key_id, organization_id,
                                  fields, request_id, service)
     VALUES ($1::uuid, $2::timestamptz AT TIME ZONE 'UTC', 'partner-read', $3::uuid, $4::uuid,
             $5::uuid, $6::text[], $7, $8)
     ON CONFLICT (id) DO UPDATE
        SET fields = ARRAY(SELECT DISTINCT field
                             FROM unnest(audit_log_entry.fields || EXCLUDED.fields) AS field
                            ORDER BY field)`,
    data.auditEntryId,
    data.readAt,
    data.memberId,
    data.apiKeyId,
    data.organizationId,
    [...data.fields].sort(),
    data.requestId,
    event.source,
  );
}
