import { createInProcessBus, type EventBus } from '@hub/event-bus';
import type { Identity } from '@hub/identity';
import { createLogger } from '@hub/service-kit';
import {
  type GraphQLResponse,
  sendAsGateway,
  startTestService,
  type TestService,
} from '@hub/testing';
import { afterAll, beforeAll } from '@jest/globals';
import type pg from 'pg';
import { startMembersService } from '../../src/app.js';
import { connectDatabase, type Database } from '../../src/db.js';

/** The members subgraph over real HTTP on a fresh database, plus a Prisma client for setup. */
export type MembersHarness = {
  /** The running service: url, databaseUrl, queryCount(), and a pg client on its database. */
  service: TestService;
  prisma: Database['prisma'];
  /** A call as the gateway makes it, for this caller (null/omitted = anonymous). */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    identity?: Identity | null,
  ): Promise<GraphQLResponse<T>>;
  /** The in-process bus the service publishes to and consumes from (to publish others' events). */
  bus: EventBus;
  /** Rows of a SQL statement on the service's database. */
  rows<T extends pg.QueryResultRow = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<T[]>;
};

/** Starts the members service on a fresh, migrated database, with an in-process bus. */
export async function startMembers(): Promise<MembersHarness & { stop(): Promise<void> }> {
  const logger = createLogger({ name: 'members-test', level: 'silent' });
  const bus = createInProcessBus({ logger });
  const service = await startTestService({
    name: 'members',
    migrationsDir: new URL('../../prisma/migrations', import.meta.url).pathname,
    start: startMembersService,
    bus,
    logger,
  });
  const database = connectDatabase({ url: service.databaseUrl, poolMax: 2 });
  return {
    service,
    prisma: database.prisma,
    bus,
    gql: (query, variables, identity) =>
      sendAsGateway(service.url, query, variables, { identity: identity ?? null }),
    rows: async (text, values = []) => (await service.sql.query(text, values)).rows,
    async stop() {
      await database.close();
      await service.stop();
      await bus.close();
    },
  };
}

/**
 * The members service for the tests of the calling file: call it at the top level; it starts
 * the service before the file's tests (beforeAll) and stops it after them (afterAll). The
 * harness it returns can be kept in a constant; it reaches the service when a hook or a test
 * uses it. A file's own setup goes in a beforeAll declared after this call.
 */
export function useMembers(): MembersHarness {
  let running: Awaited<ReturnType<typeof startMembers>> | undefined;
  beforeAll(async () => {
    running = await startMembers();
  }, 60_000);
  afterAll(async () => {
    await running?.stop();
  });
  const current = () => {
    if (!running) throw new Error('the members service runs only while the tests run');
    return running;
  };
  return {
    get service() {
      return current().service;
    },
    get prisma() {
      return current().prisma;
    },
    get bus() {
      return current().bus;
    },
    gql: (query, variables, identity) => current().gql(query, variables, identity),
    rows: (text, values) => current().rows(text, values),
  };
}
