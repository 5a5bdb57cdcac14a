import { fileURLToPath } from 'node:url';
import { connectNatsBus, createInProcessBus, type EventBus } from '@hub/event-bus';
import { createLogger, type Identity, type RunningService } from '@hub/service-kit';
import {
  createTestDatabase,
  type GraphQLResponse,
  sendAsGateway,
  TEST_GATEWAY_SECRET,
  type TestDatabase,
  testBuses,
  testPool,
} from '@hub/testing';
import type pg from 'pg';
import { startMatchingService } from '../../src/app.js';

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

/** Both buses, for `describe.each`: matching consumes members events. */
export const buses = testBuses({
  name: 'matching-test',
  streams: ['members'],
  logger: silentLogger,
  connectNatsBus,
  createInProcessBus,
});
