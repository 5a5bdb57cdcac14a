import { type RunningService, type ServiceStartOptions, startService } from '@hub/service-kit';
import { connectDatabase } from './db.js';
import { schema } from './schema/index.js';

export type { RunningService } from '@hub/service-kit';
export {
  type SeedDemoDataOptions,
  type SeedResult,
  seedDemoData,
} from './domain/seed-demo-data.js';
export { ZSupportProgramsEnv as envSchema } from './env.js';

export type SupportProgramsServiceOptions = ServiceStartOptions;

/** Starts the support-programs subgraph with its outbox relay; the caller owns the bus. */
export function startSupportProgramsService(
  options: SupportProgramsServiceOptions,
): Promise<RunningService> {
  const database = connectDatabase({
    url: options.databaseUrl,
    poolMax: options.databasePoolMax ?? 10,
  });
  return startService({
    ...options,
    name: 'support-programs',
    schema,
    database,
    context: (base, relay) => ({ ...base, prisma: database.prisma, relay }),
  });
}
