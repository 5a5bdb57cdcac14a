import { defineMutation, InvalidInputError, requestLoader } from '@hub/service-kit';
import { builder, type MatchingContext } from '../builder.js';
import { setRankingWeights } from '../ranking/set-ranking-weights.js';
import {
  DEFAULT_RANKING_WEIGHTS,
  MAX_RANKING_WEIGHT,
  RANKING_FACTOR_LABELS,
  RANKING_FACTORS,
  type RankingFactor,
  readRankingWeights,
  type TRankingWeights,
} from '../ranking/weights.js';
import { OrganizationRef } from './organization.js';

type RankingWeightsView = {
  centreOrganizationId: string;
  weights: TRankingWeights;
  isDefault: boolean;
  updatedAt: Date | null;
};

export const RankingWeightsRef = builder.objectRef<RankingWeightsView>('RankingWeights').implement({
  description:
    'センターが候補者の順位付けに使う重み — 各要素の点数は重み × 評価 (0〜100) (the weights a centre ranks candidates with: each factor’s points are weight × grade 0–100)',
  fields: (t) => ({
    ...Object.fromEntries(
      RANKING_FACTORS.map((factor) => [
        factor,
        t.int({
          description: `${RANKING_FACTOR_LABELS[factor].ja}の重み (weight of ${RANKING_FACTOR_LABELS[factor].en})`,
          resolve: (view) => view.weights[factor],
        }),
      ]),
    ),
    isDefault: t.exposeBoolean('isDefault', {
      description: '未設定で既定値を使っている (no weights set: the defaults apply)',
    }),
    updatedAt: t.expose('updatedAt', {
      type: 'DateTime',
      nullable: true,
      description: '最後に設定した日時 — 既定値なら null (when last set; null for the defaults)',
    }),
  }),
});

const RankingWeightsInput = builder.inputType('RankingWeightsInput', {
  description: `要素ごとの重み、0〜${MAX_RANKING_WEIGHT} の整数、少なくとも 1 つは 0 より大きい (one whole number 0–${MAX_RANKING_WEIGHT} per factor, at least one above zero)`,
  fields: (t) =>
    Object.fromEntries(
      RANKING_FACTORS.map((factor) => [
        factor,
        t.int({
          required: true,
          description: `${RANKING_FACTOR_LABELS[factor].ja} (${RANKING_FACTOR_LABELS[factor].en}); 既定 ${DEFAULT_RANKING_WEIGHTS[factor]} (default ${DEFAULT_RANKING_WEIGHTS[factor]})`,
        }),
      ]),
    ) as Record<RankingFactor, ReturnType<typeof t.int>>,
});

const SetRankingWeightsInput = builder.inputType('SetRankingWeightsInput', {
  description: 'センターの順位付けの重み (a centre’s ranking weights)',
  fields: (t) => ({
    centreOrganizationId: t.id({
      required: true,
      description: '受託組織・センターの組織 ID (the centre’s organization id)',
    }),
    weights: t.field({ type: RankingWeightsInput, required: true, description: '重み (weights)' }),
  }),
});

defineMutation(builder, 'setRankingWeights', {
  description:
    'センターの候補者順位付けの重みを設定する — 負の値やすべて 0 は INVALID_WEIGHTS。センターの管理者・スタッフかハブ管理者のみ (set the weights a centre ranks candidates with; negative or all-zero weights are INVALID_WEIGHTS; the centre’s admin or staff, or a hub admin)',
  input: { type: SetRankingWeightsInput, description: '設定内容 (the weights)' },
  success: {
    field: 'rankingWeights',
    type: RankingWeightsRef,
    description: '設定した重み (the weights as set)',
  },
  errors: [InvalidInputError],
  authScopes: (input) => ({
    admin: true,
    staffOf: [input.centreOrganizationId],
    orgAdmin: input.centreOrganizationId,
  }),
  resolve: async (input, context) => {
    const saved = await setRankingWeights(context, input);
    return { ...saved, isDefault: false };
  },
});

/** The weights each organisation set: one query for every organisation of the request. */
function rankingWeightsLoader(context: MatchingContext) {
  return requestLoader(context, 'rankingWeightsByOrganization', {
    fetch: (ids: readonly string[]) =>
      context.prisma.rankingWeights.findMany({ where: { centreOrganizationId: { in: [...ids] } } }),
    keyOf: (row) => row.centreOrganizationId,
  });
}

builder.objectField(OrganizationRef, 'rankingWeights', (t) =>
  t.field({
    type: RankingWeightsRef,
    nullable: true,
    description:
      'この組織が候補者の順位付けに使う重み (未設定なら既定値) — その組織のスタッフとハブ管理者のみ (the weights this organisation ranks candidates with, the defaults if none set; its staff and hub admins)',
    authScopes: (organization) => ({ admin: true, staffOf: [organization.id] }),
    resolve: async (organization, _args, context) => {
      const row = await rankingWeightsLoader(context).load(organization.id);
      return {
        centreOrganizationId: organization.id,
        weights: readRankingWeights(row?.weights),
        isDefault: row === null,
        updatedAt: row?.updatedAt ?? null,
      };
    },
  }),
);
