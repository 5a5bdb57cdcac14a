import { defineService } from '@hub/service-kit';
import { connectDatabase } from './db.js';
import { demoFlowJob } from './domain/demo/demo-flow-job.js';
import { seedDemoFlow } from './domain/demo/seed-demo-flow.js';
import { seedHelpRequests } from './domain/help/seed-help-requests.js';
import { seedWorkOrders } from './domain/seed-demo-data.js';
import { memberConsentsSubscription } from './events/member-consents.js';
import { eraseMemberData } from './events/member-erasure.js';
import { organizationsSubscription } from './events/organizations.js';
import { placesSubscription } from './events/places.js';
import { referralsSubscription } from './events/referrals.js';
import { workerAffiliationsSubscription } from './events/worker-affiliations.js';
import { workerReadModelSubscription } from './events/worker-read-model.js';
import { pruneRankingChangesJob } from './ranking/prune-ranking-changes.js';
import { schema } from './schema/index.js';

export { ZMatchingEnv as envSchema } from './env.js';
export { MEMBER_CONSENTS_CONSUMER } from './events/member-consents.js';
export { MEMBER_ERASURE_CONSUMER } from './events/member-erasure.js';
export { ORGANIZATIONS_CONSUMER } from './events/organizations.js';
export { PLACES_CONSUMER } from './events/places.js';
export { REFERRALS_CONSUMER } from './events/referrals.js';
export { WORKER_AFFILIATIONS_CONSUMER } from './events/worker-affiliations.js';
export { WORKER_READ_MODEL_CONSUMER } from './events/worker-read-model.js';
// The ranking engine on its own, for the benchmark to call in-process (bench/src/ranking.ts).
export type { IndexedWorkerFacts } from './ranking/facts.js';
export { RankingIndex, type RankQuery } from './ranking/index.js';
export type { OrderFacts } from './ranking/score.js';
export { DEFAULT_RANKING_WEIGHTS } from './ranking/weights.js';

/** The matching subgraph as its main(), the launcher and the tests start and seed it. */
export const { start: startMatchingService, seed: seedDemoData } = defineService({
  name: 'matching',
  schema,
  connect: connectDatabase,
  subscriptions: (prisma) => [
    workerReadModelSubscription(prisma),
    workerAffiliationsSubscription(prisma),
    memberConsentsSubscription(prisma),
    placesSubscription(prisma),
    referralsSubscription(prisma),
    organizationsSubscription(prisma),
  ],
  memberErasure: { erase: eraseMemberData },
  jobs: (prisma) => [demoFlowJob(prisma), pruneRankingChangesJob(prisma)],
  seed: async (prisma) => ({
    workOrders: await seedWorkOrders(prisma),
    helpRequests: await seedHelpRequests(prisma),
    demoFlow: await seedDemoFlow(prisma),
  }),
});
