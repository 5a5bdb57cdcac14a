import { randomUUID } from 'node:crypto';
import { waitFor } from './wait.js';

// Helpers for tests of a service's consumers (typed structurally: this package cannot import
// @hub/event-bus, whose own tests use it).

type Queryable = {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
};
type Envelope = { id: string; type: string; occurredAt: string; data: unknown };
type Delivered = { id: string; type?: string };

/** How many times `consumer` recorded the event in its inbox (0 or 1: the inbox is keyed so). */
export async function inboxRows(sql: Queryable, consumer: string, event: Delivered) {
  const { rows } = await sql.query(
    'SELECT count(*) AS count FROM inbox_event WHERE consumer = $1 AND event_id = $2',
    [consumer, event.id],
  );
  return Number(rows[0]!.count);
}

/**
 * Waits until `consumer` has handled the event: its inbox row commits with the effect, so the
 * effect is visible once the row is.
 */
export function handledBy(sql: Queryable, consumer: string, event: Delivered): Promise<true> {
  return waitFor(async () => (await inboxRows(sql, consumer, event)) === 1 || undefined, {
    message: `${event.type ?? 'event'} ${event.id} handled by ${consumer}`,
    timeoutMs: 10_000,
  });
}

/**
 * The same event as if it had happened `ms` earlier (negative: later), under a new id, with
 * `data` merged in — for ordering tests (an older event delivered after a newer one).
 */
export function shiftedEvent<T extends Envelope>(event: T, ms: number, data?: object): T {
  return {
    ...event,
    id: randomUUID(),
    occurredAt: new Date(Date.parse(event.occurredAt) - ms).toISOString(),
    ...(data ? { data: { ...(event.data as object), ...data } } : {}),
  };
}
