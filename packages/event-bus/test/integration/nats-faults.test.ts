// The event path under faults, on real NATS and Postgres: a broker restart under a running
// relay and consumer, and a consumer process killed with SIGKILL mid-stream.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from '@jest/globals';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import {
  connectNatsBus,
  type EventBus,
  type EventEnvelope,
  eventSubscription,
  OutboxRelay,
  streamFor,
  writeOutbox,
} from '../../src/index.js';
import { memberRegistered } from '../support/events.js';
import { captureLogs } from '../support/logs.js';
import { deleteNamespaceStreams, natsUrl, randomNamespace, silentLogger } from '../support/nats.js';
import { type OwnNats, startOwnNats } from '../support/own-nats.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';

const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  // Last in, first out: buses close before their server stops and their database goes.
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

async function effectDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  await database.pool.query(
    `CREATE TABLE effect (
       event_id uuid NOT NULL,
       pid int,
       delivery_count int,
       handled_at timestamptz NOT NULL DEFAULT clock_timestamp()
     )`,
  );
  return database;
}

/** Effects per event id; every event must appear exactly once. */
async function effectCounts(database: TestDatabase): Promise<Map<string, number>> {
  const result = await database.pool.query<{ event_id: string; n: number }>(
    'SELECT event_id, count(*)::int AS n FROM effect GROUP BY event_id',
  );
  return new Map(result.rows.map((row) => [row.event_id, row.n]));
}

function expectEachOnce(counts: Map<string, number>, events: EventEnvelope[]): void {
  expect(
    events.filter((event) => counts.get(event.id) !== 1).map((e) => [e.id, counts.get(e.id)]),
  ).toEqual([]);
  expect(counts.size).toBe(events.length);
}

describe('NATS restarted under a running relay and consumer', () => {
  let nats: OwnNats;

  it('both resume within seconds of NATS being back, without a restart: nothing lost, nothing doubled', async () => {
    nats = await startOwnNats();
    cleanups.push(() => nats.dispose());
    const database = await effectDatabase();
    const logs = captureLogs();
    const namespace = randomNamespace();
    const busOptions = { url: nats.url, streams: ['members'], namespace };
    const producer = await connectNatsBus({
      ...busOptions,
      name: 'restart-producer',
      logger: logs.logger,
      publishTimeoutMs: 500,
    });
    cleanups.push(() => producer.close());
    const consumerBus = await connectNatsBus({
      ...busOptions,
      name: 'restart-consumer',
      logger: silentLogger,
    });
    cleanups.push(() => consumerBus.close());
    // A 1 s poll interval makes the relay's failure backoff grow fast (2, 4, 8 s): a relay that
    // only retried on its own schedule would still be asleep for seconds once NATS is back.
    const relay = new OutboxRelay({
      db: database.db,
      bus: producer,
      logger: logs.logger,
      pollIntervalMs: 1_000,
    });
    relay.start();
    cleanups.push(() => relay.stop());
    await consumerBus.subscribe(
      eventSubscription({
        db: database.db,
        consumer: 'restart-read-model',
        types: ['members.member.registered'],
        handle: async (event, tx) => {
          await tx.$executeRawUnsafe('INSERT INTO effect (event_id) VALUES ($1::uuid)', event.id);
        },
      }),
    );
    const written: EventEnvelope[] = [];
    const write = async (count: number) => {
      const events = Array.from({ length: count }, () => memberRegistered());
      await database.db.$transaction((tx) => writeOutbox(tx, events));
      relay.kick();
      written.push(...events);
    };
    const allHandled = () =>
      waitFor(async () => (await effectCounts(database)).size === written.length, {
        message: `${written.length} events handled`,
        timeoutMs: 20_000,
      });

    await write(3);
    await allHandled();

    let readyAt: number | undefined;
    producer.onReady(() => {
      readyAt ??= Date.now();
    });
    await nats.stop();
    const askedAt = Date.now();
    expect(await producer.isReady()).toBe(false);
    expect(Date.now() - askedAt).toBeLessThan(1_000); // known down: no waiting on a PING
    await write(3);
    // The relay has failed three times while NATS was down: its next try is 8 s away.
    await waitFor(() => logs.find('event bus not ready').length >= 3, {
      message: 'relay backing off',
      timeoutMs: 20_000,
    });
    await nats.start();
    const backAt = Date.now();
    const published = waitFor(() => isStreamed(written.length), {
      message: 'events written during the outage in the stream',
      timeoutMs: 20_000,
    }).then(() => Date.now() - backAt);
    await allHandled();
    const handledMs = Date.now() - backAt;
    const publishedMs = await published;

    await write(3);
    await allHandled();
    expectEachOnce(await effectCounts(database), written);
    expect(await producer.isReady()).toBe(true);
    const readyMs = readyAt === undefined ? undefined : readyAt - backAt;
    process.stdout.write(
      `NATS restart: bus ready ${readyMs} ms, outage events in the stream ${publishedMs} ms and handled ${handledMs} ms after NATS was back\n`,
    );
    expect(readyMs).toBeDefined();
    expect(publishedMs).toBeLessThan(5_000);
    expect(handledMs).toBeLessThan(5_000);

    async function isStreamed(count: number): Promise<boolean> {
      const nc = await connect({ servers: nats.url });
      try {
        const info = await (await jetstreamManager(nc)).streams.info(
          streamFor('members', namespace).name,
        );
        return info.state.messages >= count;
      } finally {
        await nc.close();
      }
    }
  }, 60_000);
});

