import type { Logger } from 'pino';
import { defaultLogger, type EventPublisher, sleep } from './bus.js';
import type { EventEnvelope } from './envelope.js';
import type { Database, SqlClient } from './sql.js';

// Table and column names come from prisma/messaging.prisma (the tables' only definition).

/** Longest wait between relay batches while the database keeps failing. */
const DATABASE_RETRY_MAX_MS = 2_000;

/**
 * Stores events in the outbox. Call it with the transaction client of the domain change, so
 * the events exist if and only if the change commits. Then `relay.kick()` after the commit.
 */
export async function writeOutbox(tx: SqlClient, events: EventEnvelope[]): Promise<void> {
  if (events.length === 0) return;
  const values: unknown[] = [];
  const rows = events.map((event) => {
    const n = values.length;
    values.push(
      event.id,
      event.type,
      event.version,
      event.subject,
      JSON.stringify(event),
      event.occurredAt,
    );
    // Explicit casts: drivers (and Prisma's pg adapter) send parameters as text.
    return `($${n + 1}::uuid, $${n + 2}, $${n + 3}::int, $${n + 4}, $${n + 5}::jsonb, $${n + 6}::timestamptz)`;
  });
  await tx.$executeRawUnsafe(
    `INSERT INTO outbox_event (id, type, version, subject, payload, occurred_at) VALUES ${rows.join(', ')}`,
    ...values,
  );
}

export type OutboxRelayOptions = {
  db: Database;
  /**
   * An EventBus fits. If it has isReady(), failures during an outage are not held against rows;
   * if it has onReady(), the relay tries again as soon as the broker is back.
   */
  bus: EventPublisher & {
    isReady?(): Promise<boolean>;
    onReady?(listener: () => void): () => void;
  };
  logger?: Logger;
  /** Idle poll interval; kick() skips the wait (default 250 ms). */
  pollIntervalMs?: number;
  /** Rows per transaction (default 100). */
  batchSize?: number;
  /** Failed publishes before a row is abandoned (default 10). */
  maxAttempts?: number;
  /** Longest wait between batches after repeated failures (default 30 s). */
  maxBackoffMs?: number;
  /** Interactive-transaction timeout: covers publishing a whole batch (default 30 s). */
  transactionTimeoutMs?: number;
};

type OutboxRow = { id: string; payload: string };

/**
 * Publishes outbox rows. Rows are claimed with FOR UPDATE SKIP LOCKED, so several relays (one
 * per service instance) share the work without publishing a row twice in the normal case.
 * A row is marked sent in the same transaction that published it: a crash before the commit
 * leaves it unsent, the next relay publishes it again, and the broker's dedup on the event id
 * drops the copy. Delivery to the broker is therefore at least once, and in practice once.
 */
export class OutboxRelay {
  readonly #db: Database;
  readonly #bus: OutboxRelayOptions['bus'];
  readonly #logger: Logger;
  readonly #pollIntervalMs: number;
  readonly #batchSize: number;
  readonly #maxAttempts: number;
  readonly #maxBackoffMs: number;
  readonly #transactionTimeoutMs: number;
  #wake = new AbortController();
  #isStopping = false;
  #isKicked = false;
  /** The broker came back since the current batch (or sleep) began. */
  #isBusBack = false;
  #stopListening: (() => void) | undefined;
  #loop: Promise<void> | undefined;

  constructor(options: OutboxRelayOptions) {
    this.#db = options.db;
    this.#bus = options.bus;
    this.#logger = (options.logger ?? defaultLogger()).child({ component: 'outbox-relay' });
    this.#pollIntervalMs = options.pollIntervalMs ?? 250;
    this.#batchSize = options.batchSize ?? 100;
    this.#maxAttempts = options.maxAttempts ?? 10;
    this.#maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.#transactionTimeoutMs = options.transactionTimeoutMs ?? 30_000;
  }

