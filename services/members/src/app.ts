import { defineService } from '@hub/service-kit';
import { connectDatabase } from './db.js';
import { loadDemoData } from './domain/seed-demo-data.js';
import { partnerReadAuditSubscription } from './events/partner-read-audit.js';
import { identityRoutes } from './identity/routes.js';
import { activeSigningKey } from './identity/signing-keys.js';
import { schema } from './schema/index.js';

export { type DemoAccess, demoAccess } from './demo-access.js';
export { ZMembersEnv as envSchema } from './env.js';
export { PARTNER_READ_AUDIT_CONSUMER } from './events/partner-read-audit.js';

/**
 * The members subgraph as its main(), the launcher and the tests start and seed it; its one
 * consumer records other services' partner reads in the members' audit logs.
 */
export const { start: startMembersService, seed: seedDemoData } = defineService({
  name: 'members',
  schema,
  connect: connectDatabase,
  // Tokens are signed from the first request on, and the JWKS is never empty.
  prepare: async (prisma) => {
    await activeSigningKey(prisma);
  },
  routes: identityRoutes,
  subscriptions: (prisma) => [partnerReadAuditSubscription(prisma)],
  seed: loadDemoData,
});
