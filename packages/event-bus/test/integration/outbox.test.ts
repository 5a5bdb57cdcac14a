// Outbox + relay against a fresh Postgres database (DDL derived from prisma/messaging.prisma)
// and, where the broker matters, real NATS.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import {
  connectNatsBus,
  type Database,
  type EventBus,
  type EventEnvelope,
  type EventPublisher,
  OutboxRelay,
  type OutboxRelayOptions,
  writeOutbox,
} from '../../src/index.js';
import { memberRegistered } from '../support/events.js';
import { captureLogs } from '../support/logs.js';
import { deleteNamespaceStreams, natsUrl, randomNamespace, silentLogger } from '../support/nats.js';
import { pgDatabase } from '../support/pg-database.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { gate, waitFor } from '../support/wait-for.js';

let database: TestDatabase;
const relays: OutboxRelay[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.drop();
});

beforeEach(async () => {
  await database.pool.query('TRUNCATE outbox_event');
});

afterEach(async () => {
  await Promise.all(relays.splice(0).map((relay) => relay.stop()));
});

function relay(options: Partial<OutboxRelayOptions> & { bus: EventPublisher }): OutboxRelay {
  const created = new OutboxRelay({ db: database.db, logger: silentLogger, ...options });
  relays.push(created);
  return created;
}

/** Publisher that records what it was given. */
function recordingPublisher(): EventPublisher & { published: EventEnvelope[] } {
  const published: EventEnvelope[] = [];
  return {
    published,
    async publish(event) {
      published.push(event);
    },
  };
}

function failingPublisher(message = 'nats: no responders'): EventPublisher & { calls: number } {
  const publisher = {
    calls: 0,
    async publish() {
      publisher.calls += 1;
      throw new Error(message);
    },
  };
  return publisher;
}

async function commitEvents(events: EventEnvelope[]): Promise<void> {
  await database.db.$transaction((tx) => writeOutbox(tx, events));
}

type OutboxRow = {
  id: string;
  type: string;
  version: number;
  subject: string;
  payload: EventEnvelope;
  occurred_at: Date;
  sent_at: Date | null;
  attempts: number;
  last_error: string | null;
  abandoned_at: Date | null;
};

async function rows(): Promise<OutboxRow[]> {
  const result = await database.pool.query<OutboxRow>(
    'SELECT * FROM outbox_event ORDER BY created_at, id',
  );
  return result.rows;
}

describe('writeOutbox', () => {
  it('stores the envelope with its columns when the transaction commits', async () => {
    const event = memberRegistered();
    await commitEvents([event]);
    const [row] = await rows();
    expect(row).toMatchObject({
      id: event.id,
      type: event.type,
      version: 1,
      subject: event.subject,
      payload: event,
      sent_at: null,
      attempts: 0,
      last_error: null,
      abandoned_at: null,
    });
    expect(row?.occurred_at.toISOString()).toBe(event.occurredAt);
  });

  it('leaves no row when the domain transaction rolls back', async () => {
    await expect(
      database.db.$transaction(async (tx) => {
        await writeOutbox(tx, [memberRegistered(), memberRegistered()]);
        throw new Error('domain rule violated');
      }),
    ).rejects.toThrow('domain rule violated');
    expect(await rows()).toEqual([]);
  });

  it('does nothing for no events', async () => {
    await commitEvents([]);
    expect(await rows()).toEqual([]);
  });
});

