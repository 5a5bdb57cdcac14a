import {
  databaseOptionsOf,
  type RunningService,
  type ServiceStartOptions,
  startService,
} from '@hub/service-kit';
import { connectDatabase } from './db.js';
import { loadDemoData } from './domain/seed-demo-data.js';
import { partnerReadAuditSubscription } from './events/partner-read-audit.js';
import { identityRoutes } from './identity/routes.js';
import { activeSigningKey } from './identity/signing-keys.js';
import { schema } from './schema/index.js';

export type { RunningService } from '@hub/service-kit';
export { type DemoAccess, demoAccess } from './demo-access.js';
export { ZMembersEnv as envSchema } from './env.js';
export { PARTNER_READ_AUDIT_CONSUMER } from './events/partner-read-audit.js';

export type MembersServiceOptions = ServiceStartOptions;

/**
 * Starts the members subgraph with its outbox relay and its consumer (partner reads in other
 * services, into the audit log); the caller owns the bus.
 */
export async function startMembersService(options: MembersServiceOptions): Promise<RunningService> {
  const database = connectDatabase(databaseOptionsOf(options));
  // Tokens are signed from the first request on, and the JWKS is never empty.
  await activeSigningKey(database.prisma);
  return startService({
    ...options,
    name: 'members',
    schema,
    database,
    context: (base, relay) => ({ ...base, prisma: database.prisma, relay }),
    routes: identityRoutes(database.prisma),
    subscriptions: [partnerReadAuditSubscription(database.prisma)],
  });
}

/** Loads the demo data into a members database (idempotent); used by the run command. */
export async function seedDemoData(options: { databaseUrl: string }): Promise<{ created: number }> {
  const database = connectDatabase({ url: options.databaseUrl, poolMax: 2 });
  try {
    return await loadDemoData(database.prisma);
  } finally {
    await database.close();
  }
}
