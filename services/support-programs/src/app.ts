import { defineService, memberErasureSubscription } from '@hub/service-kit';
import { connectDatabase } from './db.js';
import { loadDemoData } from './domain/seed-demo-data.js';
import { schema } from './schema/index.js';

export type { RunningService } from '@hub/service-kit';
export type { SeedResult } from './domain/seed-demo-data.js';
export { ZSupportProgramsEnv as envSchema } from './env.js';

const supportPrograms = defineService({
  name: 'support-programs',
  schema,
  connect: connectDatabase,
  // Support-programs holds nothing about members yet (domain/export-member-data.ts says what
  // will come): the erasure is only recorded, until applications are deleted here.
  subscriptions: (prisma) => [
    memberErasureSubscription({ service: 'support-programs', db: prisma }),
  ],
  seed: loadDemoData,
});

/** Starts the support-programs subgraph, its outbox relay and its consumers; the caller owns the bus. */
export const startSupportProgramsService = supportPrograms.start;
/**
 * Loads `seed/demo.json` idempotently: programs already there are skipped, new ones are
 * published like a client's (each announces itself, so the hub feed sees the demo menu).
 */
export const seedDemoData = supportPrograms.seed;
