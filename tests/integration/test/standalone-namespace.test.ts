import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { connectNatsBus, createEvent, streamFor } from '@hub/event-bus';
import { WORKER_READ_MODEL_CONSUMER } from '@hub/matching';
import {
  createTestDatabase,
  deleteNamespaceStreams,
  handledBy,
  inboxRows,
  randomNamespace,
  TEST_NATS_URL,
  type TestDatabase,
  testPool,
  waitFor,
} from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type pg from 'pg';
import { logger } from './support/hub.js';

// A service run alone (`node services/<name>/dist/index.js`, as in compose) takes its NATS
// namespace from HUB_NATS_NAMESPACE: two hubs on one NATS must not share streams or durables,
// or each would consume (and acknowledge) the other's events.
const require = createRequire(import.meta.url);
const matchingDist = dirname(require.resolve('@hub/matching'));
const matchingMigrations = join(dirname(matchingDist), 'prisma', 'migrations');

type Hub = { namespace: string; database: TestDatabase; pool: pg.Pool; process: ChildProcess };

const hubs: Hub[] = [];
let nats: NatsConnection;

async function startMatchingAlone(namespace: string): Promise<Hub> {
  const database = await createTestDatabase({
    migrationsDir: matchingMigrations,
    prefix: 'hub_ns_test',
  });
  const child = spawn(process.execPath, [join(matchingDist, 'index.js')], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      NATS_URL: TEST_NATS_URL,
      HUB_NATS_NAMESPACE: namespace,
      HUB_GATEWAY_SECRET: 'standalone-namespace-test',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const hub = { namespace, database, pool: testPool(database.url), process: child };
  hubs.push(hub);
  return hub;
}

beforeAll(async () => {
  nats = await connect({ servers: TEST_NATS_URL });
  await startMatchingAlone(randomNamespace('nsa'));
  await startMatchingAlone(randomNamespace('nsb'));
}, 60_000);

afterAll(async () => {
  for (const hub of hubs) {
    if (hub.process.exitCode === null) {
      hub.process.kill('SIGTERM');
      await once(hub.process, 'exit');
    }
    await hub.pool.end();
    await hub.database.drop();
    await deleteNamespaceStreams(hub.namespace);
  }
  await nats?.close();
}, 60_000);

async function durablesOn(namespace: string): Promise<string[]> {
  const manager = await jetstreamManager(nats);
  const names: string[] = [];
  for await (const info of manager.consumers.list(streamFor('members', namespace).name)) {
    names.push(info.name);
  }
  return names.sort();
}

function memberRegistered(displayName: string) {
  const memberId = crypto.randomUUID();
  return createEvent('members.member.registered', {
    subject: memberId,
    data: {
      memberId,
      displayName,
      displayNameKana: null,
      kind: 'freelancer',
      municipalityCode: null,
      skills: [],
    },
  });
}

describe('HUB_NATS_NAMESPACE for a service run alone', () => {
  it('gives each namespace its own streams and durable consumers', async () => {
    const [a, b] = hubs as [Hub, Hub];
    const durables = await waitFor(
      async () => {
        const [ofA, ofB] = [await durablesOn(a.namespace), await durablesOn(b.namespace)];
        // Each service subscribes its consumers one after another: wait until both have the
        // same ones, not only the first (comparing half-subscribed lists was flaky).
        const isSame = ofA.length === ofB.length && ofA.every((name, index) => name === ofB[index]);
        return isSame && ofA.includes(WORKER_READ_MODEL_CONSUMER) ? { ofA, ofB } : undefined;
      },
      { message: 'both services subscribed', timeoutMs: 30_000 },
    );
    // Same durable names, each on its own namespace's stream.
    expect(durables.ofA).toEqual(durables.ofB);
    const manager = await jetstreamManager(nats);
    for (const hub of hubs) {
      const info = await manager.streams.info(streamFor('matching', hub.namespace).name);
      expect(info.config.subjects).toEqual([`${hub.namespace}.hub.matching.>`]);
    }
  });

  it("delivers a namespace's events to its own service only", async () => {
    const [a, b] = hubs as [Hub, Hub];
    const published = new Map<Hub, ReturnType<typeof memberRegistered>>();
    for (const hub of hubs) {
      const bus = await connectNatsBus({
        url: TEST_NATS_URL,
        name: 'namespace-test-publisher',
        streams: [],
        namespace: hub.namespace,
        logger,
      });
      const event = memberRegistered(`名前空間 ${hub.namespace}`);
      await bus.publish(event);
      await bus.close();
      published.set(hub, event);
    }
    for (const hub of hubs) {
      await handledBy(hub.pool, WORKER_READ_MODEL_CONSUMER, published.get(hub)!);
    }
    // Each has handled its own event; had they shared a durable, one would also have the other's
    // (or neither would have both of its own).
    expect(await inboxRows(a.pool, WORKER_READ_MODEL_CONSUMER, published.get(b)!)).toBe(0);
    expect(await inboxRows(b.pool, WORKER_READ_MODEL_CONSUMER, published.get(a)!)).toBe(0);
  });
});
