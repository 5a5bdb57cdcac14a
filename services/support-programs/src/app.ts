import { defineService } from '@hub/service-kit';
import { connectDatabase } from './db.js';
import { loadDemoData } from './domain/seed-demo-data.js';
import { schema } from './schema/index.js';

export { ZSupportProgramsEnv as envSchema } from './env.js';

/**
 * The support-programs subgraph as its main(), the launcher and the tests start it. Its demo
 * menu is published like a client's programs (each announced, so the hub feed sees it).
 */
export const { start: startSupportProgramsService, seed: seedDemoData } = defineService({
  name: 'support-programs',
  schema,
  connect: connectDatabase,
  // Nothing about members yet (domain/export-member-data.ts says what will come).
  memberErasure: {},
  seed: loadDemoData,
});
