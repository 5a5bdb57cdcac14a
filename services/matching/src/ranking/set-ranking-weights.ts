import { AppError } from '@hub/service-kit';
import type { MatchingContext } from '../builder.js';
import { type RankingFactor, type TRankingWeights, validateRankingWeights } from './weights.js';

export type SetRankingWeightsInput = {
  centreOrganizationId: string;
  weights: Partial<Record<RankingFactor, unknown>>;
};

/** Stores a centre's weights (one row, replaced whole); INVALID_WEIGHTS names a bad field. */
export async function setRankingWeights(
  context: Pick<MatchingContext, 'prisma' | 'identity'>,
  input: SetRankingWeightsInput,
): Promise<{ centreOrganizationId: string; weights: TRankingWeights; updatedAt: Date }> {
  const weights = validateRankingWeights(input.weights);
  const identity = context.identity;
  if (identity?.kind !== 'member') {
    throw new AppError('UNAUTHENTICATED', 'サインインが必要です (sign-in required)');
  }
  const row = await context.prisma.rankingWeights.upsert({
    where: { centreOrganizationId: input.centreOrganizationId },
    create: {
      centreOrganizationId: input.centreOrganizationId,
      weights,
      updatedBy: identity.memberId,
    },
    update: { weights, updatedBy: identity.memberId },
  });
  return { centreOrganizationId: row.centreOrganizationId, weights, updatedAt: row.updatedAt };
}
