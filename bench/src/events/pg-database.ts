import type { Database, SqlClient, TransactionOptions } from '@hub/event-bus';
import type pg from 'pg';

/**
 * The event bus's database surface (`Database`, structural: "a plain `pg` adapter" fits) on a
 * `pg` pool, for the event-rate bench, which has no Prisma client of its own. The outbox,
 * relay and inbox code run unchanged on it; what it leaves out is Prisma's own per-statement
 * work in the services, so the bench measures the event path, not the ORM (see
 * docs/performance.md).
 */
export class PgDatabase implements Database<SqlClient> {
  constructor(private readonly pool: pg.Pool) {}

  async $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> {
    return (await this.pool.query(query, values)).rowCount ?? 0;
  }

  async $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T> {
    return (await this.pool.query(query, values)).rows as T;
  }

  /**
   * BEGIN … COMMIT on one connection; a failure rolls back. Like Prisma's interactive
   * transactions, `timeout` is kept by the client (no extra statement): a transaction whose
   * work ends after it is rolled back and rejected.
   */
  async $transaction<T>(
    fn: (tx: SqlClient) => Promise<T>,
    options?: TransactionOptions,
  ): Promise<T> {
    const client = await this.pool.connect();
    const tx: SqlClient = {
      $executeRawUnsafe: async (query, ...values) =>
        (await client.query(query, values)).rowCount ?? 0,
      $queryRawUnsafe: async <R>(query: string, ...values: unknown[]) =>
        (await client.query(query, values)).rows as R,
    };
    const deadline = options?.timeout ? performance.now() + options.timeout : Infinity;
    try {
      await client.query('BEGIN');
      const result = await fn(tx);
      if (performance.now() > deadline) {
        throw new Error(`transaction timeout: ran past ${options?.timeout} ms`);
      }
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
}
