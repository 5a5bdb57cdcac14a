import { type CommitContext, commit } from '@hub/event-bus';
import { AppError } from '@hub/service-kit';
import type { Member, PrismaClient } from '../generated/prisma/client.js';
import { profileUpdatedEvent } from './member-events.js';
import { lockLiveMember } from './member-guard.js';
import { findSkill } from './skill-taxonomy.js';

/**
 * A coordinator confirms a member's skill (verifiedBy COORDINATOR, now). Confirming a skill
 * that is already verified changes nothing, so it can be retried safely.
 */
export async function verifyMemberSkill(
  db: CommitContext<PrismaClient>,
  input: { memberId: string; skillCode: string },
): Promise<Member> {
  if (!findSkill(input.skillCode)) {
    throw new AppError('UNKNOWN_SKILL', `不明なスキルです: ${input.skillCode} (unknown skill)`, {
      field: 'skillCode',
    });
  }
  return commit(db, async (tx, emit) => {
    await lockLiveMember(tx, input.memberId);
    const key = { memberId_skillCode: { memberId: input.memberId, skillCode: input.skillCode } };
    const skill = await tx.memberSkill.findUnique({ where: key });
    if (!skill) {
      throw new AppError(
        'NOT_FOUND',
        'このメンバーはそのスキルを登録していません (the member has not listed this skill)',
        { field: 'skillCode' },
      );
    }
    if (!skill.isVerified) {
      await tx.memberSkill.update({
        where: key,
        data: { isVerified: true, verifiedBy: 'COORDINATOR', verifiedAt: new Date() },
      });
      emit(await profileUpdatedEvent(tx, input.memberId, ['skills']));
    }
    return tx.member.findUniqueOrThrow({ where: { id: input.memberId } });
  });
}
