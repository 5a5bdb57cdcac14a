import type { EventData } from '@hub/contracts';
import { lockMemberships } from '../domain/member-lock.js';
import type { Prisma } from '../generated/prisma/client.js';

/**
 * What spaces does on `members.member.erased` (APPI erasure), in the kit's erasure consumer
 * (its inbox row commits with these changes).
 * - Memberships, passes, the days they were used and their affiliations (read model) are the
 *   member's: deleted, and the member
 *   remembered (erased_member) so nothing about them is recorded again.
 * - Patrol visits are the supporter's record and stay; the member leaves them: a request they
 *   made becomes one of an unnamed coworker (its id, kind and subject stay, so the consultation
 *   support-programs made of it still matches), and they are no longer among the visitors nor
 *   the one who recorded it.
 */
export async function eraseMemberData(
  { memberId, erasedAt }: EventData<'members.member.erased'>,
  tx: Prisma.TransactionClient,
): Promise<void> {
  // The tombstone first, under the lock startSpaceMembership takes (domain/member-lock.ts): a
  // membership being recorded now either commits before and is deleted here, or sees it.
  await lockMemberships(tx, memberId);
  await tx.erasedMember.upsert({
    where: { memberId },
    create: { memberId, erasedAt: new Date(erasedAt) },
    update: {},
  });
  await tx.passRedemption.deleteMany({ where: { pass: { memberId } } });
  await tx.pass.deleteMany({ where: { memberId } });
  await tx.spaceMembership.deleteMany({ where: { memberId } });
  // The affiliations learnt from members: members erases its own, and no one may enter by them.
  await tx.memberAffiliation.deleteMany({ where: { memberId } });
  // Membership events the relay gave up on still carry the member.
  await tx.deadLetter.deleteMany({
    where: {
      type: { in: ['spaces.space-membership.started', 'spaces.space-membership.ended'] },
      payload: { path: ['data', 'memberId'], equals: memberId },
    },
  });
  // Stays count in the spaces' figures: they stay, as nobody's; and one the member let in
  // as staff no longer names them.
  await tx.visit.updateMany({ where: { memberId }, data: { memberId: null } });
  await tx.visit.updateMany({ where: { overrideBy: memberId }, data: { overrideBy: null } });
  await tx.deadLetter.deleteMany({
    where: {
      type: { in: ['spaces.presence.checked-in', 'spaces.presence.checked-out'] },
      payload: { path: ['data', 'memberId'], equals: memberId },
    },
  });
  await tx.patrolRequest.updateMany({
    where: { requesterMemberId: memberId },
    data: { requesterMemberId: null },
  });
  await tx.$executeRaw`
    UPDATE patrol_visit SET visitor_ids = array_remove(visitor_ids, ${memberId}::uuid)
    WHERE visitor_ids @> ARRAY[${memberId}::uuid]`;
  await tx.patrolVisit.updateMany({ where: { recordedBy: memberId }, data: { recordedBy: null } });
}
