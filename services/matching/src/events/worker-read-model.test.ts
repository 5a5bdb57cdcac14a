import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  connectNatsBus,
  createInProcessBus,
  type EventBus,
  type EventEnvelope,
} from '@hub/event-bus';
import {
  asAdmin,
  asMember,
  createTestDatabase,
  deleteNamespaceStreams,
  randomNamespace,
  TEST_GATEWAY_SECRET,
  TEST_NATS_URL,
  type TestDatabase,
  testPool,
  waitFor,
} from '@hub/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import {
  buses,
  countRows,
  migrationsDir,
  silentLogger,
  startTestService,
  type TestService,
} from '../../test/support/matching-service.js';
import { memberRegistered, profileUpdated, shifted } from '../../test/support/member-events.js';
import {
  MEMBER_ERASURE_CONSUMER,
  startMatchingService,
  WORKER_AFFILIATIONS_CONSUMER,
} from '../app.js';
import { WORKER_READ_MODEL_CONSUMER } from './worker-read-model.js';

type WorkerRow = {
  display_name: string;
  kind: string;
  municipality_code: string | null;
  available_hours_per_week: number | null;
  skills: unknown;
  registered_at: Date;
  source_event_at: Date;
  updated_at: Date;
};

describe.each(buses)('worker read model fed by members events ($name)', (factory) => {
  let bus: EventBus;
  let cleanupBus: () => Promise<void>;
  let hub: TestService;

  beforeAll(async () => {
    ({ bus, cleanup: cleanupBus } = await factory.connect());
    hub = await startTestService(bus);
  });

  afterAll(async () => {
    // The service stops its consumer before closing its database; the bus closes after.
    await hub?.close();
    await cleanupBus?.();
  });

  async function worker(memberId: string): Promise<WorkerRow | undefined> {
    const result = await hub.sql.query<WorkerRow>('SELECT * FROM worker WHERE member_id = $1', [
      memberId,
    ]);
    return result.rows[0];
  }

  const appears = (memberId: string) =>
    waitFor(() => worker(memberId), { message: `worker ${memberId}`, timeoutMs: 10_000 });

  const inboxRows = (event: EventEnvelope) =>
    countRows(hub.sql, 'inbox_event', 'consumer = $1 AND event_id = $2', [
      WORKER_READ_MODEL_CONSUMER,
      event.id,
    ]);

  it('adds the worker, with skills normalised, and serves it over GraphQL', async () => {
    const event = memberRegistered();
    await bus.publish(event);
    const row = await appears(event.subject);
    expect(row).toMatchObject({
      display_name: '佐藤 美咲',
      kind: 'teleworker',
      municipality_code: '012157',
      // One entry per code, the highest level, sorted by code; nothing verified yet.
      skills: [
        { code: 'data-entry', level: 4, isVerified: false },
        { code: 'office-processing', level: 3, isVerified: false },
      ],
      registered_at: new Date(event.occurredAt),
    });
    expect(await inboxRows(event)).toBe(1);

    const response = await hub.graphql<{ workers: { nodes: unknown[] } }>(
      `{ workers(filter: { skill: "data-entry", municipalityCode: "012157" }) {
          nodes { memberId displayName kind municipalityCode skills { code level } member { id } }
        } }`,
      undefined,
      asAdmin(),
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.workers.nodes).toContainEqual({
      memberId: event.subject,
      displayName: '佐藤 美咲',
      kind: 'TELEWORKER',
      municipalityCode: '012157',
      skills: [
        { code: 'data-entry', level: 4 },
        { code: 'office-processing', level: 3 },
      ],
      member: { id: event.subject },
    });
  });

  it('has exactly one effect when the same event is delivered again', async () => {
    const event = memberRegistered({ displayName: '最初の名前' });
    await bus.publish(event);
    const first = await appears(event.subject);

    // Past the duplicate window the bus delivers the same id again. Its data differs here, so
    // a second effect would show; the inbox must make it a no-op.
    await new Promise((resolve) => setTimeout(resolve, 150));
    await bus.publish({ ...event, data: { ...event.data, displayName: '二度目の名前' } });
    // Consumers handle one event at a time, in order: once a later event took effect, the
    // repeated one has been handled.
    const barrier = memberRegistered();
    await bus.publish(barrier);
    await appears(barrier.subject);

    expect(await inboxRows(event)).toBe(1);
    expect(await worker(event.subject)).toEqual(first);
    expect(await countRows(hub.sql, 'worker', 'member_id = $1', [event.subject])).toBe(1);
  });

  it('never lets an older event overwrite a newer one (replay is harmless)', async () => {
    const newer = memberRegistered({ displayName: '新しい名前' });
    await bus.publish(newer);
    const current = await appears(newer.subject);
    const older: EventEnvelope = {
      ...newer,
      id: randomUUID(),
      occurredAt: new Date(Date.parse(newer.occurredAt) - 60_000).toISOString(),
      data: { ...(newer.data as object), displayName: '古い名前' },
    };
    await bus.publish(older);
    await waitFor(async () => (await inboxRows(older)) === 1 || undefined, {
      message: 'the older event handled',
    });
    // The profile stays the newer event's. Only registered_at may move, to the earliest
    // registration seen — the merge that also mends a row a profile update created first.
    const { registered_at, updated_at: _updatedAt, ...profile } = current;
    expect(await worker(newer.subject)).toMatchObject({
      ...profile,
      registered_at: new Date(older.occurredAt),
    });
    expect(registered_at).toEqual(new Date(newer.occurredAt));
  });

  const handled = (event: EventEnvelope) =>
    waitFor(async () => (await inboxRows(event)) === 1 || undefined, {
      message: `event ${event.type} ${event.id} handled`,
      timeoutMs: 10_000,
    });

  it('applies members.member.profile-updated to a known worker', async () => {
    const registered = memberRegistered();
    await bus.publish(registered);
    const before = await appears(registered.subject);
    const update = profileUpdated(registered.subject);
    await bus.publish(update);
    await handled(update);
    expect(await worker(registered.subject)).toMatchObject({
      display_name: '佐藤 美咲 (更新)',
      kind: 'freelancer',
      municipality_code: '011002',
      available_hours_per_week: 20,
      // Verified skills stay marked: ranking counts them more.
      skills: [
        { code: 'data-entry', level: 5, isVerified: true },
        { code: 'web-site-building', level: 2, isVerified: false },
      ],
      // The registration time stays; the row now answers to the update.
      registered_at: before.registered_at,
      source_event_at: new Date(update.occurredAt),
    });

    const response = await hub.graphql<{ worker: unknown }>(
      'query($id: ID!) { worker(memberId: $id) { displayName kind availableHoursPerWeek } }',
      { id: registered.subject },
      asMember(registered.subject),
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.worker).toEqual({
      displayName: '佐藤 美咲 (更新)',
      kind: 'FREELANCER',
      availableHoursPerWeek: 20,
    });
  });

  it('adds a worker from a profile update that overtook its registration', async () => {
    const registered = memberRegistered({ displayName: '登録時の名前' });
    const update = profileUpdated(registered.subject, { availableHoursPerWeek: null });
    // The registration happened a minute before the update but is delivered after it.
    const lateRegistration = shifted(registered, 60_000);
    await bus.publish(update);
    await handled(update);
    expect(await worker(registered.subject)).toMatchObject({
      display_name: '佐藤 美咲 (更新)',
      available_hours_per_week: null,
      registered_at: new Date(update.occurredAt),
    });

    await bus.publish(lateRegistration);
    await handled(lateRegistration);
    // The older registration does not undo the update, but it tells when the member registered.
    expect(await worker(registered.subject)).toMatchObject({
      display_name: '佐藤 美咲 (更新)',
      kind: 'freelancer',
      registered_at: new Date(lateRegistration.occurredAt),
      source_event_at: new Date(update.occurredAt),
    });
  });

  it('never lets an older profile update overwrite a newer one', async () => {
    const registered = memberRegistered();
    await bus.publish(registered);
    await appears(registered.subject);
    const newer = profileUpdated(registered.subject, { displayName: '新しい名前' });
    await bus.publish(newer);
    await handled(newer);
    const current = await worker(registered.subject);
    const older = shifted(newer, 30_000, { displayName: '古い名前', availableHoursPerWeek: 40 });
    await bus.publish(older);
    await handled(older);
    expect(await worker(registered.subject)).toEqual(current);
  });

  it('has exactly one effect when a profile update is delivered again', async () => {
    const registered = memberRegistered();
    await bus.publish(registered);
    await appears(registered.subject);
    const update = profileUpdated(registered.subject, { displayName: '一度目の更新' });
    await bus.publish(update);
    await handled(update);
    const first = await worker(registered.subject);

    // Past the duplicate window the same id is delivered again, with other data: a second
    // effect would show.
    await new Promise((resolve) => setTimeout(resolve, 150));
    await bus.publish({ ...update, data: { ...update.data, displayName: '二度目の更新' } });
    const barrier = memberRegistered();
    await bus.publish(barrier);
    await appears(barrier.subject);

    expect(await inboxRows(update)).toBe(1);
    expect(await worker(registered.subject)).toEqual(first);
  });

  it('dead-letters an event whose payload breaks the catalog, without an effect', async () => {
    const valid = memberRegistered();
    const invalid = {
      ...valid,
      data: { ...(valid.data as object), memberId: 'not-a-uuid', kind: 'astronaut' },
    };
    await bus.publish(invalid);
    const letter = await waitFor(
      async () =>
        (
          await hub.sql.query<{
            consumer: string;
            type: string;
            error: string;
            payload: { data: unknown };
          }>('SELECT consumer, type, error, payload FROM dead_letter WHERE event_id = $1', [
            invalid.id,
          ])
        ).rows[0],
      { message: 'the dead letter', timeoutMs: 10_000 },
    );
    expect(letter).toMatchObject({
      consumer: WORKER_READ_MODEL_CONSUMER,
      type: 'members.member.registered',
      payload: { data: invalid.data },
    });
    expect(letter.error).toMatch(/Invalid data/);
    expect(await inboxRows(invalid)).toBe(0);
    expect(await worker(valid.subject)).toBeUndefined();
  });
});

