import { type CommitContext, commit } from '@hub/event-bus';
import { parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { Member, PrismaClient } from '../generated/prisma/client.js';
import { profileUpdatedEvent } from './member-events.js';
import { CALLER, lockLiveMember } from './member-guard.js';
import { PROFILE_VISIBILITIES } from './member-profile.js';

/**
 * Who may see the profile fields. Announced (`members.member.profile-updated`, changed
 * `profileVisibility`) when it changes: matching keeps the setting to suggest only members whose
 * profile the asker may read.
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
    const before = await tx.member.findUniqueOrThrow({ where: { id: memberId } });
    const member = await tx.member.update({ where: { id: memberId }, data: { profileVisibility } });
    if (before.profileVisibility !== profileVisibility) {
      emit(await profileUpdatedEvent(tx, memberId, ['profileVisibility']));
    }
    return member;
  });
}
