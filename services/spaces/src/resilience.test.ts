import { createInProcessBus } from '@hub/event-bus';
import { createLogger, type RunningService, withDeadline } from '@hub/service-kit';
import {
  adminDatabaseUrl,
  asAdmin,
  createTestDatabase,
  sendAsGateway,
  TEST_GATEWAY_SECRET,
  type TestDatabase,
  waitFor,
} from '@hub/testing';
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { startSpacesService } from './app.js';

// The spaces service as it runs — GraphQL, outbox relay, readiness, shutdown — while its
// database connections are killed, held or stuck (issue 7). The kit is the same in every service.
const logger = createLogger({ name: 'spaces-resilience-test', level: 'silent' });
const bus = createInProcessBus({ logger });
const admin = new pg.Pool({ connectionString: adminDatabaseUrl(), max: 3 });
let database: TestDatabase;
let service: RunningService | undefined;

beforeEach(async () => {
  database = await createTestDatabase({
    migrationsDir: new URL('../prisma/migrations', import.meta.url).pathname,
    prefix: 'hub_test_spaces_resilience',
  });
  const setup = new pg.Client({ connectionString: database.url });
  await setup.connect();
  await setup.query(
    "INSERT INTO municipality (code, name, prefecture) VALUES ('011002', '札幌市', '北海道')",
  );
  await setup.end();
}, 30_000);

afterEach(async () => {
  await service?.stop();
  service = undefined;
  await database.drop();
}, 30_000);

afterAll(async () => {
  await bus.close();
  await admin.end();
});

