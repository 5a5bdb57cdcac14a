import type { ConsortiumMembership, PrismaClient } from '../generated/prisma/client.js';
import { membershipNotFound, parseConsortiumMembershipAnswer } from './consortium-membership.js';

/**
 * The member organisation's admin confirms that it belongs to the consortium: from now on the
 * membership is listed publicly on both. Confirming a confirmed one changes nothing.
 */
export async function confirmConsortiumMembership(
  prisma: PrismaClient,
  input: unknown,
): Promise<ConsortiumMembership> {
  const where = parseConsortiumMembershipAnswer(input);
  return prisma.$transaction(async (tx) => {
    // Only a pending one changes, so two answers at once confirm it once.
    await tx.consortiumMembership.updateMany({
      where: { ...where.consortiumId_memberId, confirmedAt: null },
      data: { confirmedAt: new Date() },
    });
    const membership = await tx.consortiumMembership.findUnique({ where });
    if (!membership) throw membershipNotFound();
    return membership;
  });
}
