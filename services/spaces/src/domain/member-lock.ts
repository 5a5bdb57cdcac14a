import type { Prisma } from '../generated/prisma/client.js';

/**
 * Serialises writes of one member's memberships and their erasure (a transaction-scoped
 * advisory lock on the member id), so a membership recorded while the member is being erased
 * either is deleted by the erasure or sees its tombstone.
 */
export async function lockMemberships(tx: Prisma.TransactionClient, memberId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`space-membership:${memberId}`}, 0))`;
}
