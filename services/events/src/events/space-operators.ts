import {
  type EventEnvelope,
  eventSubscription,
  isEvent,
  type SqlClient,
  type Subscription,
} from '@hub/event-bus';
import { settlePendingVenues } from '../domain/event-venue-link.js';
import { lockSpaces } from '../domain/space-operators.js';
import type { PrismaClient } from '../generated/prisma/client.js';

/** Durable consumer name: also the inbox key, so it must never change once deployed. */
export const SPACE_OPERATORS_CONSUMER = 'events-space-operators';

/**
 * Keeps `space_operator` in step with the spaces service, so a venue at a space waits for its
 * operator's say (docs/authorization.md, "Links that name another organisation") without
 * events reading spaces' tables. The inbox row and the effect commit together: a redelivered
 * event has no second effect.
 */
export function spaceOperatorsSubscription(prisma: PrismaClient): Subscription {
  return eventSubscription({
    db: prisma,
    consumer: SPACE_OPERATORS_CONSUMER,
    types: ['spaces.space.registered', 'spaces.space.updated'],
    handle: applySpaceEvent,
  });
}

export async function applySpaceEvent(event: EventEnvelope, tx: SqlClient): Promise<void> {
  if (!isEvent(event, 'spaces.space.registered') && !isEvent(event, 'spaces.space.updated')) {
    throw new Error(`${SPACE_OPERATORS_CONSUMER} cannot handle '${event.type}'`);
  }
  const { spaceId, operatorId } = event.data;
  // Exclusive: a venue being published at this space waits, or is seen by the settling below.
  await lockSpaces(tx, [spaceId], 'exclusive');
  // Both events carry every fact, so the newest one is the whole truth; an older event (a
  // retry, a replay) changes nothing. Spaces writes a space's registration before any update
  // of it, so on a tie (the same millisecond) an update wins, and of two updates the later
  // delivered — the stream keeps the order spaces wrote them in.
  const isNewer = isEvent(event, 'spaces.space.updated')
    ? 'space_operator.source_event_at <= EXCLUDED.source_event_at'
    : 'space_operator.source_event_at < EXCLUDED.source_event_at';
  const applied = await tx.$executeRawUnsafe(
    `INSERT INTO space_operator (space_id, operator_id, source_event_at, updated_at)
     VALUES ($1::uuid, $2::uuid, $3::timestamptz, now())
     ON CONFLICT (space_id) DO UPDATE
        SET operator_id = EXCLUDED.operator_id,
            source_event_at = EXCLUDED.source_event_at,
            updated_at = now()
      WHERE ${isNewer}`,
    spaceId,
    operatorId,
    event.occurredAt,
  );
  // Only the operator now in effect settles anything: a stale event must not confirm a venue
  // for an operator the space no longer has.
  if (applied > 0) await settlePendingVenues(tx, spaceId, operatorId);
}