describe('publishing while NATS is away', () => {
  it('fails at once instead of waiting out the publish timeout, and succeeds once NATS is back', async () => {
    const nats = await startOwnNats();
    cleanups.push(() => nats.dispose());
    const namespace = randomNamespace();
    const bus = await connectNatsBus({
      url: nats.url,
      streams: ['members'],
      namespace,
      name: 'away-producer',
      logger: silentLogger,
      publishTimeoutMs: 5_000,
    });
    cleanups.push(() => bus.close());
    await bus.publish(memberRegistered()); // the stream exists; only the connection is at stake
    await nats.stop();
    await waitFor(async () => !(await bus.isReady()), { message: 'the bus to see the outage' });
    const startedAt = Date.now();
    await expect(bus.publish(memberRegistered())).rejects.toThrow(/not connected/);
    expect(Date.now() - startedAt).toBeLessThan(500); // not the 5 s publish timeout
    let isBack = false;
    bus.onReady(() => {
      isBack = true;
    });
    await nats.start();
    await waitFor(() => isBack, { message: 'the bus to announce it is back', timeoutMs: 10_000 });
    await bus.publish(memberRegistered());
  }, 30_000);
});

// The documented worst case (README, "Delays under faults"): an event held by a process that
// died is redelivered at most one ack wait (10 s) after it was last delivered or reported alive.
const CRASH_REDELIVERY_WORST_CASE_MS = 10_000;

describe('a consumer process killed with SIGKILL mid-stream', () => {
  const script = fileURLToPath(new URL('../support/consumer-process.ts', import.meta.url));
  const packageDir = fileURLToPath(new URL('../..', import.meta.url));

  async function startConsumer(
    env: Record<string, string>,
    onOutput: (output: string) => void = () => {},
  ): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: packageDir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    cleanups.push(async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await once(child, 'exit');
      }
    });
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += String(chunk);
      onOutput(output);
    });
    await waitFor(() => output.includes('subscribed\n'), {
      message: 'consumer process subscribed',
      timeoutMs: 20_000,
    });
    return child;
  }

  // One at a time, the kill comes between committed events; in batches (events waiting when the
  // consumer starts commit together), it comes in the middle of the first batch's transaction.
  it.each([
    { mode: 'one at a time', batch: 'false', delayMs: 100 },
    { mode: 'in batches', batch: 'true', delayMs: 25 },
  ])(
    '$mode: the restarted consumer gets its in-flight events within the ack wait, and handles each once',
    async ({ batch, delayMs }) => {
      const database = await effectDatabase();
      const namespace = randomNamespace();
      cleanups.push(() => deleteNamespaceStreams(namespace));
      const publisher: EventBus = await connectNatsBus({
        url: natsUrl,
        name: 'kill-test-publisher',
        streams: ['members'],
        namespace,
        logger: silentLogger,
      });
      cleanups.push(() => publisher.close());
      const events = Array.from({ length: 40 }, () => memberRegistered());
      for (const event of events) await publisher.publish(event);
      const consumer = 'killed-read-model';
      const env = {
        NATS_URL: natsUrl,
        NATS_NAMESPACE: namespace,
        DATABASE_URL: database.url,
        CONSUMER: consumer,
        HANDLER_DELAY_MS: String(delayMs),
        BATCH: batch,
      };

      let started = 0;
      const first = await startConsumer(env, (output) => {
        started = output.split('handling\n').length - 1;
      });
      await waitFor(async () => started >= 8, { message: 'first consumer mid-stream' });
      first.kill('SIGKILL');
      await once(first, 'exit');
      // On the database's clock, like handled_at.
      const killedAt = (await database.pool.query<{ now: Date }>('SELECT clock_timestamp() AS now'))
        .rows[0]!.now;
      const nc = await connect({ servers: natsUrl });
      cleanups.push(() => nc.close());
      const stream = streamFor('members', namespace).name;
      const inFlight = (await (await jetstreamManager(nc)).consumers.info(stream, consumer))
        .num_ack_pending;

      await startConsumer(env);
      await waitFor(async () => (await effectCounts(database)).size === events.length, {
        message: 'every event handled',
        timeoutMs: CRASH_REDELIVERY_WORST_CASE_MS + 15_000,
      });

      expectEachOnce(await effectCounts(database), events);
      const { rows: redelivered } = await database.pool.query<{ after_ms: number }>(
        `SELECT extract(epoch FROM handled_at - $1::timestamptz) * 1000 AS after_ms
         FROM effect WHERE delivery_count > 1 ORDER BY handled_at`,
        [killedAt],
      );
      // The events the dead process held (in its handler or pulled but not started) came back.
      expect(inFlight).toBeGreaterThan(0);
      expect(redelivered.length).toBeGreaterThan(0);
      expect(redelivered.length).toBeLessThanOrEqual(inFlight);
      const lastMs = Math.round(Number(redelivered.at(-1)!.after_ms));
      process.stdout.write(
        `SIGKILL: ${inFlight} events in flight, ${redelivered.length} redelivered, the last handled ${lastMs} ms after the kill\n`,
      );
      // 3 s on top for the handlers of the redelivered events (100 ms each) and a loaded machine.
      expect(lastMs).toBeLessThan(CRASH_REDELIVERY_WORST_CASE_MS + 3_000);
    },
    60_000,
  );
});
