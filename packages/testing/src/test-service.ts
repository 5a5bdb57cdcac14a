import type { Identity } from '@hub/identity';
import pg from 'pg';
import { createTestDatabase } from './database.js';
import { type GraphQLResponse, sendAsGateway, TEST_GATEWAY_SECRET } from './graphql.js';
import type { ServiceStartOptions, StartedService } from './stack.js';

export type TestService = StartedService & {
  databaseUrl: string;
  /** The service's own database, for asserting rows (outbox, inbox, domain tables). */
  sql: pg.Client;
  /** A GraphQL call as the gateway makes it, for `identity` (anonymous when omitted). */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    identity?: Identity | null,
  ): Promise<GraphQLResponse<T>>;
};

/**
 * One service over real HTTP on a fresh database with its migrations — the setup of a
 * service's own tests. `stop()` stops the service and drops the database; the bus stays the
 * caller's.
 */
export async function startTestService<Bus>(options: {
  name: string;
  migrationsDir: string;
  start(options: ServiceStartOptions<Bus>): Promise<StartedService>;
  bus: Bus;
  // biome-ignore lint/suspicious/noExplicitAny: any pino-compatible logger
  logger: any;
}): Promise<TestService> {
  const database = await createTestDatabase({
    migrationsDir: options.migrationsDir,
    prefix: `hub_test_${options.name.replaceAll('-', '_')}`,
  });
  const sql = new pg.Client({ connectionString: database.url });
  await sql.connect();
  let service: StartedService;
  try {
    service = await options.start({
      port: 0,
      host: '127.0.0.1',
      databaseUrl: database.url,
      databasePoolMax: 5,
      gatewaySecret: TEST_GATEWAY_SECRET,
      bus: options.bus,
      logger: options.logger,
    });
  } catch (error) {
    await sql.end();
    await database.drop();
    throw error;
  }
  return {
    url: service.url,
    port: service.port,
    queryCount: () => service.queryCount(),
    databaseUrl: database.url,
    sql,
    gql: (query, variables, identity) => sendAsGateway(service.url, query, variables, { identity }),
    async stop() {
      await service.stop();
      await sql.end();
      await database.drop();
    },
  };
}