  /** Starts polling in the background. */
  start(): void {
    if (this.#loop) return;
    this.#isStopping = false;
    // After an outage the backoff may have grown to maxBackoffMs: do not wait it out.
    this.#stopListening = this.#bus.onReady?.(() => {
      this.#isBusBack = true;
      this.#wake.abort();
    });
    this.#loop = this.#run();
  }

  /** Publish soon: call after committing a transaction that wrote to the outbox. */
  kick(): void {
    this.#isKicked = true;
    this.#wake.abort();
  }

  /** Stops polling and waits for the batch in progress. */
  async stop(): Promise<void> {
    this.#isStopping = true;
    this.#stopListening?.();
    this.#stopListening = undefined;
    this.#wake.abort();
    await this.#loop;
    this.#loop = undefined;
  }

  /**
   * Publishes pending rows once (up to batchSize), oldest first, and returns how many were
   * published. The first failed publish ends the batch so later events do not overtake it.
   */
  async drainOnce(): Promise<number> {
    return (await this.#drain()).published;
  }

  #drain(): Promise<{ published: number; hasFailed: boolean }> {
    return this.#db.$transaction(
      async (tx) => {
        const rows = await tx.$queryRawUnsafe<OutboxRow[]>(
          `SELECT id::text AS id, payload::text AS payload
             FROM outbox_event
            WHERE sent_at IS NULL AND abandoned_at IS NULL
            ORDER BY created_at, id
            LIMIT $1::int
              FOR UPDATE SKIP LOCKED`,
          this.#batchSize,
        );
        // Published one at a time, in order; marked sent together at the end (one statement, in
        // the same transaction as before, so a crash in between republishes and the broker
        // drops the copies). A backlog after an outage drains at the broker's pace, not at
        // one database round trip per event.
        const sent: string[] = [];
        let failure: { id: string; error: unknown } | undefined;
        for (const row of rows) {
          try {
            await this.#bus.publish(JSON.parse(row.payload) as EventEnvelope);
            sent.push(row.id);
          } catch (error) {
            failure = { id: row.id, error };
            break;
          }
        }
        if (sent.length > 0) {
          await tx.$executeRawUnsafe(
            'UPDATE outbox_event SET sent_at = now() WHERE id = ANY($1::uuid[])',
            sent,
          );
        }
        if (failure) await this.#recordFailure(tx, failure.id, failure.error);
        return { published: sent.length, hasFailed: failure !== undefined };
      },
      { timeout: this.#transactionTimeoutMs, maxWait: 10_000 },
    );
  }

  async #recordFailure(tx: SqlClient, id: string, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    // A broker outage is not the row's fault: counting it would abandon healthy events. A
    // publish sent during the outage may fail only after the broker is back (timeout).
    const isOutage =
      this.#isBusBack ||
      (this.#bus.isReady ? !(await this.#bus.isReady().catch(() => false)) : false);
    if (isOutage) {
      this.#logger.warn({ eventId: id, err: error }, 'publish failed: event bus not ready');
      return;
    }
    const [row] = await tx.$queryRawUnsafe<{ attempts: number; isAbandoned: boolean }[]>(
      `UPDATE outbox_event
          SET attempts = attempts + 1,
              last_error = $2,
              abandoned_at = CASE WHEN attempts + 1 >= $3::int THEN now() END
        WHERE id = $1::uuid
    RETURNING attempts, abandoned_at IS NOT NULL AS "isAbandoned"`,
      id,
      message,
      this.#maxAttempts,
    );
    if (row?.isAbandoned) {
      this.#logger.error(
        { eventId: id, attempts: row.attempts, err: error },
        'outbox event abandoned after maxAttempts failed publishes',
      );
    } else {
      this.#logger.warn({ eventId: id, attempts: row?.attempts, err: error }, 'publish failed');
    }
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#isStopping) {
      this.#isKicked = false;
      this.#isBusBack = false;
      let published = 0;
      let isDatabaseFailure = false;
      try {
        const batch = await this.#drain();
        published = batch.published;
        failures = batch.hasFailed ? failures + 1 : 0;
      } catch (error) {
        failures += 1;
        isDatabaseFailure = true;
        this.#logger.error({ err: error }, 'outbox relay batch failed');
      }
      if (this.#isStopping) break;
      // The broker came back during the batch: its failures say nothing about the next try.
      if (this.#isBusBack) failures = 0;
      // A full batch means more is waiting; a kick during the batch means new rows.
      if (failures === 0 && (published === this.#batchSize || this.#isKicked || this.#isBusBack)) {
        continue;
      }
      // Back off exponentially while publishing or the database keeps failing.
      // The broker wakes the relay when it is back (onReady); the database sends no such signal,
      // so its failures back off to a short cap: events committed before a database outage go
      // out within about that cap after it ends, not after a 30 s backoff.
      const cap = isDatabaseFailure
        ? Math.min(DATABASE_RETRY_MAX_MS, this.#maxBackoffMs)
        : this.#maxBackoffMs;
      const delay = Math.min(this.#pollIntervalMs * 2 ** failures, cap);
      if (this.#wake.signal.aborted) this.#wake = new AbortController();
      await sleep(failures === 0 ? this.#pollIntervalMs : delay, this.#wake.signal);
      if (this.#isBusBack) failures = 0; // woken because the broker is back
    }
  }
}
