// The ranking index's change log. Every write to a read model the ranking reads calls
// noteRankingChange in the same transaction, so the note commits (or rolls back) with the
// write; each instance's index then reloads exactly those members before its next ranking.

/** The part of a Prisma transaction client the note needs (any client or tx fits). */
export interface RankingChangeWriter {
  $executeRaw(query: TemplateStringsArray, ...values: unknown[]): Promise<number>;
}

/** Notes that the ranking facts of these members changed (one row per distinct id). */
export async function noteRankingChange(
  tx: RankingChangeWriter,
  memberIds: readonly string[],
): Promise<void> {
  const ids = [...new Set(memberIds)];
  if (ids.length === 0) return;
  await tx.$executeRaw`INSERT INTO ranking_change (member_id) SELECT unnest(${ids}::uuid[])`;
}