describe('worker read model across a restart', () => {
  it('NATS JetStream: stops consuming before the database closes, and the next instance picks the event up', async () => {
    const namespace = randomNamespace();
    const connect = () =>
      connectNatsBus({
        url: TEST_NATS_URL,
        name: 'matching-test',
        streams: ['members'],
        namespace,
        logger: silentLogger,
      });
    const database = await createTestDatabase({ migrationsDir, prefix: 'matching_test' });
    const sql = testPool(database.url, 1);
    try {
      const firstBus = await connect();
      const first = await startMatchingService({
        port: 0,
        databaseUrl: database.url,
        gatewaySecret: TEST_GATEWAY_SECRET,
        bus: firstBus,
        logger: silentLogger,
      });
      await first.stop();
      // Published while the first instance is stopped but its bus is still connected: its
      // subscription is stopped, so the event waits in the durable, never handled against a
      // closed database.
      const event = memberRegistered({ displayName: '再起動後' });
      await firstBus.publish(event);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await firstBus.close();
      expect(await countRows(sql, 'worker')).toBe(0);

      const secondBus = await connect();
      const second = await startMatchingService({
        port: 0,
        databaseUrl: database.url,
        gatewaySecret: TEST_GATEWAY_SECRET,
        bus: secondBus,
        logger: silentLogger,
      });
      try {
        await waitFor(
          async () =>
            (await countRows(sql, 'worker', 'member_id = $1', [event.subject])) === 1 || undefined,
          {
            message: 'the event handled by the restarted service',
            timeoutMs: 10_000,
          },
        );
        expect(await countRows(sql, 'dead_letter')).toBe(0);
      } finally {
        await second.stop();
        await secondBus.close();
      }
    } finally {
      await sql.end();
      await database.drop();
      await deleteNamespaceStreams(namespace);
    }
  });

  it('in-process bus: a service restarted inside the process resumes its consumer', async () => {
    const bus = createInProcessBus({ logger: silentLogger });
    const database = await createTestDatabase({ migrationsDir, prefix: 'matching_test' });
    const sql = testPool(database.url, 1);
    const start = () =>
      startMatchingService({
        port: 0,
        databaseUrl: database.url,
        gatewaySecret: TEST_GATEWAY_SECRET,
        bus,
        logger: silentLogger,
      });
    const workerCount = (event: EventEnvelope) =>
      countRows(sql, 'worker', 'member_id = $1', [event.subject]);
    try {
      const first = await start();
      const before = memberRegistered({ displayName: '再起動前' });
      await bus.publish(before);
      await waitFor(async () => (await workerCount(before)) === 1 || undefined, {
        message: 'the event handled before the restart',
      });
      await first.stop();

      const meanwhile = memberRegistered({ displayName: '停止中' });
      await bus.publish(meanwhile);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await workerCount(meanwhile)).toBe(0);

      // The same bus: the consumer name was released by stop(), and its position kept.
      const second = await start();
      try {
        await waitFor(async () => (await workerCount(meanwhile)) === 1 || undefined, {
          message: 'the event published while stopped',
        });
        expect(await countRows(sql, 'inbox_event')).toBe(2);
      } finally {
        await second.stop();
      }
    } finally {
      await bus.close();
      await sql.end();
      await database.drop();
    }
  });
});

