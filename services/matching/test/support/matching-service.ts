import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { connectNatsBus, createInProcessBus, type EventBus } from '@hub/event-bus';
import { createLogger, type Identity } from '@hub/service-kit';
import {
  createTestDatabase,
  type GraphQLResponse,
  sendAsGateway,
  TEST_GATEWAY_SECRET,
  type TestDatabase,
  testPool,
} from '@hub/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type pg from 'pg';
import { type RunningService, startMatchingService } from '../../src/app.js';

export const silentLogger = createLogger({ name: 'matching-test', level: 'silent' });

export const migrationsDir = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

export type TestService = {
  service: RunningService;
  /** A pool on the service's fresh database, for looking at rows directly. */
  sql: pg.Pool;
  database: TestDatabase;
  /** A call as the gateway makes it, anonymous unless an identity is given. */
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    identity?: Identity | null,
  ): Promise<GraphQLResponse<T>>;
  /** Stops the service, then drops its database. The bus is the caller's. */
  close(): Promise<void>;
};

/** The matching service on a fresh, migrated database and a free port. */
export async function startTestService(bus: EventBus): Promise<TestService> {
  const database = await createTestDatabase({ migrationsDir, prefix: 'matching_test' });
  const service = await startMatchingService({
    port: 0,
    databaseUrl: database.url,
    gatewaySecret: TEST_GATEWAY_SECRET,
    bus,
    logger: silentLogger,
  });
  const sql = testPool(database.url, 2);
  return {
    service,
    sql,
    database,
    graphql: (query, variables, identity) =>
      sendAsGateway(service.url, query, variables, { identity }),
    async close() {
      await service.stop();
      await sql.end();
      await database.drop();
    },
  };
}

export async function countRows(
  sql: pg.Pool,
  table: string,
  where = 'true',
  values: unknown[] = [],
) {
  const result = await sql.query<{ count: string }>(
    `SELECT count(*) AS count FROM ${table} WHERE ${where}`,
    values,
  );
  return Number(result.rows[0]!.count);
}

export const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** A namespace no other run uses: its streams and consumers belong to this test alone. */
export function randomNamespace(): string {
  return `mt${randomBytes(5).toString('hex')}`;
}

/** Deletes the streams (and so the consumers) created under `namespace`. */
export async function deleteNamespaceStreams(namespace: string): Promise<void> {
  const nc = await connect({ servers: natsUrl, name: 'matching-test-cleanup' });
  try {
    const jsm = await jetstreamManager(nc);
    const prefix = `${namespace.toUpperCase()}_`;
    for await (const name of jsm.streams.names()) {
      if (name.startsWith(prefix)) await jsm.streams.delete(name);
    }
  } finally {
    await nc.close();
  }
}

/** How a test gets a bus; both buses keep one contract (DESIGN §5), so tests run on each. */
export type BusFactory = {
  name: string;
  connect(): Promise<{ bus: EventBus; cleanup(): Promise<void> }>;
};

export const testBuses: BusFactory[] = [
  {
    name: 'NATS JetStream',
    async connect() {
      const namespace = randomNamespace();
      // A short duplicate window lets a test publish the same event id again and have it
      // delivered, as after a relay crash outside the window.
      const bus = await connectNatsBus({
        url: natsUrl,
        name: 'matching-test',
        streams: ['members'],
        namespace,
        duplicateWindowMs: 100,
        logger: silentLogger,
      });
      return {
        bus,
        async cleanup() {
          await bus.close();
          await deleteNamespaceStreams(namespace);
        },
      };
    },
  },
  {
    name: 'in-process bus',
    async connect() {
      const bus = createInProcessBus({ logger: silentLogger, duplicateWindowMs: 0 });
      return { bus, cleanup: () => bus.close() };
    },
  },
];
