import {
  databaseOptionsOf,
  type RunningService,
  type ServiceStartOptions,
  startService,
} from '@hub/service-kit';
import { connectDatabase } from './db.js';
import { type SeedResult, seedWorkOrders } from './domain/seed-demo-data.js';
import { memberConsentsSubscription } from './events/member-consents.js';
import { memberErasureSubscription } from './events/member-erasure.js';
import { workerAffiliationsSubscription } from './events/worker-affiliations.js';
import { workerReadModelSubscription } from './events/worker-read-model.js';
import type { PrismaClient } from './generated/prisma/client.js';
import { schema } from './schema/index.js';

export type { RunningService } from '@hub/service-kit';
export { ZMatchingEnv as envSchema } from './env.js';
export { MEMBER_CONSENTS_CONSUMER } from './events/member-consents.js';
export { MEMBER_ERASURE_CONSUMER } from './events/member-erasure.js';
export { WORKER_AFFILIATIONS_CONSUMER } from './events/worker-affiliations.js';
export { WORKER_READ_MODEL_CONSUMER } from './events/worker-read-model.js';

export type MatchingServiceOptions = ServiceStartOptions;

/** Starts the matching subgraph, its outbox relay and its consumers; the caller owns the bus. */
export function startMatchingService(options: MatchingServiceOptions): Promise<RunningService> {
  const database = connectDatabase(databaseOptionsOf(options));
  return startService({
    ...options,
    name: 'matching',
    schema,
    database,
    context: (base, relay) => ({ ...base, prisma: database.prisma, relay }),
    subscriptions: [
      workerReadModelSubscription(database.prisma),
      workerAffiliationsSubscription(database.prisma),
      memberConsentsSubscription(database.prisma),
      memberErasureSubscription(database.prisma),
    ],
  });
}

export type SeedDemoDataOptions = { prisma: PrismaClient } | { databaseUrl: string };

/** Loads this service's demo data (seed/demo.json) idempotently: safe to run on every start. */
export async function seedDemoData(
  options: SeedDemoDataOptions,
): Promise<{ workOrders: SeedResult }> {
  if ('prisma' in options) return { workOrders: await seedWorkOrders(options.prisma) };
  const database = connectDatabase({ url: options.databaseUrl, poolMax: 2 });
  try {
    return { workOrders: await seedWorkOrders(database.prisma) };
  } finally {
    await database.close();
  }
}
