import { defineService, memberErasureSubscription } from '@hub/service-kit';
import { connectDatabase } from './db.js';
import { seedWorkOrders } from './domain/seed-demo-data.js';
import { eraseMemberData } from './events/member-erasure.js';
import { workerAffiliationsSubscription } from './events/worker-affiliations.js';
import { workerReadModelSubscription } from './events/worker-read-model.js';
import { schema } from './schema/index.js';

export type { RunningService } from '@hub/service-kit';
export { ZMatchingEnv as envSchema } from './env.js';
export { MEMBER_ERASURE_CONSUMER } from './events/member-erasure.js';
export { WORKER_AFFILIATIONS_CONSUMER } from './events/worker-affiliations.js';
export { WORKER_READ_MODEL_CONSUMER } from './events/worker-read-model.js';

const matching = defineService({
  name: 'matching',
  schema,
  connect: connectDatabase,
  subscriptions: (prisma) => [
    workerReadModelSubscription(prisma),
    workerAffiliationsSubscription(prisma),
    memberErasureSubscription({ service: 'matching', db: prisma, erase: eraseMemberData }),
  ],
  seed: async (prisma) => ({ workOrders: await seedWorkOrders(prisma) }),
});

/** Starts the matching subgraph, its outbox relay and its consumers; the caller owns the bus. */
export const startMatchingService = matching.start;
/** Loads this service's demo data (seed/demo.json) idempotently: safe to run on every start. */
export const seedDemoData = matching.seed;
