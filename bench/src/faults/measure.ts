import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import {
  type Counts,
  countOutcomes,
  ERASED,
  ERASURE_CONSUMERS,
  type Facts,
  type FaultWindow,
  isSettled,
  type Operations,
  REGISTERED,
} from './count.js';
import { harnessPool, SERVICES, type ServiceName } from './databases.js';
import type { HarnessNats } from './nats.js';

/** Reads the facts the counts are made of from every service's database and from NATS. */
export class FactReader {
  readonly #pools: Map<ServiceName, pg.Pool>;
  /** When the last settle() found everything in place (ms since the epoch). */
  settledAt = 0;
  /** What the last settle() first found outstanding: where the time after the load went. */
  firstCounts: Counts | undefined;

  constructor(
    databaseUrls: Record<ServiceName, string>,
    private readonly nats: HarnessNats,
  ) {
    this.#pools = new Map(SERVICES.map((service) => [service, harnessPool(databaseUrls[service])]));
  }

  async read(): Promise<Facts> {
    const pool = (service: ServiceName) => this.#pools.get(service)!;
    const memberEvents = pool('members').query<{
      id: string;
      type: string;
      subject: string;
      created_at: Date;
    }>('SELECT id::text AS id, type, subject, created_at FROM outbox_event WHERE type = ANY($1)', [
      [REGISTERED, ERASED],
    ]);
    const inbox = Promise.all(
      ERASURE_CONSUMERS.map(async (service) => {
        const { rows } = await pool(service).query<{
          consumer: string;
          event_id: string;
          type: string;
          processed_at: Date;
        }>(
          'SELECT consumer, event_id::text AS event_id, type, processed_at FROM inbox_event WHERE type = ANY($1)',
          [[REGISTERED, ERASED]],
        );
        return [
          service,
          rows.map((row) => ({
            consumer: row.consumer,
            eventId: row.event_id,
            type: row.type,
            processedAt: row.processed_at.getTime(),
          })),
        ] as const;
      }),
    );
    const sums = Promise.all(
      SERVICES.map(async (service) => {
        const { rows } = await pool(service).query<{ unsent: number; dead: number }>(
          `SELECT (SELECT count(*)::int FROM outbox_event WHERE sent_at IS NULL) AS unsent,
                  (SELECT count(*)::int FROM dead_letter) AS dead`,
        );
        return rows[0]!;
      }),
    );
    const pending = this.nats.pendingMessages().catch(() => null);
    const [events, inboxes, perService, consumerPending] = await Promise.all([
      memberEvents,
      inbox,
      sums,
      pending,
    ]);
    return {
      memberEvents: events.rows.map((row) => ({
        id: row.id,
        type: row.type,
        subject: row.subject,
        createdAt: row.created_at.getTime(),
      })),
      inbox: Object.fromEntries(inboxes),
      unsentOutbox: perService.reduce((sum, row) => sum + row.unsent, 0),
      deadLetters: perService.reduce((sum, row) => sum + row.dead, 0),
      consumerPending,
    };
  }

  /**
   * Reads and counts until every acknowledged effect is there and nothing is pending, or the
   * deadline passes; the counts at that moment are the experiment's. A read that fails (a
   * service's database still refusing) is retried until the deadline.
   */
  async settle(operations: Operations, window: FaultWindow, deadline: number): Promise<Counts> {
    let last: Counts | undefined;
    let lastError: unknown;
    this.firstCounts = undefined;
    for (;;) {
      try {
        last = countOutcomes(await this.read(), operations, window);
        this.firstCounts ??= last;
        if (isSettled(last)) {
          this.settledAt = Date.now();
          return last;
        }
      } catch (error) {
        lastError = error;
      }
      if (Date.now() >= deadline) break;
      await sleep(500);
    }
    if (!last) throw new Error('could not read the databases to count', { cause: lastError });
    return last;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((pool) => pool.end()));
  }
}