describe('OutboxRelay with NATS', () => {
  let namespace: string;
  let bus: EventBus;
  let subscriber: EventBus;
  let received: EventEnvelope[];

  beforeEach(async () => {
    namespace = randomNamespace();
    const options = { url: natsUrl, streams: ['members'], namespace, logger: silentLogger };
    bus = await connectNatsBus({ ...options, name: 'outbox-relay-test' });
    subscriber = await connectNatsBus({ ...options, name: 'outbox-subscriber-test' });
    received = [];
    await subscriber.subscribe({
      consumer: 'relay-test-read-model',
      types: ['members.member.registered'],
      handler: async (event) => {
        received.push(event);
      },
    });
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await bus.close();
    await subscriber.close();
    await deleteNamespaceStreams(namespace);
  });

  it('publishes pending rows in order and marks them sent', async () => {
    const events = [memberRegistered('a'), memberRegistered('b'), memberRegistered('c')];
    await commitEvents(events);

    expect(await relay({ bus }).drainOnce()).toBe(3);

    await waitFor(() => received.length === 3, { message: 'three deliveries' });
    expect(received).toEqual(events);
    expect((await rows()).every((row) => row.sent_at !== null)).toBe(true);
    expect(await relay({ bus }).drainOnce()).toBe(0);
  });

  it('a relay that crashed after publishing, before marking sent: the next one republishes and the broker drops the copy', async () => {
    const event = memberRegistered('crash');
    await commitEvents([event]);
    // The process dies between publish and COMMIT: the transaction never commits.
    const crashing: Database = {
      ...database.db,
      $transaction: (fn) =>
        database.db.$transaction(async (tx) => {
          await fn(tx);
          throw new Error('process killed before commit');
        }),
    };
    const crashed = new OutboxRelay({ db: crashing, bus, logger: silentLogger });
    await expect(crashed.drainOnce()).rejects.toThrow('process killed');
    expect((await rows())[0]?.sent_at).toBeNull();

    // "Restart": a new relay finds the row still unsent and publishes it again.
    expect(await relay({ bus }).drainOnce()).toBe(1);
    expect((await rows())[0]?.sent_at).not.toBeNull();

    const marker = memberRegistered('marker');
    await commitEvents([marker]);
    await relay({ bus }).drainOnce();
    await waitFor(() => received.some((e) => e.id === marker.id), { message: 'marker' });
    expect(received.map((e) => e.id)).toEqual([event.id, marker.id]);
  });

  it('a relay that crashed before publishing: its lock dies with it and the next relay publishes', async () => {
    const event = memberRegistered('orphan');
    await commitEvents([event]);
    // The crashing relay has its own connections, so the test can kill them like a dead host.
    const pool = new pg.Pool({ connectionString: database.url, application_name: 'doomed-relay' });
    pool.on('error', () => {});
    const publishing = gate();
    const stuck = gate();
    const hanging: EventPublisher = {
      async publish() {
        publishing.open();
        await stuck.promise;
        throw new Error('never got to publish');
      },
    };
    const doomed = new OutboxRelay({ db: pgDatabase(pool), bus: hanging, logger: silentLogger });
    const doomedDrain = doomed.drainOnce().catch((error: unknown) => error);
    await publishing.promise;

    // While the doomed relay holds the row, another relay skips it instead of waiting.
    expect(await relay({ bus }).drainOnce()).toBe(0);

    await database.pool.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'doomed-relay'",
    );
    stuck.open();
    expect(await doomedDrain).toBeInstanceOf(Error);
    await pool.end();
    expect(await rows()).toMatchObject([{ id: event.id, sent_at: null, attempts: 0 }]);

    expect(await relay({ bus }).drainOnce()).toBe(1);
    await waitFor(() => received.length === 1, { message: 'delivery' });
    expect(received[0]?.id).toBe(event.id);
  });

  it('a relay that failed to publish leaves the row unsent; the next relay publishes it', async () => {
    const event = memberRegistered();
    await commitEvents([event]);
    const broken = failingPublisher('connection refused');
    expect(await relay({ bus: broken }).drainOnce()).toBe(0);
    expect(await rows()).toMatchObject([
      {
        id: event.id,
        sent_at: null,
        attempts: 1,
        last_error: 'connection refused',
        abandoned_at: null,
      },
    ]);

    expect(await relay({ bus }).drainOnce()).toBe(1);
    await waitFor(() => received.length === 1, { message: 'delivery' });
    expect(received[0]?.id).toBe(event.id);
  });

  it('does not count failures against rows while the bus is down', async () => {
    const event = memberRegistered();
    await commitEvents([event]);
    const down = await connectNatsBus({
      url: natsUrl,
      name: 'outbox-down-test',
      streams: [],
      namespace,
      logger: silentLogger,
    });
    await down.close();
    expect(await relay({ bus: down, maxAttempts: 1 }).drainOnce()).toBe(0);
    expect(await rows()).toMatchObject([{ attempts: 0, abandoned_at: null, sent_at: null }]);

    expect(await relay({ bus }).drainOnce()).toBe(1);
  });

  it('start() drains in the background and kick() publishes without waiting for the poll', async () => {
    const running = relay({ bus, pollIntervalMs: 60_000 });
    running.start();
    const event = memberRegistered();
    await commitEvents([event]);
    running.kick();
    await waitFor(() => received.some((e) => e.id === event.id), {
      timeoutMs: 3_000,
      message: 'kicked publish (poll interval is 60 s)',
    });
    await waitFor(async () => (await rows())[0]?.sent_at, { message: 'row marked sent' });
  });
});

