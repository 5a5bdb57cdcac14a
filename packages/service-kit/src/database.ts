import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { Logger } from 'pino';
import { DatabaseUnavailableError, isConnectionLevelError } from './database-errors.js';
import { DeadlineExceededError, withDeadline } from './deadline.js';
import { installQueryPlanCache } from './query-plan-cache.js';

export type QueryStats = { queries: number };

/** Marks work done on behalf of a GraphQL request (set by the subgraph server). */
export const requestScope = new AsyncLocalStorage<true>();

/**
 * How long the database may keep a caller waiting (milliseconds; 0 turns a server-side limit
 * off). The defaults fit a subgraph behind the gateway's 5 s per-call deadline: a caller
 * waiting for a connection gets a clear, retryable error well before the gateway gives up.
 */
export type DatabaseTimeouts = {
  /** Waiting for a free pooled connection, or for a new connection's handshake. */
  poolTimeoutMs: number;
  /** Server-side `statement_timeout`: one statement, lock waits included. */
  statementTimeoutMs: number;
  /** Server-side `lock_timeout`: waiting for one lock. */
  lockTimeoutMs: number;
  /** Server-side `idle_in_transaction_session_timeout`: a transaction left open and idle (a
   * leaked one) is ended by the server, which frees its locks and its pool slot. */
  idleInTransactionTimeoutMs: number;
  /** Prisma's interactive-transaction `timeout` (its default is 5 s too). */
  transactionTimeoutMs: number;
};

export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = {
  poolTimeoutMs: 2_000,
  statementTimeoutMs: 10_000,
  lockTimeoutMs: 5_000,
  idleInTransactionTimeoutMs: 15_000,
  transactionTimeoutMs: 5_000,
};

// A statement the server should have cancelled (statement_timeout) but did not answer for this
// much longer is on a dead or hung connection (a network blip sends no error): the client gives
// up on it and the connection is destroyed. Also the only statement deadline on embedded PGlite,
// which accepts but does not enforce the server-side timeouts.
const QUERY_TIMEOUT_MARGIN_MS = 5_000;
// At shutdown, what is left after the pool's ending was abandoned is given this long to close.
const FORCED_END_MS = 500;

/** Pool counts (pg-pool's, plus this pool's checkouts), for readiness and tests. */
export type PoolHealth = {
  max: number;
  /** Connections open or opening. */
  total: number;
  idle: number;
  /** Connections checked out (by Prisma, the relay, consumers). */
  leased: number;
  /** Callers waiting for a connection. */
  waiting: number;
  /** How long the longest-waiting caller has waited (0 when none waits). */
  oldestWaitMs: number;
  /**
   * No idle connection, every slot checked out, and callers piling up (as many waiting as the
   * pool has connections, or one waiting half the pool timeout): new work will mostly time out.
   */
  isExhausted: boolean;
};

export type DatabasePool = {
  pool: pg.Pool;
  stats: QueryStats;
  health(): PoolHealth;
  /**
   * Ends the pool within `timeoutMs`: connections still checked out then (leaked, or stuck in
   * a statement) are destroyed and logged. Resolves with how many were; idempotent.
   */
  end(timeoutMs: number): Promise<{ abandoned: number }>;
};

type TransactionStatus = 'I' | 'T' | 'E';

/** pg's Client with the internals this module reads (pg 8.16 has no public API for them). */
type TrackedClient = pg.Client & {
  transactionStatus: TransactionStatus;
  _queryable?: boolean;
  _ending?: boolean;
  connection?: { stream?: { destroy(): void } };
};

type QueryCallback = (error: Error | null | undefined, result?: unknown) => void;
type GiveBack = (error?: Error | boolean) => void;

// The statements Prisma's transaction manager ends a transaction with (not ROLLBACK TO).
const TRANSACTION_END = /^\s*(COMMIT|ROLLBACK|END|ABORT)\s*;?\s*$/i;
// A standalone read (Prisma's find*, count, aggregate outside a transaction): safe to run again.
const STANDALONE_READ = /^\s*SELECT\b/i;

