// ranking_change gets one row per read-model write and is read only forward (each feed from the
// last seq it saw), so old rows are dead weight: this job deletes them.

import type { ServiceJob } from '@hub/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';
import { FIRST_LOAD_LOOKBACK } from './index.js';

/**
 * Changes are kept a day: every instance that ranks at all reads them within seconds, and one
 * idle for longer loads in full when it notices rows it never read are gone (RankingIndexFeed).
 */
export const RANKING_CHANGE_RETENTION_MS = 24 * 60 * 60 * 1000;
/** Pruning once an hour keeps the table near a day's writes. */
const PRUNE_EVERY_MS = 60 * 60 * 1000;
/** Rows deleted per statement: a long-grown table is emptied without one huge transaction. */
const PRUNE_BATCH = 10_000;

export type PruneRankingChangesOptions = {
  /** The clock (epoch ms): rows created before now − retention go. */
  now?: number;
  retentionMs?: number;
};

/**
 * Deletes changes older than the retention, but never the newest FIRST_LOAD_LOOKBACK rows: a
 * feed's first load rereads that many seqs back, and it must find them all. Returns the rows
 * deleted.
 */
export async function pruneRankingChanges(
  prisma: PrismaClient,
  options: PruneRankingChangesOptions = {},
): Promise<number> {
  const cutoff = new Date(
    (options.now ?? Date.now()) - (options.retentionMs ?? RANKING_CHANGE_RETENTION_MS),
  );
  const keep = Number(FIRST_LOAD_LOOKBACK);
  let deleted = 0;
  for (;;) {
    // The newest `keep` rows are those at or above the keep-th highest seq (none when fewer).
    const count = await prisma.$executeRaw`
      DELETE FROM ranking_change WHERE seq IN (
        SELECT seq FROM ranking_change
         WHERE created_at < ${cutoff}
           AND seq < (SELECT seq FROM ranking_change ORDER BY seq DESC OFFSET ${keep - 1}::int LIMIT 1)
         ORDER BY seq
         LIMIT ${PRUNE_BATCH}::int)`;
    deleted += count;
    if (count < PRUNE_BATCH) return deleted;
  }
}

/** The pruning as the service runs it (app.ts `jobs`). */
export function pruneRankingChangesJob(prisma: PrismaClient): ServiceJob {
  return {
    name: 'prune-ranking-changes',
    everyMs: PRUNE_EVERY_MS,
    run: () => pruneRankingChanges(prisma),
  };
}
