import { v7 as uuidv7 } from 'uuid';
import type { DeadLetterHandler, Delivery, EventHandler, Subscription } from './bus.js';
import type { EventEnvelope } from './envelope.js';
import type { Database, SqlClient } from './sql.js';

export type IdempotentHandlerOptions<TTx extends SqlClient = SqlClient> = {
  db: Database<TTx>;
  /** The subscription's durable name: the inbox is keyed by (consumer, event id). */
  consumer: string;
  /**
   * The effect, written through `tx` (a Prisma transaction client when `db` is Prisma).
   * `delivery.signal` aborts when the attempt is given up: a long effect may stop early.
   */
  handle: (event: EventEnvelope, tx: TTx, delivery: Delivery) => Promise<void>;
  /** Upper bound of the transaction; the attempt's deadline shortens it (default 15 s). */
  transactionTimeoutMs?: number;
};

/**
 * Wraps an effect so a redelivered event has no second effect: the inbox row and the effect
 * commit in one transaction. A concurrent second delivery blocks on the inbox row until the
 * first commits, then sees it and skips; if the first rolls back, the second does the work.
 *
 * An attempt the bus gave up on (deadline passed) must not commit afterwards, or the effect
 * would land behind the redelivery's back (and after a dead letter, on the last attempt). So
 * the transaction does not start once the attempt is abandoned, the server cancels a statement
 * still running at the deadline, Prisma's transaction timeout ends at the deadline, and a
 * transaction whose effect finished too late rolls back. The one case left — a COMMIT already
 * sent when the deadline passes — is the race the inbox covers: the redelivery's inbox insert
 * waits for that transaction, then finds the row and skips.
 */
export function idempotentHandler<TTx extends SqlClient = SqlClient>(
  options: IdempotentHandlerOptions<TTx>,
): EventHandler {
  const { db, consumer, handle } = options;
  const maxTimeoutMs = options.transactionTimeoutMs ?? 15_000;
  return async (event, delivery) => {
    const { signal, deadline } = delivery;
    signal?.throwIfAborted();
    const remainingMs = () =>
      Math.max(1, Math.min(maxTimeoutMs, (deadline ?? Infinity) - Date.now()));
    await db.$transaction(
      async (tx) => {
        // Given up while waiting for a connection (an exhausted pool): the redelivery owns it.
        signal?.throwIfAborted();
        if (deadline !== undefined) {
          await tx.$queryRawUnsafe(
            `SELECT set_config('statement_timeout', $1::text, true)`,
            String(Math.ceil(remainingMs())),
          );
        }
        const inserted = await tx.$executeRawUnsafe(
          `INSERT INTO inbox_event (consumer, event_id, type) VALUES ($1, $2::uuid, $3)
           ON CONFLICT (consumer, event_id) DO NOTHING`,
          consumer,
          event.id,
          event.type,
        );
        if (inserted === 0) return; // already processed
        await handle(event, tx, delivery);
        signal?.throwIfAborted(); // finished after the deadline: roll back
      },
      {
        timeout: remainingMs(),
        // Prisma checks maxWait only once a connection is finally acquired, then gives up.
        ...(deadline !== undefined && { maxWait: remainingMs() }),
      },
    );
  };
}

export type DeadLetterEntry = {
  consumer: string;
  event: EventEnvelope;
  error: unknown;
  deliveryCount: number;
};

/** Stores a poison message in dead_letter, where operators can see and replay it. */
export async function recordDeadLetter(db: SqlClient, entry: DeadLetterEntry): Promise<void> {
  await db.$executeRawUnsafe(
    `INSERT INTO dead_letter (id, consumer, event_id, type, payload, error, delivery_count)
     VALUES ($1::uuid, $2, $3, $4, $5::jsonb, $6, $7::int)`,
    uuidv7(),
    entry.consumer,
    String(entry.event.id),
    String(entry.event.type),
    JSON.stringify(entry.event),
    describeError(entry.error),
    entry.deliveryCount,
  );
}

/** `onDeadLetter` that records into dead_letter for `consumer`. */
export function deadLetterTo(db: SqlClient, consumer: string): DeadLetterHandler {
  return (event, error, deliveryCount) =>
    recordDeadLetter(db, { consumer, event, error, deliveryCount });
}

export type EventSubscriptionOptions<TTx extends SqlClient = SqlClient> =
  IdempotentHandlerOptions<TTx> &
    Pick<Subscription, 'types' | 'maxDeliver' | 'backoffMs' | 'handlerTimeoutMs'>;

/**
 * A service's subscription as services consume: `handle` runs once per event
 * (idempotentHandler) and events given up on are kept in dead_letter (deadLetterTo), both
 * under the one consumer name.
 */
export function eventSubscription<TTx extends SqlClient = SqlClient>(
  options: EventSubscriptionOptions<TTx>,
): Subscription {
  const { db, consumer, types, maxDeliver, backoffMs, handlerTimeoutMs } = options;
  return {
    consumer,
    types,
    handler: idempotentHandler(options),
    onDeadLetter: deadLetterTo(db, consumer),
    maxDeliver,
    backoffMs,
    handlerTimeoutMs,
  };
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  try {
    return typeof error === 'string' ? error : JSON.stringify(error);
  } catch {
    return String(error);
  }
}
