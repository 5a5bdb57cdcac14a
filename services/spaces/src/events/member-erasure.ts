import type { EventData } from '@hub/contracts';
import type { Prisma } from '../generated/prisma/client.js';

/**
 * What spaces does on `members.member.erased` (APPI erasure): deletes the member's memberships,
 * passes and the days they used them, in the transaction of the kit's erasure consumer's inbox
 * row. Counts a host keeps for figures are not kept apart yet: they go with the rows.
 */
export async function eraseMemberData(
  { memberId }: EventData<'members.member.erased'>,
  tx: Prisma.TransactionClient,
): Promise<void> {
  await tx.passRedemption.deleteMany({ where: { pass: { memberId } } });
  await tx.pass.deleteMany({ where: { memberId } });
  await tx.spaceMembership.deleteMany({ where: { memberId } });
  // Membership events the relay gave up on still carry the member.
  await tx.deadLetter.deleteMany({
    where: {
      type: { in: ['spaces.space-membership.started', 'spaces.space-membership.ended'] },
      payload: { path: ['data', 'memberId'], equals: memberId },
    },
  });
}
