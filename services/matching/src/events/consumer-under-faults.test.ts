import { connectNatsBus, type EventBus, type EventEnvelope } from '@hub/event-bus';
import { createLogger, type RunningService } from '@hub/service-kit';
import {
  adminDatabaseUrl,
  asAdmin,
  createTestDatabase,
  deleteNamespaceStreams,
  randomNamespace,
  sendAsGateway,
  TEST_GATEWAY_SECRET,
  TEST_NATS_URL,
  type TestDatabase,
  testPool,
  waitFor,
} from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { memberRegistered } from '../../test/support/member-events.js';
import { startMatchingService } from '../app.js';
import { WORKER_READ_MODEL_CONSUMER } from './worker-read-model.js';

// Issue 7: a consumer whose database connections die again and again, inside and outside its
// handlers' transactions, on the real PostgreSQL and NATS. Each event must still have exactly
// one effect, and the service must recover by itself — no leaked pool slot, no restart.
const logger = createLogger({ name: 'matching-faults-test', level: 'silent' });
const POOL_MAX = 3;
const EVENTS = 120;
const namespace = randomNamespace('matching-faults');
let bus: EventBus;
let database: TestDatabase;
let service: RunningService;
let admin: pg.Pool;
let sql: pg.Pool;

beforeAll(async () => {
  bus = await connectNatsBus({
    url: TEST_NATS_URL,
    name: 'matching-faults-test',
    streams: ['members'],
    namespace,
    logger,
  });
  database = await createTestDatabase({
    migrationsDir: new URL('../../prisma/migrations', import.meta.url).pathname,
    prefix: 'matching_faults',
  });
  service = await startMatchingService({
    port: 0,
    databaseUrl: database.url,
    gatewaySecret: TEST_GATEWAY_SECRET,
    bus,
    logger,
    databasePoolMax: POOL_MAX,
    databaseTimeouts: { poolTimeoutMs: 1_000 },
  });
  admin = testPool(adminDatabaseUrl(), 2);
  sql = testPool(database.url, 2);
}, 30_000);

afterAll(async () => {
  await service?.stop();
  await sql?.end();
  await admin?.end();
  await database?.drop();
  await bus?.close();
  await deleteNamespaceStreams(namespace);
}, 30_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Ends every backend of the service's database (never another database's, never our own). */
const terminateServiceBackends = () =>
  admin.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = $1 AND pid <> pg_backend_pid() AND application_name <> 'hub-test-observer'`,
    [database.name],
  );

describe('a consumer whose connections are terminated again and again', () => {
  it('applies every event exactly once and recovers by itself, with every pool slot back', async () => {
    await sql.query("SET application_name = 'hub-test-observer'");
    const events: EventEnvelope[] = [];
    let isChaos = true;
    let terminated = 0;
    const killer = (async () => {
      while (isChaos) {
        terminated += (await terminateServiceBackends()).rowCount ?? 0;
        await sleep(150);
      }
    })();
    // Published over ~3 s while the killer runs, so handlers are cut at every point.
    for (let i = 0; i < EVENTS; i++) {
      const event = memberRegistered({ displayName: `テスト 利用者 ${i}` });
      events.push(event);
      await bus.publish(event);
      await sleep(25);
    }
    isChaos = false;
    await killer;
    expect(terminated).toBeGreaterThan(5);

    // Every event applied once: one worker and one inbox row each, no dead letter.
    const ids = events.map((event) => event.id);
    await waitFor(
      async () => {
        const { rows } = await sql.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM inbox_event WHERE consumer = $1 AND event_id = ANY($2::uuid[])',
          [WORKER_READ_MODEL_CONSUMER, ids],
        );
        return rows[0]!.n === EVENTS;
      },
      { timeoutMs: 20_000, message: 'every event to be applied after the terminations stop' },
    );
    const { rows } = await sql.query<{ inbox: number; workers: number; dead: number }>(
      `SELECT (SELECT count(*) FROM inbox_event WHERE consumer = $1 AND event_id = ANY($2::uuid[]))::int AS inbox,
              (SELECT count(*) FROM worker WHERE member_id = ANY($3::uuid[]))::int AS workers,
              (SELECT count(*) FROM dead_letter)::int AS dead`,
      [
        WORKER_READ_MODEL_CONSUMER,
        ids,
        events.map((event) => (event.data as { memberId: string }).memberId),
      ],
    );
    expect(rows[0]).toEqual({ inbox: EVENTS, workers: EVENTS, dead: 0 });

    // No slot leaked: readiness is green (pool not exhausted), and twice as many parallel
    // requests as the pool has connections all answer.
    const readiness = await fetch(service.url.replace('/graphql', '/_readiness'), {
      signal: AbortSignal.timeout(5_000),
    });
    expect(readiness.status).toBe(200);
    const answers = await Promise.all(
      Array.from({ length: POOL_MAX * 2 }, () =>
        sendAsGateway(service.url, '{ workOrders(first: 5) { nodes { id } } }', undefined, {
          identity: asAdmin(),
        }),
      ),
    );
    expect(answers.map((answer) => answer.errors)).toEqual(answers.map(() => undefined));
    const backends = await admin.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = $1 AND application_name <> 'hub-test-observer'`,
      [database.name],
    );
    expect(backends.rows[0]!.n).toBeLessThanOrEqual(POOL_MAX);
  }, 60_000);
});
