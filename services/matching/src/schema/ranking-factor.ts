import { builder } from '../builder.js';
import { RANKING_FACTOR_LABELS, RANKING_FACTORS, type RankingFactor } from '../ranking/weights.js';

/** SKILL_COVERAGE for skillCoverage: GraphQL spells enum values in capitals. */
export const enumName = (camelCase: string) =>
  camelCase.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

export const RankingFactorEnum = builder.enumType('RankingFactor', {
  description: '候補者の点数の要素 (a factor of a candidate’s score)',
  values: Object.fromEntries(
    RANKING_FACTORS.map((factor) => [
      enumName(factor),
      {
        value: factor,
        description: `${RANKING_FACTOR_LABELS[factor].ja} (${RANKING_FACTOR_LABELS[factor].en})`,
      },
    ]),
  ) as Record<string, { value: RankingFactor; description: string }>,
});
