import {
  type Database,
  type EventBus,
  OutboxRelay,
  type Subscription,
  type SubscriptionHandle,
} from '@hub/event-bus';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import { createBaseContext, type HubContext } from './context.js';
import type { ServiceDatabaseConnection } from './database.js';
import { DeadlineExceededError, withDeadline } from './deadline.js';
import { type HttpRoute, type RunningServer, startSubgraphServer } from './server.js';

export type StartServiceOptions<Prisma extends Database, Context extends HubContext> = {
  name: string;
  schema: GraphQLSchema;
  port: number;
  host?: string;
  gatewaySecret: string;
  bus: EventBus;
  logger: Logger;
  /** Internal messages in error responses (`HUB_DEBUG`); refused unless `host` is loopback. */
  debugErrors?: boolean;
  /** The service's own database (from connectPrisma). */
  database: ServiceDatabaseConnection<Prisma>;
  /** Adds the service's own members (its Prisma client, the relay) to the base context. */
  context: (base: HubContext, relay: OutboxRelay) => Context;
  /** Event consumers this service runs; stopped after HTTP, before the relay and database. */
  subscriptions?: Subscription[];
  /** Extra HTTP routes beside `/graphql` (e.g. members' JWKS). */
  routes?: HttpRoute[];
  /** Deadline of each `/_readiness` check (default 1 s). */
  readinessTimeoutMs?: number;
  /** `stop()` finishes within about this long, whatever is stuck (default 10 s). */
  stopTimeoutMs?: number;
  /**
   * Count the SQL statements of GraphQL requests (`queryCount()`; default: under jest, where
   * NODE_ENV is 'test'). Off in a running hub: it marks each request with an
   * AsyncLocalStorage, which makes Node track every promise (~5 % of a simple list's CPU).
   */
  countRequestQueries?: boolean;
};

export const DEFAULT_STOP_TIMEOUT_MS = 10_000;

export type RunningService = {
  name: string;
  url: string;
  port: number;
  /**
   * SQL statements run for GraphQL requests so far (tests prove batching with it). Throws when
   * counting is off (`countRequestQueries`), so a test cannot pass on a count of zero.
   */
  queryCount(): number;
  /**
   * Stops HTTP (in-flight requests finish), the consumers (handlers in flight finish), the
   * outbox relay, then closes the database — within `stopTimeoutMs`: a step that overruns its
   * share is abandoned (logged) and the next one runs; connections still checked out at the
   * end are destroyed. Idempotent. The bus is the caller's to close.
   */
  stop(): Promise<void>;
};

/**
 * Every subgraph starts the same way: outbox relay → consumers → HTTP server with readiness
 * on the database and the bus, and stops in the reverse order so nothing touches the database
 * after it closes. If a step fails, what already started is stopped and the error rethrown.
 * The caller owns the bus (one per process) and closes it.
 */
export async function startService<Prisma extends Database, Context extends HubContext>(
  options: StartServiceOptions<Prisma, Context>,
): Promise<RunningService> {
  const { logger, database, bus } = options;
  const countRequestQueries = options.countRequestQueries ?? process.env.NODE_ENV === 'test';
  const relay = new OutboxRelay({ db: database.prisma, bus, logger });
  const subscriptions: SubscriptionHandle[] = [];
  let server: RunningServer | undefined;
  // Each step guards on what has started, so the same function cleans up a failed start. The
  // shares of the stop deadline: requests may finish, then consumers and the relay, and the
  // database gets the rest to roll back and close (destroying what is stuck).
  const stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
  const stopAll = () =>
    stopInOrder(logger, [
      {
        name: 'http',
        budgetMs: stopTimeoutMs * 0.4,
        run: async (budgetMs) => server?.stop({ forceAfterMs: budgetMs * 0.8 }),
      },
      {
        name: 'consumers',
        budgetMs: stopTimeoutMs * 0.2,
        run: async () => {
          await Promise.all(subscriptions.map((subscription) => subscription.stop()));
        },
      },
      { name: 'outbox relay', budgetMs: stopTimeoutMs * 0.15, run: () => relay.stop() },
      {
        name: 'database',
        budgetMs: stopTimeoutMs * 0.25,
        run: (budgetMs) => database.close(budgetMs * 0.9),
      },
    ]);
  try {
    relay.start();
    for (const subscription of options.subscriptions ?? []) {
      subscriptions.push(await bus.subscribe(subscription));
    }
    server = await startSubgraphServer<Context>({
      name: options.name,
      schema: options.schema,
      port: options.port,
      host: options.host ?? '127.0.0.1',
      gatewaySecret: options.gatewaySecret,
      logger,
      debugErrors: options.debugErrors ?? false,
      context: (request) => options.context(createBaseContext(request, logger), relay),
      routes: options.routes,
      readinessTimeoutMs: options.readinessTimeoutMs,
      markRequests: countRequestQueries,
      readiness: {
        // Through the pool, as requests go: waits (up to the check's deadline) when it is full.
        database: async () => {
          await database.prisma.$queryRawUnsafe('SELECT 1');
          return true;
        },
        databasePool: async () => (database.health().isExhausted ? { failure: 'exhausted' } : true),
        bus: () => bus.isReady(),
      },
    });
  } catch (error) {
    await stopAll().catch((stopError: unknown) =>
      logger.error({ err: stopError }, 'cleanup after a failed start failed'),
    );
    throw error;
  }
  const { url, port } = server;
  let stopping: Promise<void> | undefined;
  return {
    name: options.name,
    url,
    port,
    queryCount: () => {
      if (!countRequestQueries) {
        throw new Error(
          `${options.name}: request statements are not counted (countRequestQueries)`,
        );
      }
      return database.stats.queries;
    },
    stop() {
      stopping ??= stopAll();
      return stopping;
    },
  };
}

type StopStep = { name: string; budgetMs: number; run(budgetMs: number): Promise<void> };

/**
 * Runs every step even if one fails (the database still closes), each for at most its budget —
 * one that overruns is left behind, logged — then throws the first error.
 */
async function stopInOrder(logger: Logger, steps: StopStep[]): Promise<void> {
  let firstError: unknown;
  let hasFailed = false;
  for (const step of steps) {
    try {
      await withDeadline(step.run(step.budgetMs), step.budgetMs, `stopping ${step.name}`);
    } catch (error) {
      if (error instanceof DeadlineExceededError) {
        logger.error({ step: step.name, budgetMs: step.budgetMs }, 'stop step abandoned: overran');
        continue;
      }
      if (hasFailed) {
        logger.error({ err: error }, 'stopping the service failed');
      } else {
        hasFailed = true;
        firstError = error;
      }
    }
  }
  if (hasFailed) throw firstError;
}
