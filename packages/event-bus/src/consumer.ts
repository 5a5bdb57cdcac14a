import { v7 as uuidv7 } from 'uuid';
import type {
  BatchHandler,
  DeadLetterHandler,
  Delivery,
  EventHandler,
  Subscription,
} from './bus.js';
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
 * Bounded by the attempt's deadline (inAttemptTransaction).
 */
export function idempotentHandler<TTx extends SqlClient = SqlClient>(
  options: IdempotentHandlerOptions<TTx>,
): EventHandler {
  const { consumer, handle } = options;
  return (event, delivery) =>
    inAttemptTransaction(options, delivery, async (tx) => {
      const inserted = await tx.$executeRawUnsafe(
        `INSERT INTO inbox_event (consumer, event_id, type) VALUES ($1, $2::uuid, $3)
         ON CONFLICT (consumer, event_id) DO NOTHING`,
        consumer,
        event.id,
        event.type,
      );
      if (inserted === 0) return; // already processed
      await handle(event, tx, delivery);
    });
}

/**
 * idempotentHandler for several events at once (the transports' batches): one transaction holds
 * the inbox rows and effects of all of them, so a burst of events costs one commit rather than
 * one each. The effects run in the events' order; an event already in the inbox (or twice in the
 * batch) has no second effect. Any failure rolls the whole batch back, and the bus then delivers
 * its events one by one (deliverBatch), so one bad event never costs the others their effect.
 */
export function idempotentBatchHandler<TTx extends SqlClient = SqlClient>(
  options: IdempotentHandlerOptions<TTx>,
): BatchHandler {
  const { consumer, handle } = options;
  return (events, delivery) =>
    inAttemptTransaction(options, delivery, async (tx) => {
      const fresh = await tx.$queryRawUnsafe<{ event_id: string }[]>(
        `INSERT INTO inbox_event (consumer, event_id, type)
         SELECT $1, e.id, e.type FROM unnest($2::uuid[], $3::text[]) AS e(id, type)
         ON CONFLICT (consumer, event_id) DO NOTHING
         RETURNING event_id::text`,
        consumer,
        events.map((event) => event.id),
        events.map((event) => event.type),
      );
      const pending = new Set(fresh.map((row) => row.event_id));
      for (const event of events) {
        // Deleted once handled: the same event twice in a batch has one effect.
        if (!pending.delete(event.id.toLowerCase())) continue;
        await handle(event, tx, delivery);
        delivery.signal?.throwIfAborted();
      }
    });
}

/**
 * The transaction of one attempt (one event or a batch), bounded by the attempt's deadline.
 *
 * An attempt the bus gave up on (deadline passed) must not commit afterwards, or the effect
 * would land behind the redelivery's back (and after a dead letter, on the last attempt). So
 * the transaction does not start once the attempt is abandoned, the server cancels a statement
 * still running at the deadline, Prisma's transaction timeout ends at the deadline, and a
 * transaction whose work finished too late rolls back. The one case left — a COMMIT already
 * sent when the deadline passes — is the race the inbox covers: the redelivery's inbox insert
 * waits for that transaction, then finds the row and skips.
 */
async function inAttemptTransaction<TTx extends SqlClient>(
  options: IdempotentHandlerOptions<TTx>,
  delivery: Delivery,
  work: (tx: TTx) => Promise<void>,
): Promise<void> {
  const { signal, deadline } = delivery;
  const maxTimeoutMs = options.transactionTimeoutMs ?? 15_000;
  signal?.throwIfAborted();
  const remainingMs = () =>
    Math.max(1, Math.min(maxTimeoutMs, (deadline ?? Infinity) - Date.now()));
  await options.db.$transaction(
    async (tx) => {
      // Given up while waiting for a connection (an exhausted pool): the redelivery owns it.
      signal?.throwIfAborted();
      if (deadline !== undefined) {
        await tx.$queryRawUnsafe(
          `SELECT set_config('statement_timeout', $1::text, true)`,
          String(Math.ceil(remainingMs())),
        );
      }
      await work(tx);
      signal?.throwIfAborted(); // finished after the deadline: roll back
    },
    {
      timeout: remainingMs(),
      // Prisma checks maxWait only once a connection is finally acquired, then gives up.
      ...(deadline !== undefined && { maxWait: remainingMs() }),
    },
  );
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
    Pick<Subscription, 'types' | 'maxDeliver' | 'backoffMs' | 'handlerTimeoutMs'> & {
      /**
       * Let the transport commit waiting events together (default true; idempotentBatchHandler).
       * Turn it off for an effect that must not share a transaction with another event's.
       */
      batch?: boolean;
    };

/**
 * A service's subscription as services consume: `handle` runs once per event
 * (idempotentHandler; events waiting together commit in one transaction,
 * idempotentBatchHandler) and events given up on are kept in dead_letter (deadLetterTo), all
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
    ...(options.batch !== false && { batchHandler: idempotentBatchHandler(options) }),
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
