import { defineService } from '@hub/service-kit';
import { connectDatabase } from './db.js';
import { loadDemoData } from './domain/seed-demo-data.js';
import { spaceOperatorsSubscription } from './events/space-operators.js';
import { schema } from './schema/index.js';

export { ZEventsEnv as envSchema } from './env.js';

/**
 * The events subgraph as its main(), the launcher and the tests start it. Its demo events are
 * published like a client's (each announced, so the hub feed sees them).
 */
export const { start: startEventsService, seed: seedDemoData } = defineService({
  name: 'events',
  schema,
  connect: connectDatabase,
  subscriptions: (prisma) => [spaceOperatorsSubscription(prisma)],
  // Nothing about members yet (domain/export-member-data.ts says what will come).
  memberErasure: {},
  seed: loadDemoData,
});
