import { builder } from '../builder.js';
import type { RankedCandidate } from '../ranking/index.js';
import { CANDIDATES_MAX, rankCandidates } from '../ranking/rank-candidates.js';
import type { ScorePart } from '../ranking/score.js';
import { RankingFactorEnum } from './ranking-factor.js';
import { WorkOrderRef } from './work-order.js';

export const ScorePartRef = builder.objectRef<ScorePart>('ScorePart').implement({
  description:
    '点数の内訳の 1 項目 — points は weight × 評価 (0〜100)。候補者の parts の points の合計が score に等しい (one part of a candidate’s score: points = weight × grade 0–100; a candidate’s parts add up to its score exactly)',
  fields: (t) => ({
    factor: t.field({
      type: RankingFactorEnum,
      description: '要素 (factor)',
      resolve: (part) => part.factor,
    }),
    weight: t.exposeInt('weight', { description: 'センターが設定した重み (the centre’s weight)' }),
    points: t.exposeInt('points', { description: '点数 — 重み × 評価 (points: weight × grade)' }),
    facts: t.field({
      type: 'JSON',
      description:
        '評価の根拠となった事実 (grade を含む) (the facts behind the grade, grade included)',
      resolve: (part) => part.facts,
    }),
    explanation: t.exposeString('explanation', { description: '説明 (explanation, Japanese)' }),
    explanationEn: t.exposeString('explanationEn', { description: '説明 (explanation, English)' }),
  }),
});

export const CandidateRef = builder.objectRef<RankedCandidate>('Candidate').implement({
  description:
    '発注の候補者 — 点数とその内訳つき (a candidate for a work order, with the score explained)',
  fields: (t) => ({
    // member: added in member.ts, beside the Member reference.
    rank: t.exposeInt('rank', { description: '順位 1〜 (rank, from 1)' }),
    score: t.exposeInt('score', {
      description: '点数 — parts の points の合計 (score: the sum of the parts’ points)',
    }),
    parts: t.field({
      type: [ScorePartRef],
      description: '点数の内訳、要素順 (the parts of the score, by factor)',
      resolve: (candidate) => candidate.parts,
    }),
  }),
});

builder.prismaObjectField(WorkOrderRef, 'candidates', (t) =>
  t.field({
    type: [CandidateRef],
    nullable: true,
    description:
      'この発注の候補者、点数の高い順 (同点は会員 ID 順) — 受託組織 (委託された部分では委託先) に現在登録しているワーカーのうち、必要スキルを 1 つ以上最低レベルで満たし、今期の空き時間があり、機密の発注では発注元のサテライトオフィスに入れる人。受託組織のスタッフ、委託先のリーダー、ハブ管理者のみ (candidates for this order, highest score first, ties by member id: workers registered today with the receiving organisation — the partner, for a delegated part — who meet at least one required skill at its minimum level, have capacity left this period and, for a confidential order, are allowed into the client’s satellite office; for the receiving organisation’s staff, the leader of a delegated part and hub admins)',
    args: {
      first: t.arg.int({
        defaultValue: 20,
        min: 1,
        max: CANDIDATES_MAX,
        description: '件数 (how many)',
      }),
    },
    resolve: (order, args, context) => rankCandidates(context, order, args.first ?? 20),
  }),
);
