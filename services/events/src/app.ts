import { type RunningService, type ServiceStartOptions, startService } from '@hub/service-kit';
import { connectDatabase } from './db.js';
import { schema } from './schema/index.js';

export type { RunningService } from '@hub/service-kit';
export {
  type SeedDemoDataOptions,
  type SeedResult,
  seedDemoData,
} from './domain/seed-demo-data.js';
export { ZEventsEnv as envSchema } from './env.js';

export type EventsServiceOptions = ServiceStartOptions;

/** Starts the events subgraph with its outbox relay; the caller owns the bus. */
export function startEventsService(options: EventsServiceOptions): Promise<RunningService> {
  const database = connectDatabase({
    url: options.databaseUrl,
    poolMax: options.databasePoolMax ?? 10,
  });
  return startService({
    ...options,
    name: 'events',
    schema,
    database,
    context: (base, relay) => ({ ...base, prisma: database.prisma, relay }),
  });
}
