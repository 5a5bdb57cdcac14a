import {
  databaseOptionsOf,
  type RunningService,
  type ServiceStartOptions,
  startService,
} from '@hub/service-kit';
import { connectDatabase } from './db.js';
import { memberErasureSubscription } from './events/member-erasure.js';
import { schema } from './schema/index.js';

export type { RunningService } from '@hub/service-kit';
export {
  type SeedDemoDataOptions,
  type SeedResult,
  seedDemoData,
} from './domain/seed-demo-data.js';
export { ZSupportProgramsEnv as envSchema } from './env.js';
export { MEMBER_ERASURE_CONSUMER } from './events/member-erasure.js';

export type SupportProgramsServiceOptions = ServiceStartOptions;

/** Starts the support-programs subgraph, its outbox relay and its consumers; the caller owns the bus. */
export function startSupportProgramsService(
  options: SupportProgramsServiceOptions,
): Promise<RunningService> {
  const database = connectDatabase(databaseOptionsOf(options));
  return startService({
    ...options,
    name: 'support-programs',
    schema,
    database,
    context: (base, relay) => ({ ...base, prisma: database.prisma, relay }),
    subscriptions: [memberErasureSubscription(database.prisma)],
  });
}
