import {
  createErrorFormatter,
  createLogger,
  isDatabaseUnavailable,
  withDeadline,
} from '@hub/service-kit';
import { adminDatabaseUrl, createTestDatabase, type TestDatabase } from '@hub/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { connectDatabase, type Database } from './db.js';

// This service's real Prisma client (client engine, @prisma/adapter-pg) over the kit's pool,
// on a database of its own: what happens to `$transaction` when the connection under it dies,
// times out or is held — issue 7. Every service opens its database the same way (connectPrisma).
const logger = createLogger({ name: 'spaces-database-test', level: 'silent' });
const admin = new pg.Pool({ connectionString: adminDatabaseUrl(), max: 2 });
let testDatabase: TestDatabase;
const opened: Database[] = [];

beforeAll(async () => {
  testDatabase = await createTestDatabase({
    migrationsDir: new URL('../prisma/migrations', import.meta.url).pathname,
    prefix: 'hub_test_spaces_db',
  });
  const setup = new pg.Client({ connectionString: testDatabase.url });
  await setup.connect();
  // A COMMIT that takes 600 ms: a deferred constraint trigger runs inside it.
  await setup.query(`
    CREATE TABLE slow_commit (id int PRIMARY KEY);
    CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS
      $$ BEGIN PERFORM pg_sleep(0.6); RETURN NULL; END $$;
    CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON slow_commit
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow_commit();`);
  await setup.end();
}, 30_000);

afterEach(async () => {
  await Promise.all(opened.splice(0).map((database) => database.close(2_000)));
});

afterAll(async () => {
  await testDatabase?.drop();
  await admin.end();
});

function open(poolMax: number, timeouts: Parameters<typeof connectDatabase>[0]['timeouts'] = {}) {
  const database = connectDatabase({ url: testDatabase.url, poolMax, timeouts, logger });
  opened.push(database);
  return database;
}

/** Ends a backend of this test's database (never another's). */
async function terminate(pid: number) {
  await admin.query(
    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = $1 AND datname = $2',
    [pid, testDatabase.name],
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Nothing checked out, nobody waiting, and no connection of the database inside a transaction. */
async function expectAtRest(database: Database) {
  expect(database.health()).toMatchObject({ leased: 0, waiting: 0, isExhausted: false });
  expect(database.health().idle).toBe(database.health().total);
  const { rows } = await admin.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = $1 AND (xact_start IS NOT NULL OR state LIKE 'idle in transaction%')`,
    [testDatabase.name],
  );
  expect(rows).toEqual([{ n: 0 }]);
}

const formatError = createErrorFormatter({ debugErrors: false });
const codeAsClientSees = (error: unknown) =>
  formatError({ message: String(error) }, error).extensions?.code;

describe('$transaction on a connection that dies (issue 7)', () => {
  it('pool of 3, three backends terminated inside $transaction: it still answers, no slot leaked', async () => {
    const database = open(3);
    for (let attempt = 0; attempt < 3; attempt++) {
      const error = await database.prisma
        .$transaction(async (tx) => {
          const [backend] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
          await terminate(backend!.pid);
          await sleep(50);
          await tx.space.findMany({ take: 1 });
        })
        .catch((caught: unknown) => caught);
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect(codeAsClientSees(error)).toBe('SERVICE_UNAVAILABLE');
    }
    const spaces = await withDeadline(database.prisma.space.findMany({ take: 1 }), 1_000, 'a read');
    expect(spaces).toEqual([]);
    await expectAtRest(database);
    // All three slots work, at once.
    await withDeadline(
      Promise.all([1, 2, 3].map(() => database.prisma.$transaction((tx) => tx.space.count()))),
      2_000,
      'three transactions',
    );
    await expectAtRest(database);
  });

  it('a backend terminated under a standalone read: the read is run again and answers', async () => {
    const database = open(2);
    await database.prisma.$queryRaw`SELECT 1`; // Prisma's engine is loaded before the clock runs
    // `.then` sends it: a Prisma query does not run until something awaits it.
    const reading = database.prisma.$queryRaw<{ slept: string }[]>`
      SELECT pg_sleep(0.5)::text AS slept /* issue-7-read */`.then((rows) => rows);
    let pid: number | undefined;
    for (let tries = 0; pid === undefined && tries < 400; tries++) {
      const { rows } = await admin.query(
        "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND query LIKE '%issue-7-read%' AND state = 'active'",
        [testDatabase.name],
      );
      pid = rows[0]?.pid;
      if (pid === undefined) await sleep(10);
    }
    expect(pid).toBeDefined();
    await terminate(pid!);
    expect(await reading).toEqual([{ slept: '' }]);
    await expectAtRest(database);
  });
});

describe('$transaction timeouts (prisma/orm#29952, #29719 directions)', () => {
  it('a timeout expiring during COMMIT does not crash or double-release; the answer matches the commit', async () => {
    const database = open(2);
    const outcome = await database.prisma
      .$transaction((tx) => tx.$executeRaw`INSERT INTO slow_commit (id) VALUES (1)`, {
        timeout: 200,
      })
      .then(
        () => 'committed',
        (error: unknown) => error,
      );
    const { rows } = await admin.query('SELECT 1'); // the process is alive and well
    expect(rows).toHaveLength(1);
    const stored = await database.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM slow_commit WHERE id = 1`;
    // Whatever Prisma decides, what it says matches what the database holds.
    expect(stored[0]!.n).toBe(outcome === 'committed' ? 1 : 0);
    await expectAtRest(database);
    // Both connections are sound and lent to one holder each.
    const names = await Promise.all(
      ['a', 'b', 'c', 'd'].map((name) =>
        database.prisma.$transaction(async (tx) => {
          await tx.$executeRawUnsafe(`SET LOCAL application_name = 'holder-${name}'`);
          await sleep(20);
          const [row] = await tx.$queryRaw<{ name: string }[]>`
            SELECT current_setting('application_name') AS name`;
          return row!.name;
        }),
      ),
    );
    expect(names).toEqual(['holder-a', 'holder-b', 'holder-c', 'holder-d']);
    await expectAtRest(database);
  });

  it('a transaction expiring mid-statement answers SERVICE_UNAVAILABLE and returns no open transaction', async () => {
    const database = open(2);
    const error = await database.prisma
      .$transaction(
        async (tx) => {
          await tx.$executeRaw`INSERT INTO slow_commit (id) VALUES (2)`;
          await tx.$queryRaw`SELECT pg_sleep(0.4)::text`;
          await tx.space.count();
        },
        { timeout: 150 },
      )
      .catch((caught: unknown) => caught);
    expect(codeAsClientSees(error)).toBe('SERVICE_UNAVAILABLE');
    const stored = await database.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM slow_commit WHERE id = 2`;
    expect(stored).toEqual([{ n: 0 }]);
    await expectAtRest(database);
  });

  it('no connection free within the pool timeout: SERVICE_UNAVAILABLE, in time', async () => {
    const database = open(1, { poolTimeoutMs: 300 });
    const holding = database.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT pg_sleep(0.8)::text`;
    });
    await sleep(50);
    const started = Date.now();
    const [inTransaction, standalone] = await Promise.all([
      database.prisma.$transaction((tx) => tx.space.count()).catch((caught: unknown) => caught),
      database.prisma.space.count().catch((caught: unknown) => caught),
    ]);
    expect(Date.now() - started).toBeLessThan(700);
    expect(codeAsClientSees(inTransaction)).toBe('SERVICE_UNAVAILABLE');
    expect(codeAsClientSees(standalone)).toBe('SERVICE_UNAVAILABLE');
    await holding;
    await expectAtRest(database);
  });
});
