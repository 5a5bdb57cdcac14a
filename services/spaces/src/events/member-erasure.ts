import type { EventData } from '@hub/contracts';
import { lockMemberships } from '../domain/member-lock.js';
import type { Prisma } from '../generated/prisma/client.js';

/**
 * What spaces does on `members.member.erased` (APPI erasure): deletes the member's memberships,
 * passes and the days they used them, in the transaction of the kit's erasure consumer's inbox
 * row, and remembers the member so nothing about them is recorded again. Counts a host keeps
 * for figures are not kept apart yet: they go with the rows.
 */
export async function eraseMemberData(
  { memberId, erasedAt }: EventData<'members.member.erased'>,
  tx: Prisma.TransactionClient,
): Promise<void> {
  // The tombstone first: it takes the lock startSpaceMembership checks under (member-lock.ts),
  // so a membership being recorded now either commits before and is deleted here, or sees it.
  await lockMemberships(tx, memberId);
  await tx.erasedMember.upsert({
    where: { memberId },
    create: { memberId, erasedAt: new Date(erasedAt) },
    update: {},
  });
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
