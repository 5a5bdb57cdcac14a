import type { SqlClient } from '@hub/event-bus';

/**
 * Serialises writes of one member's rows (memberships, the affiliation read model) and their
 * erasure (a transaction-scoped advisory lock on the member id), so a row recorded while the
 * member is being erased either is deleted by the erasure or sees its tombstone. Takes the
 * structural SqlClient so Prisma transactions and the event consumers' clients both fit.
 */
export async function lockMemberships(tx: SqlClient, memberId: string) {
  await tx.$executeRawUnsafe(
    'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))',
    `space-membership:${memberId}`,
  );
}
