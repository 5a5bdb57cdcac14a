import { type RunningService, type ServiceStartOptions, startService } from '@hub/service-kit';
import { connectDatabase } from './db.js';
import { loadDemoData } from './domain/seed-demo-data.js';
import { schema } from './schema/index.js';

export type { RunningService } from '@hub/service-kit';
export { ZSpacesEnv as envSchema } from './env.js';

export type SpacesServiceOptions = ServiceStartOptions;

/** Starts the spaces subgraph with its outbox relay; the caller owns the bus. */
export function startSpacesService(options: SpacesServiceOptions): Promise<RunningService> {
  const database = connectDatabase({
    url: options.databaseUrl,
    poolMax: options.databasePoolMax ?? 10,
  });
  return startService({
    ...options,
    name: 'spaces',
    schema,
    database,
    context: (base, relay) => ({ ...base, prisma: database.prisma, relay }),
  });
}

/** Loads the demo data into a spaces database (idempotent); used by the run command. */
export async function seedDemoData(options: { databaseUrl: string }): Promise<{ created: number }> {
  const database = connectDatabase({ url: options.databaseUrl, poolMax: 2 });
  try {
    return await loadDemoData(database.prisma);
  } finally {
    await database.close();
  }
}
