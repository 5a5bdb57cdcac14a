import {
  type EventEnvelope,
  eventSubscription,
  isEvent,
  type SqlClient,
  type Subscription,
} from '@hub/event-bus';
import { lockMemberships } from '../domain/member-lock.js';
import type { PrismaClient } from '../generated/prisma/client.js';

/** Durable consumer name: also the inbox key, so it must never change once deployed. */
export const MEMBER_AFFILIATIONS_CONSUMER = 'spaces-member-affiliations';

/**
 * Keeps `member_affiliation` in step with the members service, so a satellite office admits
 * its tenant's affiliates and a space its operator's staff (domain/can-enter.ts). Members
 * announces only confirmed affiliations. The inbox row and the upsert commit together.
 */
export function memberAffiliationsSubscription(prisma: PrismaClient): Subscription {
  return eventSubscription({
    db: prisma,
    consumer: MEMBER_AFFILIATIONS_CONSUMER,
    types: ['members.affiliation.changed'],
    handle: applyAffiliationChanged,
  });
}

export async function applyAffiliationChanged(event: EventEnvelope, tx: SqlClient): Promise<void> {
  if (!isEvent(event, 'members.affiliation.changed')) {
    throw new Error(`${MEMBER_AFFILIATIONS_CONSUMER} cannot handle '${event.type}'`);
  }
  const { data } = event;
  // The erasure's lock: an upsert that checked for the tombstone must not commit after the
  // erasure deleted the member's rows.
  await lockMemberships(tx, data.memberId);
  // As matching's worker_affiliation: both changes carry the whole affiliation, an older event
  // never overwrites a newer one, on a tie 'ended' wins (members never reopens one), and erased
  // members' affiliations are not recorded again.
  const isNewer =
    data.change === 'ended'
      ? 'member_affiliation.source_event_at <= EXCLUDED.source_event_at'
      : 'member_affiliation.source_event_at < EXCLUDED.source_event_at';
  await tx.$executeRawUnsafe(
    `INSERT INTO member_affiliation (affiliation_id, member_id, organization_id, role, starts_on,
                                     ends_on, source_event_at, updated_at)
     SELECT $1::uuid, $2::uuid, $3::uuid, $4::text, $5::date, $6::date, $7::timestamptz, now()
      WHERE NOT EXISTS (SELECT 1 FROM erased_member WHERE member_id = $2::uuid)
     ON CONFLICT (affiliation_id) DO UPDATE
        SET role = EXCLUDED.role,
            starts_on = EXCLUDED.starts_on,
            ends_on = EXCLUDED.ends_on,
            source_event_at = EXCLUDED.source_event_at,
            updated_at = now()
      WHERE ${isNewer}`,
    data.affiliationId,
    data.memberId,
    data.organizationId,
    data.role,
    data.startsOn,
    data.endsOn,
    event.occurredAt,
  );
}
