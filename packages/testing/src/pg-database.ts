import type pg from 'pg';

type SqlClient = {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
};

function sqlClient(queryable: pg.Pool | pg.PoolClient): SqlClient {
  return {
    async $executeRawUnsafe(query: string, ...values: unknown[]) {
      const result = await queryable.query(query, values);
      return result.rowCount ?? 0;
    },
    async $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]) {
      const result = await queryable.query(query, values);
      return result.rows as T;
    },
  };
}

/**
 * The event bus's `Database` surface over a pg pool — what a PrismaClient offers, without a
 * service's generated client — for tests that work on a service's outbox or inbox directly.
 */
export function pgDatabase(pool: pg.Pool): SqlClient & {
  $transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
} {
  return {
    ...sqlClient(pool),
    async $transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      // A backend killed mid-transaction surfaces on the next query; without a listener the
      // client's 'error' event would crash the process.
      const onError = () => {};
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn(sqlClient(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.off('error', onError);
        client.release();
      }
    },
  };
}
