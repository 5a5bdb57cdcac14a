import {
  assertPeriod,
  PERIOD_EARLIEST,
  PERIOD_LATEST,
  PERIOD_MAX_DAYS,
  requestLoader,
  unauthorizedError,
} from '@hub/service-kit';
import { builder, type SpacesContext } from '../builder.js';
import {
  activityFigures,
  directoryFigures,
  periodKey,
  satelliteOfficesLet,
  type TDirectoryFigures,
  type TPeriod,
} from '../domain/municipality-figures.js';
import { MunicipalityRef } from './municipality.js';
import { SpaceKindCountRef } from './space-kind-count.js';
import { answersFor } from './space-membership.js';
import { SpaceStatusCountRef } from './space-status-count.js';

type TSpaceFiguresParent = TPeriod & { municipalityCode: string };

// Each figure group is one statement for every municipality of the request; the period is part
// of the loader's name, so two periods in one request (aliases) are two batches, never mixed.
const directoryLoader = (context: SpacesContext) =>
  requestLoader(context, 'municipalityDirectoryFigures', {
    fetch: (codes: readonly string[]) => directoryFigures(context.prisma, codes),
    keyOf: (figures) => figures.municipalityCode,
  });

const satelliteOfficesLoader = (context: SpacesContext, period: TPeriod) =>
  requestLoader(context, `municipalitySatelliteOfficesLet:${periodKey(period)}`, {
    fetch: (codes: readonly string[]) => satelliteOfficesLet(context.prisma, codes, period),
    keyOf: (figures) => figures.municipalityCode,
  });

const activityLoader = (context: SpacesContext, period: TPeriod) =>
  requestLoader(context, `municipalityActivityFigures:${periodKey(period)}`, {
    fetch: (codes: readonly string[]) => activityFigures(context.prisma, codes, period),
    keyOf: (figures) => figures.municipalityCode,
  });

async function directoryOf(context: SpacesContext, code: string): Promise<TDirectoryFigures> {
  return (await directoryLoader(context).load(code))!;
}

/**
 * Who reads the activity figures — counts derived from members' stays and pass redemptions,
 * which must reveal no more than the caller may read otherwise:
 * - hub admins read every stay; partner keys read counts (like Space.occupancy), never people;
 * - staff of an operator read the stays of their own spaces and nothing of anyone else's, so
 *   only where every space of the municipality is operated by an organisation they are staff
 *   of. Where another operator also runs a space, the municipality's total minus their own
 *   counts would be that operator's figures, which they may not read (their occupancy neither).
 * Anyone else: UNAUTHENTICATED / FORBIDDEN at the field, the other figures still arrive.
 */
async function assertReadsActivity(context: SpacesContext, code: string): Promise<void> {
  const { identity } = context;
  if (identity?.kind === 'partner' || answersFor(context, null)) return;
  if (identity?.kind === 'member' && identity.staffOf.length > 0) {
    const { operatorIds } = await directoryOf(context, code);
    if (operatorIds.length > 0 && operatorIds.every((id) => answersFor(context, id))) return;
  }
  throw unauthorizedError(context);
}

// Said in every activity figure's description, Japanese and English.
const READERS_JA =
  '閲覧できるのはハブ管理者・パートナー(件数のみ)・市区町村内の全拠点を運営する組織のスタッフ';
const READERS_EN =
  'readers: hub admins, partner keys (counts only) and staff of the organisations operating every space of the municipality';

