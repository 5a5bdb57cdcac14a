import { defineService } from '@hub/service-kit';
import { connectDatabase } from './db.js';
import { checkOutAtClosing } from './domain/presence.js';
import { refreshSearchText } from './domain/refresh-search-text.js';
import { loadDemoData } from './domain/seed-demo-data.js';
import { memberAffiliationsSubscription } from './events/member-affiliations.js';
import { eraseMemberData } from './events/member-erasure.js';
import { openDataRoutes } from './open-data/routes.js';
import { schema } from './schema/index.js';

export { ZSpacesEnv as envSchema } from './env.js';

/** The spaces subgraph as its main(), the launcher and the tests start and seed it. */
export const { start: startSpacesService, seed: seedDemoData } = defineService({
  name: 'spaces',
  schema,
  connect: connectDatabase,
  // Confirmed affiliations: who a satellite office and a space's staff door admit.
  subscriptions: (prisma) => [memberAffiliationsSubscription(prisma)],
  // Memberships, passes, and who asked and who visited on patrol visits
  // (domain/export-member-data.ts lists it all).
  memberErasure: { erase: eraseMemberData },
  // Whoever is still inside when their space closes is checked out, marked automatic; every
  // minute, so nobody stays "inside" much past closing.
  jobs: (prisma) => [
    { name: 'check-out-at-closing', everyMs: 60_000, run: () => checkOutAtClosing({ prisma }) },
  ],
  // Rows from before the directory's search column get their search text (kana, romaji).
  prepare: async (prisma) => {
    await refreshSearchText(prisma);
  },
  // 公共施設一覧 CSV, served to everyone by the gateway (docs/open-data.md).
  routes: openDataRoutes,
  seed: loadDemoData,
});
