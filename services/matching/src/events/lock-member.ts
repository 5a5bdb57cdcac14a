import type { SqlClient } from '@hub/event-bus';

// First key of the two-key advisory lock: "a member's rows in matching" (any fixed number that
// no other lock in this database uses).
const MEMBER_LOCK_CLASS = 0x6d617463; // "matc"

/**
 * Serialises, until the transaction ends, the consumers that write one member's rows. The read
 * models (workers, affiliations) and the erasure consumer run side by side: without this, an
 * upsert that checked for the erasure before it committed could insert the row the erasure was
 * deleting.
 */
export async function lockMember(tx: SqlClient, memberId: string): Promise<void> {
  // executeRaw, not queryRaw: the function returns void, which a query result cannot carry.
  await tx.$executeRawUnsafe(
    'SELECT pg_advisory_xact_lock($1::int, hashtext($2::text))',
    MEMBER_LOCK_CLASS,
    memberId,
  );
}
