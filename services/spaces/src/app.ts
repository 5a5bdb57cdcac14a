import { defineService } from '@hub/service-kit';
import { connectDatabase } from './db.js';
import { refreshSearchText } from './domain/refresh-search-text.js';
import { loadDemoData } from './domain/seed-demo-data.js';
import { schema } from './schema/index.js';

export { ZSpacesEnv as envSchema } from './env.js';

/** The spaces subgraph as its main(), the launcher and the tests start and seed it. */
export const { start: startSpacesService, seed: seedDemoData } = defineService({
  name: 'spaces',
  schema,
  connect: connectDatabase,
  // Nothing about members yet (domain/export-member-data.ts says what will come).
  memberErasure: {},
  // Rows from before the directory's search column get their search text (kana, romaji).
  prepare: async (prisma) => {
    await refreshSearchText(prisma);
  },
  seed: loadDemoData,
});
