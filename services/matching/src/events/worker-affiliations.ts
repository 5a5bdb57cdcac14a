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
export const WORKER_AFFILIATIONS_CONSUMER = 'matching-worker-affiliations';

/**
 * Keeps `worker_affiliation` in step with the members service, so staff of an organisation a
 * worker is registered with may read the worker (docs/authorization.md). Members announces only
 * affiliations the member confirmed, so every row here counts. The inbox row and the upsert
 * commit together: a redelivered event has no second effect.
 */
export function workerAffiliationsSubscription(prisma: PrismaClient): Subscription {
  return eventSubscription({
    db: prisma,
    consumer: WORKER_AFFILIATIONS_CONSUMER,
    types: ['members.affiliation.changed'],
    handle: applyAffiliationChanged,
  });
}

export async function applyAffiliationChanged(event: EventEnvelope, tx: SqlClient): Promise<void> {
  if (!isEvent(event, 'members.affiliation.changed')) {
    throw new Error(`${WORKER_AFFILIATIONS_CONSUMER} cannot handle '${event.type}'`);
  }
  const { data } = event;
  // The same lock as the worker read model and the erasure: an upsert that checked for the
  // erasure must not commit after the erasure deleted the member's rows.
  await lockMember(tx, data.memberId);
  // Both changes carry the whole affiliation, so both upsert it: an 'ended' that overtook its
  // 'started' (a retry, a replay) records a closed affiliation, and the older 'started' then
  // cannot reopen it. An older event never overwrites a newer one; on a tie (the same
  // millisecond) 'ended' wins, since members never reopens an ended affiliation. The member and
  // organisation of an affiliation never change, so only the facts that can are updated.
  // Affiliations of erased members are dropped: a late event must not bring them back.
  const isNewer =
    data.change === 'ended'
      ? 'worker_affiliation.source_event_at <= EXCLUDED.source_event_at'
      : 'worker_affiliation.source_event_at < EXCLUDED.source_event_at';
  await tx.$executeRawUnsafe(
    `INSERT INTO worker_affiliation (affiliation_id, member_id, organization_id, role, starts_on,
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