async function start(options: Partial<Parameters<typeof startSpacesService>[0]> = {}) {
  service = await startSpacesService({
    port: 0,
    host: '127.0.0.1',
    databaseUrl: database.url,
    gatewaySecret: TEST_GATEWAY_SECRET,
    bus,
    logger,
    ...options,
  });
  return service;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const hubAdmin = asAdmin();
const call = (query: string, variables?: Record<string, unknown>) =>
  withDeadline(
    sendAsGateway(service!.url, query, variables, { identity: hubAdmin }),
    6_000,
    'a GraphQL call',
  );
const LIST = '{ spaces(first: 5) { nodes { id name } } }';
const CREATE = `mutation($input: CreateSpaceInput!) {
  createSpace(input: $input) { ... on CreateSpaceSuccess { space { id name } } }
}`;
const createSpace = (name: string) =>
  call(CREATE, { input: { name, kind: 'COWORKING', municipalityCode: '011002' } });

async function readiness(): Promise<{ status: number; ms: number; body: Record<string, unknown> }> {
  const started = Date.now();
  const response = await fetch(service!.url.replace('/graphql', '/_readiness'), {
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await response.json()) as Record<string, unknown>;
  return { status: response.status, ms: Date.now() - started, body };
}

/** Ends every backend of this test's database but the admin's own (never another database's). */
const terminateAll = () =>
  admin.query(
    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [database.name],
  );
describe('connections killed again and again while it works', () => {
  it('answers only SERVICE_UNAVAILABLE meanwhile, then recovers by itself within seconds', async () => {
    await start({ databasePoolMax: 3, databaseTimeouts: { poolTimeoutMs: 1_000 } });
    const sql = new pg.Client({ connectionString: database.url });
    sql.on('error', () => {});
    let isChaos = true;
    const codes: Record<string, number> = {};
    let answered = 0;
    const killer = (async () => {
      while (isChaos) {
        await terminateAll();
        await sleep(100);
      }
    })();
    const workers = [0, 1, 2, 3].map(async (worker) => {
      for (let round = 0; isChaos; round++) {
        const response =
          round % 2 === 0 ? await createSpace(`拠点 ${worker}-${round}`) : await call(LIST);
        if (!response.errors) answered += 1;
        for (const error of response.errors ?? []) {
          const code = String(error.extensions?.code);
          codes[code] = (codes[code] ?? 0) + 1;
        }
      }
    });
    await sleep(2_500);
    isChaos = false;
    await Promise.all([killer, ...workers]);
    expect(Object.keys(codes).filter((code) => code !== 'SERVICE_UNAVAILABLE')).toEqual([]);
    expect(answered).toBeGreaterThan(0);

    // Recovery, with nobody's help: requests answer, readiness is green, the relay catches up.
    const recovered = Date.now();
    await waitFor(async () => (await createSpace('回復後の拠点')).errors === undefined, {
      timeoutMs: 5_000,
      message: 'a mutation to succeed after the connections stop dying',
    });
    await sql.connect();
    await waitFor(
      async () =>
        Number(
          (await sql.query('SELECT count(*) AS n FROM outbox_event WHERE sent_at IS NULL')).rows[0]
            .n,
        ) === 0,
      { timeoutMs: 5_000, message: 'the outbox relay to publish every committed event' },
    );
    const ready = await readiness();
    expect(ready.status).toBe(200);
    expect(Date.now() - recovered).toBeLessThan(10_000);
    // Every committed space was announced; none announced that did not commit.
    const { rows } = await sql.query(
      `SELECT (SELECT count(*) FROM space)::int AS spaces,
              (SELECT count(*) FROM outbox_event WHERE type = 'spaces.space.registered')::int AS events`,
    );
    expect(rows[0].events).toBe(rows[0].spaces);
    await sql.end();
  }, 30_000);
});

describe('a pool held by stuck work', () => {
  // Two requests wait on a table lock the test holds, each holding one of the two connections.
  async function holdPool() {
    const locker = new pg.Client({ connectionString: database.url });
    locker.on('error', () => {});
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE space IN ACCESS EXCLUSIVE MODE');
    // Settled, never rejected: a test that fails early must not leave rejections unheard.
    const stuck = [call(LIST), call(LIST)].map((pending) =>
      pending.then(
        (response) => ({ response }),
        (error: unknown) => ({ error }),
      ),
    );
    await waitFor(
      async () =>
        (
          await admin.query(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'",
            [database.name],
          )
        ).rows[0].n === 2,
      { timeoutMs: 5_000, message: 'two requests waiting on the lock' },
    );
    return {
      stuck,
      async release() {
        await locker.query('COMMIT');
        await locker.end();
      },
    };
  }

  it('a request gets SERVICE_UNAVAILABLE within the pool timeout; readiness says 503 within its deadline', async () => {
    await start({
      databasePoolMax: 2,
      databaseTimeouts: { poolTimeoutMs: 1_500, lockTimeoutMs: 0 },
    });
    const held = await holdPool();
    const started = Date.now();
    const waiting = call(LIST);
    // Waiting for half the pool timeout with nothing free: the pool counts as exhausted.
    await sleep(900);
    const notReady = await readiness();
    expect(notReady.status).toBe(503);
    expect(notReady.ms).toBeLessThan(1_500);
    expect(notReady.body).toMatchObject({
      status: 'not-ready',
      checks: { database: false, databasePool: false, bus: true },
      failures: { database: 'timeout', databasePool: 'exhausted' },
    });
    const refused = await waiting;
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(refused.errors?.[0]).toMatchObject({
      message: expect.stringContaining('try again'),
      extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 1 },
    });
    await held.release();
    for (const outcome of await Promise.all(held.stuck)) {
      expect(outcome).toHaveProperty('response.data.spaces.nodes', []);
    }
    await waitFor(async () => (await readiness()).status === 200, {
      timeoutMs: 5_000,
      message: 'readiness to recover',
    });
  }, 30_000);

  it('stop() finishes within its bound although requests are stuck on their connections', async () => {
    await start({
      databasePoolMax: 2,
      databaseTimeouts: { lockTimeoutMs: 0 },
      stopTimeoutMs: 3_000,
    });
    const held = await holdPool();
    const started = Date.now();
    const stopping = service!.stop();
    service = undefined;
    await withDeadline(stopping, 5_000, 'stopping the service');
    expect(Date.now() - started).toBeLessThan(4_000);
    // The stuck requests' HTTP connections were cut: their callers are not left hanging.
    for (const outcome of await Promise.all(held.stuck)) expect(outcome).toHaveProperty('error');
    await held.release();
  }, 30_000);
});
