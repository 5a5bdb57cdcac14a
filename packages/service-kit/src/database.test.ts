import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { createDatabasePool, type DatabasePool, requestScope } from './database.js';
import { DatabaseUnavailableError, isDatabaseUnavailable } from './database-errors.js';
import { withDeadline } from './deadline.js';
import { createLogger } from './logger.js';

// The pool every service's Prisma client, relay and consumers use, on a database of its own
// (so that terminating backends touches no one else's), driven through the real
// @prisma/adapter-pg the way @prisma/client's transaction manager drives it.
const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const database = `hub_test_kit_pool_${randomBytes(4).toString('hex')}`;
const url = (() => {
  const parsed = new URL(adminUrl);
  parsed.pathname = `/${database}`;
  return parsed.toString();
})();
const admin = new pg.Pool({ connectionString: adminUrl, max: 2 });
const logger = createLogger({ name: 'database-test', level: 'silent' });
const opened: DatabasePool[] = [];

beforeAll(async () => {
  await admin.query(`CREATE DATABASE "${database}"`);
  const setup = new pg.Client({ connectionString: url });
  await setup.connect();
  await setup.query(`CREATE TABLE item (id int PRIMARY KEY,
    parent int REFERENCES item (id) DEFERRABLE INITIALLY DEFERRED)`);
  await setup.end();
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.end(2_000)));
});

afterAll(async () => {
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.end();
});

function open(max: number, timeouts: Parameters<typeof createDatabasePool>[0]['timeouts'] = {}) {
  const db = createDatabasePool({ connectionString: url, max, timeouts, logger });
  opened.push(db);
  return db;
}

/** Ends a backend of this test's own database (never another's). */
async function terminate(pid: number): Promise<void> {
  await admin.query(
    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = $1 AND datname = $2',
    [pid, database],
  );
}

async function waitUntil(isDone: () => boolean | Promise<boolean>, timeoutMs = 3_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await isDone())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** What pg-pool reports: nothing checked out, nobody waiting. */
function expectPoolAtRest(pool: pg.Pool) {
  expect({ idle: pool.idleCount, waiting: pool.waitingCount }).toEqual({
    idle: pool.totalCount,
    waiting: 0,
  });
}

const sql = (text: string) => ({ sql: text, args: [], argTypes: [] });
type AdapterTransaction = Awaited<
  ReturnType<Awaited<ReturnType<PrismaPg['connect']>>['startTransaction']>
>;

/**
 * How @prisma/client 6.19.3 ends an interactive transaction (TransactionManager
 * #closeTransaction, client-engine-runtime/src/transaction-manager/transaction-manager.ts):
 * COMMIT or ROLLBACK first, and the adapter's commit()/rollback() — which releases the
 * connection — only if that statement succeeded.
 */
async function closeLikePrisma(tx: AdapterTransaction, how: 'commit' | 'rollback') {
  await tx.executeRaw(sql(how === 'commit' ? 'COMMIT' : 'ROLLBACK'));
  await (how === 'commit' ? tx.commit() : tx.rollback());
}

async function backendPid(tx: AdapterTransaction): Promise<number> {
  return (await tx.queryRaw(sql('SELECT pg_backend_pid()'))).rows[0]![0] as number;
}

