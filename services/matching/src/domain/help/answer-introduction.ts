import { AppError } from '@hub/service-kit';
import type { Introduction, PrismaClient } from '../../generated/prisma/client.js';

export type TIntroductionAnswer = 'ACCEPTED' | 'DECLINED';

/**
 * One of the two members accepts or declines, once. Anyone else gets NOT_FOUND, as if the
 * introduction did not exist; a second answer by the same member is ALREADY_ANSWERED. The row
 * is locked so two answers at once cannot both count.
 */
export async function answerIntroduction(
  prisma: PrismaClient,
  memberId: string,
  introductionId: string,
  answer: TIntroductionAnswer,
): Promise<Introduction> {
  return prisma.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<
      { member_a_id: string; member_b_id: string; a: string; b: string }[]
    >`
      SELECT member_a_id, member_b_id, member_a_answer::text AS a, member_b_answer::text AS b
        FROM introduction WHERE id = ${introductionId}::uuid FOR UPDATE`;
    const side = !row
      ? null
      : row.member_a_id === memberId
        ? 'A'
        : row.member_b_id === memberId
          ? 'B'
          : null;
    if (!row || !side) {
      throw new AppError('NOT_FOUND', '紹介が見つかりません (introduction not found)', {
        field: 'introductionId',
      });
    }
    if ((side === 'A' ? row.a : row.b) !== 'pending') {
      throw new AppError(
        'ALREADY_ANSWERED',
        'この紹介にはすでに回答しています (you have already answered this introduction)',
        { field: 'introductionId' },
      );
    }
    const now = new Date();
    return tx.introduction.update({
      where: { id: introductionId },
      data:
        side === 'A'
          ? { memberAAnswer: answer, memberAAnsweredAt: now }
          : { memberBAnswer: answer, memberBAnsweredAt: now },
    });
  });
}
