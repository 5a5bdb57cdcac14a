import { type CommitContext, commit } from '@hub/event-bus';
import { parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { Member, PrismaClient } from '../generated/prisma/client.js';
import { referralChangedEvent } from './member-events.js';
import { CALLER, lockLiveMember } from './member-guard.js';
import { PROFILE_VISIBILITIES } from './member-profile.js';

/**
 * Who may see the profile fields. The setting also decides who sees the links to the members
 * this member introduced, which matching keeps for trust: a change is announced as
 * `members.referral.changed` in the same commit (nothing when the setting stays as it was).
 */
export async function setProfileVisibility(
  db: CommitContext<PrismaClient>,
  memberId: string,
  visibility: unknown,
): Promise<Member> {
  const { profileVisibility } = parseInput(
    z.object({ profileVisibility: z.enum(PROFILE_VISIBILITIES) }),
    { profileVisibility: visibility },
  );
  return commit(db, async (tx, emit) => {
    await lockLiveMember(tx, memberId, CALLER);
    const before = await tx.member.findUniqueOrThrow({
      where: { id: memberId },
      select: { profileVisibility: true },
    });
    const member = await tx.member.update({ where: { id: memberId }, data: { profileVisibility } });
    if (before.profileVisibility !== member.profileVisibility) emit(referralChangedEvent(member));
    return member;
  });
}
