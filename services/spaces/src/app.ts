import {
  databaseOptionsOf,
  type RunningService,
  type ServiceStartOptions,
  startService,
} from '@hub/service-kit';
import { connectDatabase } from './db.js';
import { loadDemoData } from './domain/seed-demo-data.js';
import { memberErasureSubscription } from './events/member-erasure.js';
import { schema } from './schema/index.js';

export type { RunningService } from '@hub/service-kit';
export { ZSpacesEnv as envSchema } from './env.js';
export { MEMBER_ERASURE_CONSUMER } from './events/member-erasure.js';

export type SpacesServiceOptions = ServiceStartOptions;

/** Starts the spaces subgraph, its outbox relay and its consumers; the caller owns the bus. */
export function startSpacesService(options: SpacesServiceOptions): Promise<RunningService> {
  const database = connectDatabase(databaseOptionsOf(options));
  return startService({
    ...options,
    name: 'spaces',
    schema,
    database,
    context: (base, relay) => ({ ...base, prisma: database.prisma, relay }),
    subscriptions: [memberErasureSubscription(database.prisma)],
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
