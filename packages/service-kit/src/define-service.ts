import type { Database, OutboxRelay, SqlClient, Subscription } from '@hub/event-bus';
import type { GraphQLSchema } from 'graphql';
import type { HubContext } from './context.js';
import type { DatabaseOptions, ServiceDatabaseConnection } from './database.js';
import { type ServiceJob, startJobs } from './jobs.js';
import { databaseOptionsOf, type ServiceStartOptions } from './main.js';
import { type MemberErasureOptions, memberErasureSubscription } from './member-data.js';
import type { HttpRoute } from './server.js';
import { type RunningService, startService } from './service.js';

/**
 * What every resolver of a Prisma subgraph gets: the request's base context, the service's
 * Prisma client and its outbox relay — so `commit(context, …)` from @hub/event-bus takes the
 * context as it is.
 */
export type ServiceContext<Prisma> = HubContext & { prisma: Prisma; relay: OutboxRelay | null };

/** A Prisma client to use, or a database URL to open one for the call only (seeds, scripts). */
export type DatabaseAccess<Prisma> =
  | { prisma: Prisma; databaseUrl?: never }
  | { databaseUrl: string; prisma?: never };

/** The transaction client a database's `$transaction` hands its callback. */
type TransactionOf<Prisma> = Prisma extends Database<infer TTx> ? TTx : SqlClient;

export type ServiceDefinition<Prisma extends Database, Seeded> = {
  name: string;
  schema: GraphQLSchema;
  /** Opens the service's database (its generated client through `connectPrisma`). */
  connect: (options: DatabaseOptions) => ServiceDatabaseConnection<Prisma>;
  /** Event consumers the service runs (besides the erasure consumer below). */
  subscriptions?: (prisma: Prisma) => Subscription[];
  /**
   * How the service answers `members.member.erased` — every service but members, which
   * publishes it: `erase` deletes what the service holds about the member, in the consumer's
   * transaction; `{}` while it holds nothing about members (each erasure is still recorded, as
   * handled, in its inbox). The consumer is `<name>-member-erasure`.
   */
  memberErasure?: Pick<MemberErasureOptions<TransactionOf<Prisma>>, 'erase'>;
  /**
   * Work the service does on its own every `everyMs` while it runs (spaces checks out whoever
   * is still inside at closing). A run never overlaps the previous one; a failure is logged and
   * the next run tries again. Stopped before the rest of the service.
   */
  jobs?: (prisma: Prisma) => ServiceJob[];
  /** HTTP routes beside `/graphql` (members' JWKS and key verification). */
  routes?: (prisma: Prisma) => HttpRoute[];
  /** Runs on the open database before anything starts (members makes its signing key). */
  prepare?: (prisma: Prisma) => Promise<void>;
  /** Loads the service's demo data (`seed/demo.json`), idempotently: safe on every start. */
  seed: (prisma: Prisma) => Promise<Seeded>;
};

export type DefinedService<Prisma, Seeded> = {
  name: string;
  /** Starts the subgraph, its outbox relay and its consumers; the caller owns the bus. */
  start(options: ServiceStartOptions): Promise<RunningService>;
  /** Loads the demo data through the given client, or one opened (and closed) for it. */
  seed(access: DatabaseAccess<Prisma>): Promise<Seeded>;
};

/**
 * A Prisma subgraph as the launcher, the tests and its own `main()` start it: one definition,
 * so every service opens its database, builds its context and wires its consumers the same way.
 */
export function defineService<Prisma extends Database & { $disconnect(): Promise<void> }, Seeded>(
  definition: ServiceDefinition<Prisma, Seeded>,
): DefinedService<Prisma, Seeded> {
  return {
    name: definition.name,
    async start(options) {
      const database = definition.connect(databaseOptionsOf(options));
      try {
        await definition.prepare?.(database.prisma);
      } catch (error) {
        await database.close();
        throw error;
      }
      const running = await startService({
        ...options,
        name: definition.name,
        schema: definition.schema,
        database,
        context: (base, relay): ServiceContext<Prisma> => ({
          ...base,
          prisma: database.prisma,
          relay,
        }),
        subscriptions: [
          ...(definition.subscriptions?.(database.prisma) ?? []),
          ...(definition.memberErasure
            ? [
                memberErasureSubscription({
                  service: definition.name,
                  // What the client's own $transaction hands its callback, by definition.
                  db: database.prisma as unknown as Database<TransactionOf<Prisma>>,
                  erase: definition.memberErasure.erase,
                }),
              ]
            : []),
        ],
        routes: definition.routes?.(database.prisma),
      });
      const stopJobs = startJobs(definition.jobs?.(database.prisma) ?? [], options.logger);
      return {
        ...running,
        stop: async () => {
          await stopJobs();
          await running.stop();
        },
      };
    },
    async seed(access) {
      if (access.prisma) return definition.seed(access.prisma);
      const database = definition.connect({ url: access.databaseUrl!, poolMax: 2 });
      try {
        return await definition.seed(database.prisma);
      } finally {
        await database.close();
      }
    },
  };
}
