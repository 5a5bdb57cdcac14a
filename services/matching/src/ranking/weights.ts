import { AppError } from '@hub/service-kit';

/** The parts of a candidate's score, in the order explanations list them. */
export const RANKING_FACTORS = [
  'skillCoverage',
  'capacity',
  'fairSpread',
  'proximity',
  'trackRecord',
  'trust',
] as const;
export type RankingFactor = (typeof RANKING_FACTORS)[number];

/** One whole number per factor: a factor's points are its weight × its grade (0–100). */
export type TRankingWeights = Record<RankingFactor, number>;

/**
 * Used by a centre that set none. Skills first (the work must get done), then the worker's
 * room for it and a fair share of work; place, record and trust refine the order among those.
 */
export const DEFAULT_RANKING_WEIGHTS: Readonly<TRankingWeights> = Object.freeze({
  skillCoverage: 40,
  capacity: 15,
  fairSpread: 15,
  proximity: 10,
  trackRecord: 10,
  trust: 10,
});

/** Large enough for any ratio a centre wants; small enough that scores stay exact integers. */
export const MAX_RANKING_WEIGHT = 1000;

export const RANKING_FACTOR_LABELS: Record<RankingFactor, { ja: string; en: string }> = {
  skillCoverage: { ja: 'スキルの充足', en: 'skill coverage' },
  capacity: { ja: '今期の空き時間', en: 'capacity this period' },
  fairSpread: { ja: '仕事の公平な配分', en: 'fair spread of work' },
  proximity: { ja: '近さ', en: 'proximity' },
  trackRecord: { ja: '実績', en: 'track record' },
  trust: { ja: '信頼のつながり', en: 'trust' },
};

/**
 * Weights a centre may set: every factor a whole number 0–MAX_RANKING_WEIGHT, at least one
 * above zero (all zero would rank everyone equal, by id only). INVALID_WEIGHTS names the field.
 */
export function validateRankingWeights(
  weights: Partial<Record<RankingFactor, unknown>>,
): TRankingWeights {
  const checked = {} as TRankingWeights;
  for (const factor of RANKING_FACTORS) {
    const value = weights[factor];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new AppError(
        'INVALID_WEIGHTS',
        `重みは 0 以上の整数にしてください: ${factor} (a weight must be a whole number, 0 or more: ${factor})`,
        { field: `weights.${factor}` },
      );
    }
    if (value > MAX_RANKING_WEIGHT) {
      throw new AppError(
        'INVALID_WEIGHTS',
        `重みは ${MAX_RANKING_WEIGHT} 以下にしてください: ${factor} (a weight must be at most ${MAX_RANKING_WEIGHT}: ${factor})`,
        { field: `weights.${factor}` },
      );
    }
    checked[factor] = value;
  }
  if (RANKING_FACTORS.every((factor) => checked[factor] === 0)) {
    throw new AppError(
      'INVALID_WEIGHTS',
      '少なくとも 1 つの重みを 0 より大きくしてください (at least one weight must be above zero)',
      { field: 'weights' },
    );
  }
  return checked;
}

/** Stored weights as the ranking uses them: a factor missing from the row takes its default. */
export function readRankingWeights(stored: unknown): TRankingWeights {
  const source = (stored && typeof stored === 'object' ? stored : {}) as Record<string, unknown>;
  const weights = {} as TRankingWeights;
  for (const factor of RANKING_FACTORS) {
    const value = source[factor];
    weights[factor] =
      typeof value === 'number' && Number.isInteger(value) && value >= 0
        ? value
        : DEFAULT_RANKING_WEIGHTS[factor];
  }
  return weights;
}
