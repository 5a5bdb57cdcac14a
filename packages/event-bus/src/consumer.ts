import { v7 as uuidv7 } from 'uuid';
import type { DeadLetterHandler, EventHandler, Subscription } from './bus.js';
import type { EventEnvelope } from './envelope.js';
import type { Database, SqlClient } from './sql.js';

export type IdempotentHandlerOptions<TTx extends SqlClient = SqlClient> = {
  db: Database<TTx>;
  /** The subscription's durable name: the inbox is keyed by (consumer, event id). */
  consumer: string;
  /** The effect, written through `tx` (a Prisma transaction client when `db` is Prisma). */
  handle: (event: EventEnvelope, tx: TTx) => Promise<void>;
  transactionTimeoutMs?: number;
};

/**
 * Wraps an effect so a redelivered event has no second effect: the inbox row and the effect
 * commit in one transaction. A concurrent second delivery blocks on the inbox row until the
 * first commits, then sees it and skips; if the first rolls back, the second does the work.
 */
export function idempotentHandler<TTx extends SqlClient = SqlClient>(
  options: IdempotentHandlerOptions<TTx>,
): EventHandler {
  const { db, consumer, handle } = options;
  return async (event) => {
    await db.$transaction(
      async (tx) => {
        const inserted = await tx.$executeRawUnsafe(
          `INSERT INTO inbox_event (consumer, event_id, type) VALUES ($1, $2::uuid, $3)
           ON CONFLICT (consumer, event_id) DO NOTHING`,
          consumer,
          event.id,
          event.type,
        );
        if (inserted === 0) return; // already processed
        await handle(event, tx);
      },
      { timeout: options.transactionTimeoutMs ?? 15_000 },
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
  IdempotentHandlerOptions<TTx> & Pick<Subscription, 'types' | 'maxDeliver' | 'backoffMs'>;

/**
 * A service's subscription as services consume: `handle` runs once per event
 * (idempotentHandler) and events given up on are kept in dead_letter (deadLetterTo), both
 * under the one consumer name.
 */
export function eventSubscription<TTx extends SqlClient = SqlClient>(
  options: EventSubscriptionOptions<TTx>,
): Subscription {
  const { db, consumer, types, maxDeliver, backoffMs } = options;
  return {
    consumer,
    types,
    handler: idempotentHandler(options),
    onDeadLetter: deadLetterTo(db, consumer),
    maxDeliver,
    backoffMs,
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