export const SpaceFiguresRef = builder.objectRef<TSpaceFiguresParent>('SpaceFigures').implement({
  description:
    '市区町村の拠点の集計 — 拠点の数・定員・貸出中のサテライトオフィスは公開、利用の集計は件数だけで限られた呼び出し元のみ (figures of a municipality’s spaces: directory figures are public; activity figures are counts, for some callers only)',
  fields: (t) => ({
    from: t.field({
      type: 'Date',
      description: '期間の開始日 (first day of the period, Asia/Tokyo)',
      resolve: (figures) => figures.from,
    }),
    to: t.field({
      type: 'Date',
      description: '期間の終了日 — この日を含む (last day of the period, inclusive, Asia/Tokyo)',
      resolve: (figures) => figures.to,
    }),
    spacesByKind: t.field({
      type: [SpaceKindCountRef],
      description:
        '種類ごとの拠点数 — 全種類、0 も含め定義順 (spaces by kind, all statuses: every kind, zero included, in a fixed order)',
      resolve: async (figures, _args, context) =>
        (await directoryOf(context, figures.municipalityCode)).spacesByKind,
    }),
    spacesByStatus: t.field({
      type: [SpaceStatusCountRef],
      description:
        '状態ごとの拠点数 — 全状態、0 も含め定義順 (spaces by status: every status, zero included, in a fixed order)',
      resolve: async (figures, _args, context) =>
        (await directoryOf(context, figures.municipalityCode)).spacesByStatus,
    }),
    totalCapacity: t.int({
      description:
        '営業中の拠点の定員の合計 — 定員未登録の拠点は含まない、現在の値 (summed capacity of the spaces open now; spaces without a capacity add nothing)',
      resolve: async (figures, _args, context) =>
        (await directoryOf(context, figures.municipalityCode)).totalCapacity,
    }),
    satelliteOfficesLet: t.int({
      description:
        '期間中に 1 日でも貸し出されていたサテライトオフィスの部屋数 — 契約数ではなく部屋数 (satellite-office rooms let for at least one day of the period: rooms, not leases — a room let twice counts once)',
      resolve: async (figures, _args, context) =>
        (await satelliteOfficesLoader(context, figures).load(figures.municipalityCode))!.count,
    }),
    checkIns: t.int({
      nullable: true,
      description: `期間中(日本時間の日付)に始まった滞在(チェックイン)の件数。${READERS_JA} (stays begun on a day of the period, Tokyo days; ${READERS_EN})`,
      resolve: async (figures, _args, context) => {
        await assertReadsActivity(context, figures.municipalityCode);
        return (await activityLoader(context, figures).load(figures.municipalityCode))!.checkIns;
      },
    }),
    uniqueVisitors: t.int({
      nullable: true,
      description: `期間中にチェックインした会員の人数 — 削除された会員の滞在は 1 件ごとに不明な 1 人と数える。${READERS_JA} (distinct members among those stays; each stay of an erased member counts as one unknown visitor; ${READERS_EN})`,
      resolve: async (figures, _args, context) => {
        await assertReadsActivity(context, figures.municipalityCode);
        return (await activityLoader(context, figures).load(figures.municipalityCode))!
          .uniqueVisitors;
      },
    }),
    passRedemptionsHosted: t.int({
      nullable: true,
      description: `期間中の日付にこの市区町村の拠点が受け入れたパス利用(コワーキングビザ・共通券)の件数。${READERS_JA} (passes redeemed for a day of the period at the municipality’s spaces; ${READERS_EN})`,
      resolve: async (figures, _args, context) => {
        await assertReadsActivity(context, figures.municipalityCode);
        return (await activityLoader(context, figures).load(figures.municipalityCode))!
          .passRedemptionsHosted;
      },
    }),
  }),
});

builder.prismaObjectField(MunicipalityRef, 'spaceFigures', (t) =>
  t.field({
    type: SpaceFiguresRef,
    // Nullable: a bad period is null plus INVALID_PERIOD here, the municipality still arrives.
    nullable: true,
    description: `拠点の集計 — 期間は日本時間の日付で両端を含み ${PERIOD_MAX_DAYS} 日まで。${PERIOD_EARLIEST}〜${PERIOD_LATEST} の範囲。そうでなければ null と INVALID_PERIOD (figures of the municipality’s spaces over a period of Tokyo days, both ends inclusive, at most ${PERIOD_MAX_DAYS} days, between ${PERIOD_EARLIEST} and ${PERIOD_LATEST}; otherwise null and INVALID_PERIOD)`,
    args: {
      from: t.arg({ type: 'Date', required: true, description: '開始日 (first day)' }),
      to: t.arg({
        type: 'Date',
        required: true,
        description: '終了日 — この日を含む (last day, inclusive)',
      }),
    },
    resolve: (municipality, { from, to }) => {
      assertPeriod({ from, to });
      return { municipalityCode: municipality.code, from, to };
    },
  }),
);
