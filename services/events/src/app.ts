import { defineService, memberErasureSubscription } from '@hub/service-kit';
import { connectDatabase } from './db.js';
import { loadDemoData } from './domain/seed-demo-data.js';
import { spaceOperatorsSubscription } from './events/space-operators.js';
import { schema } from './schema/index.js';

export type { RunningService } from '@hub/service-kit';
export type { SeedResult } from './domain/seed-demo-data.js';
export { ZEventsEnv as envSchema } from './env.js';
export { SPACE_OPERATORS_CONSUMER } from './events/space-operators.js';

const events = defineService({
  name: 'events',
  schema,
  connect: connectDatabase,
  subscriptions: (prisma) => [
    spaceOperatorsSubscription(prisma),
    // Events holds nothing about members yet (domain/export-member-data.ts says what will
    // come): the erasure is only recorded, until registrations are deleted here.
    memberErasureSubscription({ service: 'events', db: prisma }),
  ],
  seed: loadDemoData,
});

/** Starts the events subgraph, its outbox relay and its consumers; the caller owns the bus. */
export const startEventsService = events.start;
/**
 * Loads `seed/demo.json` idempotently: events already there are skipped, new ones are
 * published like a client's (each announces itself, so the hub feed sees the demo events).
 */
export const seedDemoData = events.seed;
