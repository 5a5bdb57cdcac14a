// The ranking index's change log. Every write to a read model the ranking reads calls
// noteRankingChange in the same transaction, so the note commits (or rolls back) with the
// write; each instance's index then reloads exactly those members before its next ranking.

/**
 * The part of a transaction client the note needs. The unsafe form (parameters still bound)
 * because the event bus hands consumers a SqlClient that has only it; a Prisma client or
 * transaction fits as well.
 */
export type RankingChangeWriter = {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
};

/** Notes that the ranking facts of these members changed (one row per distinct id). */
export async function noteRankingChange(
  tx: RankingChangeWriter,
  memberIds: readonly string[],
): Promise<void> {
  const ids = [...new Set(memberIds)];
  if (ids.length === 0) return;
  await tx.$executeRawUnsafe(
    'INSERT INTO ranking_change (member_id) SELECT unnest($1::uuid[])',
    ids,
  );
}
