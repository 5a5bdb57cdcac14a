import type { EventData } from '@hub/contracts';
import type { Prisma } from '../generated/prisma/client.js';

/**
 * What spaces does on `members.member.erased` (APPI erasure), in the kit's erasure consumer
 * (its inbox row commits with these changes). Patrol visits are the supporter's record and stay;
 * the member leaves them: a request they made becomes one of an unnamed coworker (its id, kind
 * and subject stay, so the consultation support-programs made of it still matches), and they
 * are no longer among the visitors nor the one who recorded it.
 */
export async function eraseMemberData(
  { memberId }: EventData<'members.member.erased'>,
  tx: Prisma.TransactionClient,
): Promise<void> {
  await tx.patrolRequest.updateMany({
    where: { requesterMemberId: memberId },
    data: { requesterMemberId: null },
  });
  await tx.$executeRaw`
    UPDATE patrol_visit SET visitor_ids = array_remove(visitor_ids, ${memberId}::uuid)
    WHERE visitor_ids @> ARRAY[${memberId}::uuid]`;
  await tx.patrolVisit.updateMany({ where: { recordedBy: memberId }, data: { recordedBy: null } });
}
