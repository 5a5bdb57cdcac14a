import type { SqlClient } from '@hub/event-bus';

// Events keeps who operates each space (table space_operator, fed by spaces' events in
// events/space-operators.ts): a venue at a space takes effect with its operator's say.

// First key of the two-key advisory lock "a space's operator" (any fixed number no other lock
// in this database uses).
export const SPACE_LOCK_CLASS = 0x76656e75; // "venu"

/**
 * Serialises, until the transaction ends, publishing at a space (shared: publishers do not
 * wait for each other) with learning its operator (exclusive). Otherwise a venue published
 * while the operator arrives could read "unknown" and be written after the consumer settled
 * the space's pending venues — and wait for a confirmation it never needed.
 */
export async function lockSpaces(
  tx: SqlClient,
  spaceIds: readonly string[],
  mode: 'shared' | 'exclusive',
): Promise<void> {
  const lock = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  // Sorted: two publishers taking several locks never wait for each other in a cycle.
  for (const spaceId of [...new Set(spaceIds)].sort()) {
    await tx.$executeRawUnsafe(
      `SELECT ${lock}($1::int, hashtext($2::text))`,
      SPACE_LOCK_CLASS,
      spaceId,
    );
  }
}

/** A space's operator as far as events knows: `undefined` while the space is not known yet. */
export type KnownOperators = Map<string, string | null>;

/** The operators of the given spaces that events has learnt, under the publishers' lock. */
export async function knownOperators(
  tx: SqlClient,
  spaceIds: readonly string[],
): Promise<KnownOperators> {
  if (spaceIds.length === 0) return new Map();
  await lockSpaces(tx, spaceIds, 'shared');
  const rows = await tx.$queryRawUnsafe<{ space_id: string; operator_id: string | null }[]>(
    'SELECT space_id::text, operator_id::text FROM space_operator WHERE space_id = ANY($1::uuid[])',
    [...new Set(spaceIds)],
  );
  return new Map(rows.map((row) => [row.space_id, row.operator_id]));
}
