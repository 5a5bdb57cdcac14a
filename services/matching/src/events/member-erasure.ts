import type { EventData } from '@hub/contracts';
import { memberErasureConsumer } from '@hub/service-kit';
import type { Prisma } from '../generated/prisma/client.js';
import { noteRankingChange } from '../ranking/change-log.js';
import { lockMember } from './lock-member.js';

/** The erasure consumer's durable name (the kit's, for matching): its inbox key. */
export const MEMBER_ERASURE_CONSUMER = memberErasureConsumer('matching');

/**
 * Events of the read models whose payload says something about the member: their profile
 * (name, skills, place), where they are registered, to whom they consented, who introduced
 * them, or their home spaces.
 */
const MEMBER_EVENT_TYPES = [
  'members.member.registered',
  'members.member.profile-updated',
  'members.affiliation.changed',
  'members.consent.granted',
  'members.consent.withdrawn',
  'members.referral.changed',
  'spaces.space-membership.started',
  'spaces.space-membership.ended',
];

/**
 * What matching does on `members.member.erased` (APPI erasure): deletes what it holds about the
 * member and remembers the id so later events about them are dropped. Runs in the kit's
 * erasure consumer, whose inbox row commits with the deletion.
 */
export async function eraseMemberData(
  { memberId, erasedAt }: EventData<'members.member.erased'>,
  tx: Prisma.TransactionClient,
): Promise<void> {
  // Waits for a read-model upsert of this member in flight, so its rows are deleted here.
  await lockMember(tx, memberId);
  // Every ranking index drops the member before its next ranking.
  await noteRankingChange(tx, [memberId]);
  await tx.erasedMember.upsert({
    where: { memberId },
    create: { memberId, erasedAt: new Date(erasedAt) },
    update: {},
  });
  // Work they did stays in their municipality's figures (Municipality.workFigures) with nobody
  // named: the place goes onto the assignments before the worker row goes.
  await tx.$executeRaw`
    UPDATE assignment a SET erased_member_municipality_code = w.municipality_code
      FROM worker w
     WHERE w.member_id = ${memberId}::uuid AND a.member_id = w.member_id`;
  await tx.worker.deleteMany({ where: { memberId } });
  // Their home spaces, and who introduced them. The links to the members they introduced stay
  // (those members' rows): with no row of theirs left, the links count as members' tombstone
  // does — seen only by those members and their organisations' staff.
  await tx.homeSpace.deleteMany({ where: { memberId } });
  await tx.referral.deleteMany({ where: { memberId } });
  // Where the member was registered is about them too; with the rows gone no staff reads
  // anything of theirs, and the tombstone keeps a late affiliation event from adding one back.
  await tx.workerAffiliation.deleteMany({ where: { memberId } });
  // Whom they consented to: no partner reads anything of theirs here any more (members also
  // announced each consent as withdrawn), and the tombstone keeps a late grant from returning.
  await tx.memberConsent.deleteMany({ where: { memberId } });
  // Their help requests (their wishes and places) and every introduction naming them — as
  // either member or as introducer: the other two keep nothing that names the erased member.
  await tx.helpRequest.deleteMany({ where: { askerId: memberId } });
  await tx.introduction.deleteMany({
    where: { OR: [{ memberAId: memberId }, { memberBId: memberId }, { introducedById: memberId }] },
  });
  // Offers not yet taken up are only about the member: gone. Work they accepted or did stays
  // with its order (volumes, progress) with nobody named, and without the rating of them.
  await tx.assignment.deleteMany({ where: { memberId, status: 'OFFERED' } });
  await tx.assignment.updateMany({
    where: { memberId },
    data: { memberId: null, rating: null, ratedBy: null },
  });
  // Ratings they gave as a coordinator or leader name them as the rater.
  await tx.assignment.updateMany({ where: { ratedBy: memberId }, data: { ratedBy: null } });
  await tx.assignment.updateMany({ where: { offeredBy: memberId }, data: { offeredBy: null } });
  // Work orders name organisations; a leader is named only while the member exists.
  await tx.workOrder.updateMany({
    where: { leaderMemberId: memberId },
    data: { leaderMemberId: null },
  });
  // Events the read models gave up on still hold their data.
  await tx.deadLetter.deleteMany({
    where: {
      type: { in: MEMBER_EVENT_TYPES },
      payload: { path: ['data', 'memberId'], equals: memberId },
    },
  });
}