describe('a connection that breaks while checked out (issue 7)', () => {
  it('pool of 3, three backends terminated inside transactions: no slot leaks, it still answers', async () => {
    const { pool } = open(3);
    const adapter = await new PrismaPg(pool).connect();
    for (const when of ['between statements', 'during a statement', 'between statements']) {
      const tx = await adapter.startTransaction();
      const pid = await backendPid(tx);
      if (when === 'during a statement') {
        const sleeping = tx.queryRaw(sql('SELECT pg_sleep(5)::text'));
        await waitUntil(async () => {
          const { rows } = await admin.query(
            "SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND query LIKE '%pg_sleep(5)%'",
            [pid],
          );
          return rows.length > 0;
        });
        await terminate(pid);
        await expect(sleeping).rejects.toThrow();
      } else {
        await terminate(pid);
        await waitUntil(() => pool.totalCount < 3 || pool.idleCount > 0, 1_000).catch(() => {});
        await expect(tx.queryRaw(sql('SELECT 1'))).rejects.toThrow();
      }
      await expect(closeLikePrisma(tx, 'rollback')).rejects.toThrow();
    }
    expectPoolAtRest(pool);
    const answer = await withDeadline(adapter.queryRaw(sql('SELECT 1')), 1_000, 'a query');
    expect(answer.rows).toEqual([[1]]);
    // Every slot is usable again: three transactions at once.
    const transactions = await withDeadline(
      Promise.all([1, 2, 3].map(() => adapter.startTransaction())),
      1_000,
      'three transactions',
    );
    await Promise.all(transactions.map((tx) => closeLikePrisma(tx, 'commit')));
    expectPoolAtRest(pool);
  });

  it('a holder that listens for nothing does not crash the process; its slot comes back', async () => {
    const { pool, health } = open(1);
    const client = await pool.connect();
    const { rows } = await client.query('SELECT pg_backend_pid() AS pid');
    await terminate(rows[0].pid);
    await waitUntil(() => health().leased === 0);
    client.release();
    expectPoolAtRest(pool);
    expect((await pool.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
  });

  it('a read whose connection broke runs again on another; a write does not', async () => {
    const { pool } = open(1);
    const startedAndTerminated = async (text: string) => {
      const running = pool.query(text);
      let pid: number | undefined;
      await waitUntil(async () => {
        const found = await admin.query(
          "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND query = $2 AND state = 'active'",
          [database, text],
        );
        pid = found.rows[0]?.pid;
        return pid !== undefined;
      });
      await terminate(pid!);
      return running;
    };
    const read = await startedAndTerminated('SELECT pg_sleep(0.3)::text AS slept');
    expect(read.rows).toEqual([{ slept: '' }]);
    const write = startedAndTerminated(
      'INSERT INTO item (id) SELECT 7 FROM pg_sleep(0.3) RETURNING id',
    );
    const error = await write.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect(isDatabaseUnavailable(error)).toBe(true);
    expectPoolAtRest(pool);
  });
});

describe('a connection is given back exactly once, never inside a transaction', () => {
  it('a second release is a no-op, even once the client serves someone else (prisma/orm#29952)', async () => {
    const { pool } = open(1);
    const adapter = await new PrismaPg(pool).connect();
    const tx = await adapter.startTransaction();
    await closeLikePrisma(tx, 'commit');
    // The pool's only client now serves the next holder, inside a transaction of its own.
    const next = await pool.connect();
    await next.query('BEGIN');
    await next.query("SET LOCAL application_name = 'next-holder'");
    // The engine's timeout arm settling the first transaction again: ROLLBACK, then release.
    await expect(tx.executeRaw(sql('ROLLBACK'))).rejects.toThrow(/after it was given back/);
    await tx.rollback();
    // The next holder's transaction is intact, and its own release is its own.
    expect((await next.query('SHOW application_name')).rows).toEqual([
      { application_name: 'next-holder' },
    ]);
    await next.query('COMMIT');
    expect(() => next.release()).not.toThrow();
    expect(() => next.release()).not.toThrow();
    expectPoolAtRest(pool);
    expect(pool.totalCount).toBe(1);
  });

  it('a client given back inside its transaction is not reused with it open (prisma/orm#29719)', async () => {
    const { pool } = open(1);
    const adapter = await new PrismaPg(pool).connect();
    const tx = await adapter.startTransaction();
    await tx.executeRaw(sql('INSERT INTO item (id) VALUES (29719)'));
    // Released without ROLLBACK, as the transaction manager did when maxWait expired in BEGIN.
    await tx.rollback();
    // No connection of the pool sits in a transaction (the released one was ended)...
    await waitUntil(async () => {
      const { rows } = await admin.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = $1 AND pid <> pg_backend_pid() AND xact_start IS NOT NULL`,
        [database],
      );
      return rows[0].n === 0;
    });
    // ...the next holder starts clean (in a transaction of its own, now() is its start)...
    const client = await pool.connect();
    const { rows } = await client.query('SELECT now() = statement_timestamp() AS "isClean"');
    expect(rows).toEqual([{ isClean: true }]);
    client.release();
    // ...and the abandoned transaction's write never committed.
    expect((await pool.query('SELECT count(*)::int AS n FROM item WHERE id = 29719')).rows).toEqual(
      [{ n: 0 }],
    );
  });

  it('a COMMIT that fails gives the connection back (the manager never releases then)', async () => {
    const { pool } = open(1);
    const adapter = await new PrismaPg(pool).connect();
    const tx = await adapter.startTransaction();
    // A deferred foreign key is checked at COMMIT, which then fails on a healthy connection.
    await tx.executeRaw(sql('INSERT INTO item (id, parent) VALUES (1, 999)'));
    await expect(closeLikePrisma(tx, 'commit')).rejects.toThrow();
    expectPoolAtRest(pool);
    expect((await withDeadline(pool.query('SELECT 1 AS one'), 1_000, 'a query')).rows).toEqual([
      { one: 1 },
    ]);
  });
});

describe('every wait has a bound', () => {
  it('waiting for a connection ends in DatabaseUnavailableError within the pool timeout', async () => {
    const { pool, health } = open(1, { poolTimeoutMs: 300 });
    const held = await pool.connect();
    const started = Date.now();
    const waiting = pool.query('SELECT 1');
    await waitUntil(() => pool.waitingCount === 1);
    expect(health()).toMatchObject({ leased: 1, idle: 0, waiting: 1, isExhausted: true });
    await expect(waiting).rejects.toMatchObject({
      name: 'DatabaseUnavailableError',
      reason: 'pool-timeout',
    });
    expect(Date.now() - started).toBeLessThan(1_500);
    held.release();
    expect(health()).toMatchObject({ leased: 0, waiting: 0, isExhausted: false });
  });

  it('gives the server its statement, lock and idle-in-transaction limits', async () => {
    const { pool } = open(1, {
      statementTimeoutMs: 1_234,
      lockTimeoutMs: 567,
      idleInTransactionTimeoutMs: 8_900,
    });
    const { rows } = await pool.query(
      `SELECT current_setting('statement_timeout') AS statement,
              current_setting('lock_timeout') AS lock,
              current_setting('idle_in_transaction_session_timeout') AS idle`,
    );
    expect(rows).toEqual([{ statement: '1234ms', lock: '567ms', idle: '8900ms' }]);
  });

  it('a statement over statement_timeout fails as retryable and keeps its connection', async () => {
    const { pool } = open(1, { statementTimeoutMs: 200 });
    await pool.query('SELECT 1');
    const error = await pool.query('SELECT pg_sleep(2)').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: '57014' });
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('a transaction left open and idle is ended by the server, and its slot comes back', async () => {
    const { pool, health } = open(1, { idleInTransactionTimeoutMs: 300 });
    const leaked = await pool.connect();
    await leaked.query('BEGIN');
    await leaked.query('SELECT 1');
    await waitUntil(() => health().leased === 0, 3_000);
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect(() => leaked.release()).not.toThrow();
  });

  it('ending the pool with a leaked client finishes within its deadline, destroying it', async () => {
    const db = createDatabasePool({ connectionString: url, max: 2, logger });
    const leaked = await db.pool.connect();
    await leaked.query('SELECT 1');
    const started = Date.now();
    const outcome = await withDeadline(db.end(800), 2_000, 'ending the pool');
    expect(outcome).toEqual({ abandoned: 1 });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(db.pool.totalCount).toBe(0);
    expect(() => leaked.release()).not.toThrow();
  });
});

describe('createDatabasePool counts the statements of GraphQL requests', () => {
  it('counts a request query that waited for the connection, not the background one before it', async () => {
    const { pool, stats } = open(1);
    const before = stats.queries;
    // A background job holds the only connection; the request's query queues behind it and is
    // handed the connection from inside the job's release.
    const held = await pool.connect();
    const requestQuery = requestScope.run(true, () => pool.query('SELECT 1'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    held.release();
    await requestQuery;
    expect(stats.queries - before).toBe(1);
  });

  it('does not count a background query that waited behind a request', async () => {
    const { pool, stats } = open(1);
    const before = stats.queries;
    const held = await requestScope.run(true, () => pool.connect());
    const background = pool.query('SELECT 1');
    await new Promise((resolve) => setTimeout(resolve, 20));
    requestScope.run(true, () => held.release());
    await background;
    expect(stats.queries - before).toBe(0);
  });
});
