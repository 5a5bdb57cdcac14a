import { parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { Member, PrismaClient } from '../generated/prisma/client.js';
import { CALLER, lockLiveMember } from './member-guard.js';
import { PROFILE_VISIBILITIES } from './member-profile.js';

/** Who may see the profile fields; no event, since no other service keeps the setting. */
export async function setProfileVisibility(
  prisma: PrismaClient,
  memberId: string,
  visibility: unknown,
): Promise<Member> {
  const { profileVisibility } = parseInput(
    z.object({ profileVisibility: z.enum(PROFILE_VISIBILITIES) }),
    { profileVisibility: visibility },
  );
  return prisma.$transaction(async (tx) => {
    await lockLiveMember(tx, memberId, CALLER);
    return tx.member.update({ where: { id: memberId }, data: { profileVisibility } });
  });
}
