import { randomUUID } from 'node:crypto';
import { createInProcessBus } from '@hub/event-bus';
import type { Identity } from '@hub/identity';
import { createLogger } from '@hub/service-kit';
import {
  type GraphQLResponse,
  sendAsGateway,
  startTestService,
  type TestService,
} from '@hub/testing';
import pg from 'pg';
import { startMembersService } from '../src/app.js';
import { connectDatabase, type Database } from '../src/db.js';
import { createOrganization } from '../src/domain/create-organization.js';
import { registerMember, type TRegisterMember } from '../src/domain/register-member.js';

/** The members subgraph over real HTTP on a fresh database, plus a Prisma client for setup. */
export type MembersHarness = {
  service: TestService;
  prisma: Database['prisma'];
  /** A call as the gateway makes it, for this caller (null/omitted = anonymous). */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    identity?: Identity | null,
  ): Promise<GraphQLResponse<T>>;
  rows<T extends pg.QueryResultRow = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<T[]>;
  stop(): Promise<void>;
};

export async function startMembers(): Promise<MembersHarness> {
  const logger = createLogger({ name: 'members-test', level: 'silent' });
  const bus = createInProcessBus({ logger });
  const service = await startTestService({
    name: 'members',
    migrationsDir: new URL('../prisma/migrations', import.meta.url).pathname,
    start: startMembersService,
    bus,
    logger,
  });
  const database = connectDatabase({ url: service.databaseUrl, poolMax: 2 });
  return {
    service,
    prisma: database.prisma,
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

/** A member registered through the domain operation (member.registered in the outbox). */
export async function newMember(
  prisma: Database['prisma'],
  fields: Partial<TRegisterMember> = {},
): Promise<string> {
  const member = await registerMember(prisma, {
    displayName: `テスト ${randomUUID().slice(0, 8)}`,
    kind: 'TELEWORKER',
    ...fields,
  });
  return member.id;
}

export async function newOrganization(prisma: Database['prisma'], name?: string): Promise<string> {
  const organization = await createOrganization(prisma, {
    name: name ?? `テスト組織 ${randomUUID().slice(0, 8)}`,
    kind: 'SPACE_OPERATOR',
  });
  return organization.id;
}

/** An account row as sign-up would leave it (the identity schema owns sign-up itself). */
export async function newAccount(
  prisma: Database['prisma'],
  memberId: string,
  email = `${memberId}@example.test`,
): Promise<string> {
  await prisma.account.create({ data: { memberId, email, passwordHash: 'not-a-real-hash' } });
  return email;
}

export type OutboxRow = { type: string; payload: { data: Record<string, unknown> } };

/** Outbox events about one subject, oldest first. */
export function outboxOf(harness: MembersHarness, subject: string): Promise<OutboxRow[]> {
  return harness.rows<OutboxRow>(
    'SELECT type, payload FROM outbox_event WHERE subject = $1 ORDER BY occurred_at, id',
    [subject],
  );
}

export function errorCodeAt(
  response: GraphQLResponse<unknown>,
  path: readonly (string | number)[],
): unknown {
  return response.errors?.find((error) => JSON.stringify(error.path) === JSON.stringify(path))
    ?.extensions?.code;
}

// The outbox relay's own statements (it shares the service's pool and polls all the time).
const RELAY_STATEMENT = /outbox_event|^\s*(BEGIN|COMMIT|ROLLBACK)\b/i;

/**
 * SQL statements the service runs while `work` runs, not counting the outbox relay's. The
 * kit's queryCount() attributes a statement to whichever async context released the pool
 * connection it waited for, so under contention with the relay it is off by a few; this
 * observes every statement the pg client sends instead.
 */
export async function countStatements<T>(
  work: () => Promise<T>,
): Promise<{ result: T; statements: number }> {
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  let statements = 0;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text;
    if (!RELAY_STATEMENT.test(String(text))) statements += 1;
    return original.apply(this, args);
  };
  try {
    const result = await work();
    return { result, statements };
  } finally {
    prototype.query = original;
  }
}