describe('OutboxRelay failures', () => {
  it('counts failed attempts and abandons the row after maxAttempts, with an error log', async () => {
    const event = memberRegistered();
    await commitEvents([event]);
    const { logger, find } = captureLogs();
    const broken = failingPublisher();
    const failing = relay({ bus: broken, maxAttempts: 3, logger });

    for (let i = 0; i < 3; i += 1) expect(await failing.drainOnce()).toBe(0);
    const [row] = await rows();
    expect(row).toMatchObject({ attempts: 3, last_error: 'nats: no responders', sent_at: null });
    expect(row?.abandoned_at).toBeInstanceOf(Date);
    await waitFor(() => find('abandoned').length > 0, { message: 'abandon log' });
    expect(find('abandoned')[0]).toMatchObject({ level: 50, eventId: event.id });

    // Abandoned rows are not retried.
    expect(await failing.drainOnce()).toBe(0);
    expect(broken.calls).toBe(3);
  });

  it('stops the batch at the first failure so later events do not overtake it', async () => {
    const first = memberRegistered('first');
    const second = memberRegistered('second');
    await commitEvents([first]);
    await commitEvents([second]);
    const broken = failingPublisher();
    expect(await relay({ bus: broken }).drainOnce()).toBe(0);
    expect(broken.calls).toBe(1);
    expect((await rows()).map((row) => row.attempts)).toEqual([1, 0]);
  });

  it('two relays draining concurrently publish every row exactly once (SKIP LOCKED)', async () => {
    const events = Array.from({ length: 40 }, (_, i) => memberRegistered(`m${i}`));
    await commitEvents(events);
    const publisher = recordingPublisher();
    const slow: EventPublisher = {
      async publish(event) {
        await new Promise((resolve) => setImmediate(resolve));
        await publisher.publish(event);
      },
    };
    const drainAll = async (r: OutboxRelay) => {
      while ((await r.drainOnce()) > 0) {}
    };
    await Promise.all([
      drainAll(relay({ bus: slow, batchSize: 5 })),
      drainAll(relay({ bus: slow, batchSize: 5 })),
    ]);
    const ids = publisher.published.map((e) => e.id);
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
    expect((await rows()).every((row) => row.sent_at !== null)).toBe(true);
  });

  it('keeps polling after a batch error', async () => {
    const publisher = recordingPublisher();
    let failures = 1;
    const flakyDb: Database = {
      ...database.db,
      $transaction: (fn, options) => {
        if (failures-- > 0) return Promise.reject(new Error('connection reset'));
        return database.db.$transaction(fn, options);
      },
    };
    const running = new OutboxRelay({
      db: flakyDb,
      bus: publisher,
      logger: silentLogger,
      pollIntervalMs: 10,
    });
    relays.push(running);
    await commitEvents([memberRegistered()]);
    running.start();
    await waitFor(() => publisher.published.length === 1, { message: 'publish after error' });
  });

  it('retries within about 2 s once a long database outage ends, not after the 30 s backoff', async () => {
    const publisher = recordingPublisher();
    let isDown = true;
    const flakyDb: Database = {
      ...database.db,
      $transaction: (fn, options) =>
        isDown
          ? Promise.reject(new Error('connection terminated'))
          : database.db.$transaction(fn, options),
    };
    // 10 ms × 2^n: the old backoff, still growing when the 6 s outage ends, slept from 5.1 s
    // to 10.2 s; capped at 2 s, the relay is back within 2 s of the end.
    const running = new OutboxRelay({
      db: flakyDb,
      bus: publisher,
      logger: silentLogger,
      pollIntervalMs: 10,
    });
    relays.push(running);
    await commitEvents([memberRegistered()]);
    running.start();
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    isDown = false;
    const back = Date.now();
    await waitFor(() => publisher.published.length === 1, {
      message: 'publish after the outage',
      timeoutMs: 5_000,
    });
    expect(Date.now() - back).toBeLessThan(2_500);
  }, 20_000);
});
