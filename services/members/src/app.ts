import { defineService } from '@hub/service-kit';
import { connectDatabase } from './db.js';
import { loadDemoData } from './domain/seed-demo-data.js';
import { identityRoutes } from './identity/routes.js';
import { activeSigningKey } from './identity/signing-keys.js';
import { schema } from './schema/index.js';

export type { RunningService } from '@hub/service-kit';
export { type DemoAccess, demoAccess } from './demo-access.js';
export { ZMembersEnv as envSchema } from './env.js';

const members = defineService({
  name: 'members',
  schema,
  connect: connectDatabase,
  // Tokens are signed from the first request on, and the JWKS is never empty.
  prepare: async (prisma) => {
    await activeSigningKey(prisma);
  },
  routes: identityRoutes,
  seed: loadDemoData,
});

/** Starts the members subgraph with its outbox relay; the caller owns the bus. */
export const startMembersService = members.start;
/** Loads the demo data into a members database (idempotent); used by the run command. */
export const seedDemoData = members.seed;
