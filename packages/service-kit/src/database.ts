import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';

export type QueryStats = { queries: number };

/** Marks work done on behalf of a GraphQL request (set by the subgraph server). */
export const requestScope = new AsyncLocalStorage<true>();

/**
 * The pg pool a service hands to Prisma's driver adapter. It counts the SQL statements run
 * for GraphQL requests — not the outbox relay's polling or event consumers — so tests can
 * prove batching (no N+1) without background work making them flaky.
 */
export function createDatabasePool(options: { connectionString: string; max: number }): {
  pool: pg.Pool;
  stats: QueryStats;
} {
  const stats: QueryStats = { queries: 0 };
  class CountingClient extends pg.Client {
    // biome-ignore lint/suspicious/noExplicitAny: pg's overloaded query signature
    override query(...args: any[]): any {
      if (requestScope.getStore()) stats.queries += 1;
      // biome-ignore lint/suspicious/noExplicitAny: forwarding the same overloads
      return (super.query as any)(...args);
    }
  }
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max,
    Client: CountingClient,
  });
  // pg-pool hands a waiting caller its connection inside the callback of whoever released it,
  // so `pool.query` would run (and be counted) in the releaser's context — a relay poll counted
  // against a request, or the reverse. Binding the callback keeps the waiting caller's context.
  const connect = pool.connect.bind(pool);
  pool.connect = ((callback?: Parameters<typeof connect>[0]) =>
    callback ? connect(AsyncResource.bind(callback)) : connect()) as typeof pool.connect;
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  return { pool, stats };
}

/** A service's Prisma client over a counting pool, and how to close both. */
export type ServiceDatabaseConnection<Prisma> = {
  prisma: Prisma;
  stats: QueryStats;
  close(): Promise<void>;
};

/**
 * Connects a service's generated Prisma client through the pg driver adapter (no native query
 * engine) on a pool from createDatabasePool.
 */
export function connectPrisma<Prisma extends { $disconnect(): Promise<void> }>(
  PrismaClient: new (options: { adapter: PrismaPg }) => Prisma,
  options: { url: string; poolMax: number },
): ServiceDatabaseConnection<Prisma> {
  const { pool, stats } = createDatabasePool({
    connectionString: options.url,
    max: options.poolMax,
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    stats,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
