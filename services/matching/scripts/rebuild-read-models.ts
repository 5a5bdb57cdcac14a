// `pnpm --filter @hub/matching rebuild-read-models`: recreates matching's read models (workers,
// affiliations, consents, referrals, spaces, home spaces, networks, satellite leases) from the
// members and spaces streams alone, and prints the rows per table before and after
// (src/read-models/rebuild-read-models.ts says how, and what the live consumers do meanwhile).
// Needs DATABASE_URL and NATS_URL (and HUB_NATS_NAMESPACE where the services use one).
import { connectDatabase } from '../src/db.js';
import { readRebuildEnv } from '../src/env.js';
import { rebuildReadModels } from '../src/read-models/rebuild-read-models.js';

const env = readRebuildEnv();
const database = connectDatabase({ url: env.DATABASE_URL, poolMax: 2 });
try {
  const summary = await rebuildReadModels(database.prisma, {
    nats: { url: env.NATS_URL, namespace: env.HUB_NATS_NAMESPACE },
  });
  console.log('events replayed:', summary.events, 'not valid (skipped):', summary.invalid);
  console.table(summary.rows);
} finally {
  await database.close();
}
