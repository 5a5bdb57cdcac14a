import { defineService, memberErasureSubscription } from '@hub/service-kit';
import { connectDatabase } from './db.js';
import { loadDemoData } from './domain/seed-demo-data.js';
import { schema } from './schema/index.js';

export type { RunningService } from '@hub/service-kit';
export { ZSpacesEnv as envSchema } from './env.js';

const spaces = defineService({
  name: 'spaces',
  schema,
  connect: connectDatabase,
  // Spaces holds nothing about members yet (domain/export-member-data.ts says what will come):
  // the erasure is only recorded, until bookings or check-ins are deleted here.
  subscriptions: (prisma) => [memberErasureSubscription({ service: 'spaces', db: prisma })],
  seed: loadDemoData,
});

/** Starts the spaces subgraph, its outbox relay and its consumers; the caller owns the bus. */
export const startSpacesService = spaces.start;
/** Loads the demo municipalities and spaces (idempotent); used by the run command. */
export const seedDemoData = spaces.seed;
