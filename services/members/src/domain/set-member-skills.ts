import { type CommitContext, commit } from '@hub/event-bus';
import { parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { Member, PrismaClient } from '../generated/prisma/client.js';
import { profileUpdatedEvent } from './member-events.js';
import { CALLER, lockLiveMember } from './member-guard.js';
import { assertSkillLevels, ZSkillLevels } from './validate-skills.js';

/**
 * Replaces a member's skills. A verification stays with a skill whose level did not go up: it
 * attests the level that was checked, not a higher one the member now claims.
 */
export async function setMemberSkills(
  db: CommitContext<PrismaClient>,
  memberId: string,
  input: unknown,
): Promise<Member> {
  const { skills } = parseInput(z.object({ skills: ZSkillLevels }), { skills: input });
  assertSkillLevels(skills);
  return commit(db, async (tx, emit) => {
    await lockLiveMember(tx, memberId, CALLER);
    const before = new Map(
      (await tx.memberSkill.findMany({ where: { memberId } })).map((s) => [s.skillCode, s]),
    );
    const after = skills.map((skill) => {
      const old = before.get(skill.code);
      const keepsVerification = old?.isVerified === true && skill.level <= old.level;
      return {
        memberId,
        skillCode: skill.code,
        level: skill.level,
        isVerified: keepsVerification,
        verifiedBy: keepsVerification ? old.verifiedBy : null,
        verifiedAt: keepsVerification ? old.verifiedAt : null,
      };
    });
    await tx.memberSkill.deleteMany({ where: { memberId } });
    await tx.memberSkill.createMany({ data: after });
    const isChanged =
      after.length !== before.size ||
      after.some((skill) => {
        const old = before.get(skill.skillCode);
        return !old || old.level !== skill.level || old.isVerified !== skill.isVerified;
      });
    if (isChanged) emit(await profileUpdatedEvent(tx, memberId, ['skills']));
    return tx.member.findUniqueOrThrow({ where: { id: memberId } });
  });
}
