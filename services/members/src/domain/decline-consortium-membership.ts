import { AppError } from '@hub/service-kit';
import type { ConsortiumMembership, PrismaClient } from '../generated/prisma/client.js';
import { membershipNotFound, parseConsortiumMembershipAnswer } from './consortium-membership.js';

/**
 * The member organisation's admin declines to belong to the consortium: the pending
 * membership is removed (it was never shown publicly), and returned as it was.
 */
export async function declineConsortiumMembership(
  prisma: PrismaClient,
  input: unknown,
): Promise<ConsortiumMembership> {
  const where = parseConsortiumMembershipAnswer(input);
  return prisma.$transaction(async (tx) => {
    const membership = await tx.consortiumMembership.findUnique({ where });
    if (!membership) throw membershipNotFound();
    const { count } = await tx.consortiumMembership.deleteMany({
      where: { ...where.consortiumId_memberId, confirmedAt: null },
    });
    // Confirmed meanwhile (or before): a member leaves a consortium some other way.
    if (count === 0) {
      throw new AppError(
        'CONFLICT',
        'このコンソーシアムへの加盟は確認済みです — 辞退できるのは確認待ちのものだけです (the membership is already confirmed; only a pending one can be declined)',
        { field: 'memberOrganizationId' },
      );
    }
    return membership;
  });
}
