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
};

export type RunningService = {
  name: string;
  url: string;
  port: number;
  /** SQL statements run for GraphQL requests so far (tests prove batching with it). */
  queryCount(): number;
  /**
   * Stops HTTP (in-flight requests finish), the consumers (handlers in flight finish), the
   * outbox relay, then closes the database. Idempotent. The bus is the caller's to close.
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
  const relay = new OutboxRelay({ db: database.prisma, bus, logger });
  const subscriptions: SubscriptionHandle[] = [];
  let server: RunningServer | undefined;
  // Each step guards on what has started, so the same function cleans up a failed start.
  const stopAll = () =>
    stopInOrder(logger, [
      async () => server?.stop(),
      async () => {
        await Promise.all(subscriptions.map((subscription) => subscription.stop()));
      },
      () => relay.stop(),
      () => database.close(),
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
      readiness: {
        database: async () => {
          await database.prisma.$queryRawUnsafe('SELECT 1');
          return true;
        },
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
    queryCount: () => database.stats.queries,
    stop() {
      stopping ??= stopAll();
      return stopping;
    },
  };
}

/** Runs every step even if one fails (the database still closes), then throws the first error. */
async function stopInOrder(logger: Logger, steps: (() => Promise<void>)[]): Promise<void> {
  let firstError: unknown;
  let hasFailed = false;
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
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