/**
 * One checkout of a pooled client. The holder gets `handle` — the client, except that
 * `release` and `query` belong to this checkout — so that:
 * - the client is given back exactly once: a later `release` (an adapter releasing twice,
 *   prisma/orm#29952) is a no-op instead of pg-pool's "Release called on client which has
 *   already been released" crash, or worse, a release of the next holder's checkout;
 * - a client whose connection broke (an 'error' event, a statement failing at connection
 *   level) or whose COMMIT/ROLLBACK failed is destroyed at once, whether or not the holder ever
 *   releases it. @prisma/client 6.19's transaction manager runs COMMIT/ROLLBACK and calls the
 *   adapter's commit()/rollback() — the only code that releases — only if that succeeded, so a
 *   connection dropped inside `$transaction` was never released: the pool leaked a slot each
 *   time (issue 7);
 * - a client given back inside a transaction (prisma/orm#29719), with a statement still
 *   running, or no longer connected is destroyed, never handed to the next caller;
 * - a statement sent on the handle after it was given back fails instead of running inside
 *   the next holder's session.
 */
class Lease {
  readonly handle: pg.PoolClient;
  readonly since = Date.now();
  #isReleased = false;
  #broken: Error | null = null;
  #inFlight = 0;

  constructor(
    private readonly client: TrackedClient,
    private readonly giveBack: GiveBack,
    private readonly onEnd: (lease: Lease, reason: Error | null, isRoutine: boolean) => void,
  ) {
    client.on('error', this.#onError);
    const lease = this;
    this.handle = new Proxy(client, {
      get(target, property) {
        if (property === 'release') return lease.release;
        if (property === 'query') return lease.query;
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
      set: (target, property, value) => Reflect.set(target, property, value, target),
    }) as unknown as pg.PoolClient;
  }

  readonly release = (error?: Error | boolean): void => {
    if (this.#isReleased) return;
    if (error) {
      // pg-pool's own `pool.query` releases with every failed statement's error: routine.
      this.#finish(error instanceof Error ? error : new Error('released with an error'), true);
      return;
    }
    this.#finish(this.#unsafeToReuse(), false);
  };

  /** Gives the client back destroyed (no-op once given back). `hard` also cuts the socket. */
  destroy(reason: Error, options: { hard?: boolean } = {}): void {
    if (this.#isReleased) return;
    this.#broken ??= reason;
    this.#finish(reason, false);
    if (options.hard) this.client.connection?.stream?.destroy();
  }

  readonly query = (...args: unknown[]): unknown => {
    const first = args[0] as { submit?: unknown; text?: unknown } | string | undefined;
    if (first && typeof first === 'object' && typeof first.submit === 'function') {
      // A Submittable (pg-cursor, pg-query-stream) manages itself; nothing here uses one.
      return (this.client.query as (...a: unknown[]) => unknown)(...args);
    }
    const callback =
      typeof args.at(-1) === 'function' ? (args.pop() as QueryCallback | undefined) : undefined;
    if (this.#isReleased) {
      const error =
        this.#broken ??
        new Error('a statement was sent on a pooled connection after it was given back');
      if (!callback) return Promise.reject(error);
      process.nextTick(callback, error);
      return undefined;
    }
    const text = typeof first === 'string' ? first : (first?.text as string | undefined);
    const run = this.client.query as (...a: unknown[]) => unknown;
    this.#inFlight += 1;
    try {
      if (callback) {
        return run.call(this.client, ...args, (error: Error | null, result: unknown) =>
          callback(error ? this.#failed(error, text) : this.#succeeded(), result),
        );
      }
      return (run.call(this.client, ...args) as Promise<unknown>).then(
        (result) => {
          this.#succeeded();
          return result;
        },
        (error: Error) => {
          throw this.#failed(error, text);
        },
      );
    } catch (error) {
      // pg refused the call itself (e.g. no query given): nothing was sent.
      this.#inFlight -= 1;
      throw error;
    }
  };

  #succeeded(): null {
    this.#inFlight -= 1;
    return null;
  }

  #failed(error: Error, text: string | undefined): Error {
    this.#inFlight -= 1;
    if (isConnectionLevelError(error) || this.client._queryable === false) {
      const lost = new DatabaseUnavailableError(
        'connection-lost',
        'the database connection was lost',
        { cause: error },
      );
      this.destroy(lost);
      return lost;
    }
    if (text !== undefined && TRANSACTION_END.test(text)) {
      // The transaction manager will not release after a failed COMMIT/ROLLBACK (see above):
      // give the connection back now, destroyed, since its state is unknown.
      this.destroy(error);
    }
    return error;
  }

  readonly #onError = (error: Error): void => {
    this.destroy(
      new DatabaseUnavailableError('connection-lost', 'the database connection was lost', {
        cause: error,
      }),
    );
  };

  #unsafeToReuse(): Error | null {
    if (this.#broken) return this.#broken;
    if (this.#inFlight > 0) return new Error('given back with a statement still running');
    if (this.client._queryable === false || this.client._ending) {
      return new Error('given back after its connection ended');
    }
    if (this.client.transactionStatus !== 'I') {
      return new Error(
        `given back inside a transaction (status ${this.client.transactionStatus}); ending it`,
      );
    }
    return null;
  }

  #finish(reason: Error | null, isRoutine: boolean): void {
    this.#isReleased = true;
    // pg-pool's release for this checkout: a truthy argument removes and ends the client.
    this.giveBack(reason ?? undefined);
    // After giving back: pg-pool has put its own error listener on the client by now, so an
    // error during the client's ending never goes unheard (that would crash the process).
    this.client.removeListener('error', this.#onError);
    this.onEnd(this, reason, isRoutine);
  }
}

/**
 * The pg pool a service hands to Prisma's driver adapter. It
 * - counts the SQL statements run for GraphQL requests — not the outbox relay's polling or event
 *   consumers — so tests can prove batching (no N+1) without background work making them flaky;
 * - keeps itself healthy whatever its holders do (see Lease): no leaked slot, no double
 *   release, no connection reused inside a transaction;
 * - bounds every wait: for a connection (`poolTimeoutMs`, then DatabaseUnavailableError), for a
 *   statement (server-side `statement_timeout`/`lock_timeout`, and a client-side deadline for a
 *   connection that stopped answering), for an idle open transaction (the server ends it);
 * - runs a standalone read again, once, on another connection when its connection broke.
 */
export function createDatabasePool(options: {
  connectionString: string;
  max: number;
  timeouts?: Partial<DatabaseTimeouts>;
  logger?: Logger;
}): DatabasePool {
  const timeouts = { ...DEFAULT_DATABASE_TIMEOUTS, ...options.timeouts };
  const { logger, max } = options;
  const stats: QueryStats = { queries: 0 };
  class CountingClient extends pg.Client {
    /** From the server's last ReadyForQuery: I idle, T in a transaction, E in a failed one. */
    transactionStatus: TransactionStatus = 'I';

    constructor(config?: pg.ClientConfig) {
      super(config);
      (this as unknown as { connection: NodeJS.EventEmitter }).connection.on(
        'readyForQuery',
        (message: { status: TransactionStatus }) => {
          this.transactionStatus = message.status;
        },
      );
    }

    // biome-ignore lint/suspicious/noExplicitAny: pg's overloaded query signature
    override query(...args: any[]): any {
      if (requestScope.getStore()) stats.queries += 1;
      // biome-ignore lint/suspicious/noExplicitAny: forwarding the same overloads
      return (super.query as any)(...args);
    }
  }
  const positive = (ms: number) => (ms > 0 ? ms : undefined);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max,
    Client: CountingClient,
    connectionTimeoutMillis: timeouts.poolTimeoutMs,
    // Startup parameters: applied by the server at connect, no extra round trip. The embedded
    // PGlite server ignores them (it runs one shared session; see docs/architecture.md).
    statement_timeout: positive(timeouts.statementTimeoutMs),
    lock_timeout: positive(timeouts.lockTimeoutMs),
    idle_in_transaction_session_timeout: positive(timeouts.idleInTransactionTimeoutMs),
    query_timeout:
      timeouts.statementTimeoutMs > 0
        ? timeouts.statementTimeoutMs + QUERY_TIMEOUT_MARGIN_MS
        : undefined,
    keepAlive: true,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});

  const leases = new Set<Lease>();
  const waitingSince = new Map<object, number>();
  const onLeaseEnd = (lease: Lease, reason: Error | null, isRoutine: boolean) => {
    leases.delete(lease);
    if (reason && !isRoutine) {
      logger?.warn(
        { err: reason, heldMs: Date.now() - lease.since },
        'database connection destroyed instead of reused',
      );
    }
  };
  const unavailable = (error: Error): Error => {
    if (error.message === 'timeout exceeded when trying to connect') {
      return new DatabaseUnavailableError(
        'pool-timeout',
        `no database connection became free within ${timeouts.poolTimeoutMs} ms (pool of ${max})`,
        { cause: error },
      );
    }
    if (error.message === 'Cannot use a pool after calling end on the pool') {
      return new DatabaseUnavailableError('pool-closed', 'the database pool is closed', {
        cause: error,
      });
    }
    const code = (error as { code?: unknown }).code;
    if (isConnectionLevelError(error) || code === '53300') {
      return new DatabaseUnavailableError('connect-failed', 'could not connect to the database', {
        cause: error,
      });
    }
    return error;
  };

  type Checkout = (error: Error | undefined, client?: pg.PoolClient, done?: GiveBack) => void;
  const connect = pool.connect.bind(pool) as (
    callback: (error: Error | undefined, client: pg.PoolClient | undefined, done: GiveBack) => void,
  ) => void;
  const checkout = (callback: Checkout) => {
    const token = {};
    waitingSince.set(token, Date.now());
    connect((error, client, done) => {
      waitingSince.delete(token);
      if (error || !client) {
        callback(unavailable(error ?? new Error('the pool returned no client')));
        return;
      }
      const lease = new Lease(client as unknown as TrackedClient, done, onLeaseEnd);
      leases.add(lease);
      callback(undefined, lease.handle, lease.release);
    });
  };
  // pg-pool hands a waiting caller its connection inside the callback of whoever released it,
  // so `pool.query` would run (and be counted) in the releaser's context — a relay poll counted
  // against a request, or the reverse. Binding the callback keeps the waiting caller's context.
  pool.connect = ((callback?: Checkout) => {
    if (callback) {
      // runInAsyncScope rather than AsyncResource.bind: Node 20's bind builds a deprecated
      // property accessor on every call, a measurable share of a request's CPU.
      const scope = new AsyncResource('hub.pool.checkout');
      checkout((...args) => scope.runInAsyncScope(callback, undefined, ...args));
      return undefined;
    }
    return new Promise<pg.PoolClient>((resolve, reject) =>
      checkout((error, client) => (error ? reject(error) : resolve(client as pg.PoolClient))),
    );
  }) as typeof pool.connect;

  // Prisma runs a statement outside a transaction with `pool.query`. A read whose connection
  // broke under it (a restart, a failover, a terminated backend — the pool had not noticed yet)
  // is run once more on another connection: a read has no effect to repeat, and the answer to
  // a mutation that already committed then does not turn into an error because the read of
  // its result hit a dead connection. Writes are not repeated (they may have happened).
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  pool.query = ((...args: unknown[]) => {
    const first = args[0] as { text?: unknown } | string | undefined;
    const text = typeof first === 'string' ? first : first?.text;
    if (typeof args.at(-1) === 'function') return query(...args);
    const isRead = typeof text === 'string' && STANDALONE_READ.test(text);
    return query(...args).catch((error: unknown) => {
      if (!isConnectionLevelError(error)) throw error;
      const lost =
        error instanceof DatabaseUnavailableError
          ? error
          : new DatabaseUnavailableError('connection-lost', 'the database connection was lost', {
              cause: error,
            });
      if (!isRead || lost.reason === 'pool-closed') throw lost;
      logger?.warn({ err: error }, 'a read lost its database connection; running it again');
      return query(...args);
    });
  }) as typeof pool.query;

  let ending: Promise<{ abandoned: number }> | undefined;
  const end = (timeoutMs: number) => {
    ending ??= (async () => {
      const ended = pool.end();
      try {
        await withDeadline(ended, Math.max(0, timeoutMs - FORCED_END_MS), 'ending the pool');
        return { abandoned: 0 };
      } catch (error) {
        if (!(error instanceof DeadlineExceededError)) throw error;
      }
      const stuck = [...leases];
      logger?.warn(
        { abandoned: stuck.length, heldMs: stuck.map((lease) => Date.now() - lease.since) },
        'database connections still checked out at shutdown: destroying them',
      );
      for (const lease of stuck) {
        lease.destroy(
          new DatabaseUnavailableError('pool-closed', 'the database pool was closed at shutdown'),
          { hard: true },
        );
      }
      await withDeadline(ended, FORCED_END_MS, 'ending the pool after destroying').catch(
        (error: unknown) => logger?.error({ err: error }, 'the database pool did not end'),
      );
      return { abandoned: stuck.length };
    })();
    return ending;
  };

  const health = (): PoolHealth => {
    const now = Date.now();
    let oldest = now;
    for (const since of waitingSince.values()) oldest = Math.min(oldest, since);
    const idle = pool.idleCount;
    const total = pool.totalCount;
    const waiting = pool.waitingCount;
    const oldestWaitMs = now - oldest;
    return {
      max,
      total,
      idle,
      leased: leases.size,
      waiting,
      oldestWaitMs,
      isExhausted:
        idle === 0 &&
        total >= max &&
        waiting > 0 &&
        (waiting >= max || oldestWaitMs >= timeouts.poolTimeoutMs / 2),
    };
  };

  return { pool, stats, health, end };
}

/** A service's Prisma client over a counting pool, and how to close both. */
export type ServiceDatabaseConnection<Prisma> = {
  prisma: Prisma;
  stats: QueryStats;
  health(): PoolHealth;
  /**
   * Closes Prisma (rolling back its open transactions) and the pool within `timeoutMs`
   * (default 5 s), destroying connections still checked out then. Idempotent.
   */
  close(timeoutMs?: number): Promise<void>;
};

export type DatabaseOptions = {
  url: string;
  poolMax: number;
  timeouts?: Partial<DatabaseTimeouts>;
  logger?: Logger;
};

/** What Prisma's constructor is given (and a stand-in client in the kit's own tests). */
export type PrismaClientParts = {
  adapter: PrismaPg;
  pool: pg.Pool;
  transactionOptions: { maxWait: number; timeout: number };
};

/**
 * Connects a service's generated Prisma client through the pg driver adapter (no native query
 * engine) on a pool from createDatabasePool.
 */
export function connectPrisma<Prisma extends { $disconnect(): Promise<void> }>(
  PrismaClient: new (options: {
    adapter: PrismaPg;
    transactionOptions: PrismaClientParts['transactionOptions'];
  }) => Prisma,
  options: DatabaseOptions,
): ServiceDatabaseConnection<Prisma> {
  return openServiceDatabase(
    options,
    ({ adapter, transactionOptions }) => new PrismaClient({ adapter, transactionOptions }),
  );
}

/** connectPrisma with the client made by `createClient` from the adapter and the pool. */
export function openServiceDatabase<Prisma extends { $disconnect(): Promise<void> }>(
  options: DatabaseOptions,
  createClient: (parts: PrismaClientParts) => Prisma,
): ServiceDatabaseConnection<Prisma> {
  const timeouts = { ...DEFAULT_DATABASE_TIMEOUTS, ...options.timeouts };
  installQueryPlanCache();
  const database = createDatabasePool({
    connectionString: options.url,
    max: options.poolMax,
    timeouts,
    logger: options.logger,
  });
  const prisma = createClient({
    adapter: new PrismaPg(database.pool),
    pool: database.pool,
    transactionOptions: {
      // Prisma's maxWait only marks a transaction that waited too long, then throws it away
      // once it has its connection anyway; the pool's own timeout (shorter) fails first with
      // a clear error, and a transaction that got its connection is never wasted.
      maxWait: timeouts.poolTimeoutMs + 1_000,
      timeout: timeouts.transactionTimeoutMs,
    },
  });
  let closing: Promise<void> | undefined;
  return {
    prisma,
    stats: database.stats,
    health: database.health,
    close(timeoutMs = 5_000) {
      closing ??= (async () => {
        const started = Date.now();
        // $disconnect rolls back Prisma's open transactions, each on its own connection: one
        // stuck there (a hung connection) must not hold the shutdown.
        await withDeadline(prisma.$disconnect(), timeoutMs / 2, 'disconnecting Prisma').catch(
          (error: unknown) => options.logger?.warn({ err: error }, 'Prisma did not disconnect'),
        );
        await database.end(Math.max(FORCED_END_MS, timeoutMs - (Date.now() - started)));
      })();
      return closing;
    },
  };
}