describe('matching service lifecycle (in-process bus)', () => {
  let bus: EventBus;
  let database: TestDatabase;
  let sql: pg.Pool;

  beforeEach(async () => {
    bus = createInProcessBus({ logger: silentLogger });
    database = await createTestDatabase({ migrationsDir, prefix: 'matching_test' });
    sql = testPool(database.url, 1);
  });

  afterEach(async () => {
    await bus.close();
    await sql.end();
    await database.drop();
  });

  const start = (port = 0) =>
    startMatchingService({
      port,
      databaseUrl: database.url,
      gatewaySecret: TEST_GATEWAY_SECRET,
      bus,
      logger: silentLogger,
    });

  /** Until no connection to the test database is left but `sql`'s own (backends exit async). */
  const poolClosed = () =>
    waitFor(
      async () => {
        const result = await sql.query<{ n: string }>(
          `SELECT count(*) AS n FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
        return Number(result.rows[0]!.n) === 0 || undefined;
      },
      { message: "the service's connections to close", timeoutMs: 2_000 },
    );

  it('stop(): HTTP first, then waits for the handler in flight, then closes the database', async () => {
    const service = await start();
    const health = service.url.replace(/\/graphql$/, '/_health');
    const lock = new pg.Client({ connectionString: database.url });
    await lock.connect();
    let stopping: Promise<void> | undefined;
    try {
      // Hold the worker table so the consumer's upsert waits inside its transaction.
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE worker IN EXCLUSIVE MODE');
      const event = memberRegistered();
      await bus.publish(event);
      await waitFor(
        async () =>
          Number(
            (
              await sql.query<{ n: string }>(
                `SELECT count(*) AS n FROM pg_stat_activity
                  WHERE datname = current_database() AND wait_event_type = 'Lock'`,
              )
            ).rows[0]!.n,
          ) === 1 || undefined,
        { message: 'the handler waiting on the lock' },
      );

      let isStopped = false;
      stopping = service.stop().then(() => {
        isStopped = true;
      });
      await waitFor(
        () =>
          fetch(health).then(
            () => undefined,
            () => true,
          ),
        { message: 'the HTTP server to refuse connections' },
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(isStopped).toBe(false);

      await lock.query('COMMIT');
      await stopping;
      // The handler committed before the pool closed.
      expect(await countRows(sql, 'worker', 'member_id = $1', [event.subject])).toBe(1);
    } finally {
      await lock.end(); // ends the transaction too, should a check above have failed
      await (stopping ?? service.stop());
    }
    await poolClosed();
  });

  it('a failed start stops what it started, then rethrows', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      await expect(start(port)).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    // The consumers were stopped: their names are free on the bus again.
    for (const consumer of [
      WORKER_READ_MODEL_CONSUMER,
      WORKER_AFFILIATIONS_CONSUMER,
      MEMBER_ERASURE_CONSUMER,
    ]) {
      const probe = await bus.subscribe({
        consumer,
        types: ['members.member.registered'],
        handler: async () => {},
      });
      await probe.stop();
    }
    // The relay was stopped and the pool closed: past a poll interval, no connection remains.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await poolClosed();
  });
});
