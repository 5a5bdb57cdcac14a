import {
  hubAuthScopes,
  PERIOD_EARLIEST,
  PERIOD_LATEST,
  PERIOD_MAX_DAYS,
  requestLoader,
  unauthorizedError,
} from '@hub/service-kit';
import { callerStaffOrganizationIds } from '../authorization/worker-access.js';
import { builder, type MatchingContext } from '../builder.js';
import {
  orderFigures,
  periodKey,
  type TPeriod,
  type TWorkerFigures,
  workerFigures,
} from '../domain/work-figures.js';

export type TWorkFiguresParent = TPeriod & { municipalityCode: string };

// One statement a group for every municipality of the request; the period is in the loader's
// name, so two periods in one request (aliases) are two batches, never mixed.
const orderLoader = (context: MatchingContext, period: TPeriod) =>
  requestLoader(context, `municipalityOrderFigures:${periodKey(period)}`, {
    fetch: (codes: readonly string[]) => orderFigures(context.prisma, codes, period),
    keyOf: (figures) => figures.municipalityCode,
  });

const workerLoader = (context: MatchingContext, period: TPeriod) =>
  requestLoader(context, `municipalityWorkerFigures:${periodKey(period)}`, {
    fetch: (codes: readonly string[]) => workerFigures(context.prisma, codes, period),
    keyOf: (figures) => figures.municipalityCode,
  });

const ordersOf = async (context: MatchingContext, figures: TWorkFiguresParent) =>
  (await orderLoader(context, figures).load(figures.municipalityCode))!;

/**
 * Who reads the figures derived from assignments (personal data of the workers), which must
 * reveal no more than the caller may read otherwise (docs/authorization.md, assignments):
 * - hub admins read every assignment; partner keys read assignments as counts, never people;
 * - staff of a receiving organisation read the assignments of the orders it receives and
 *   nothing of anyone else's — so only where every assignment counted is on an order received
 *   by an organisation they are staff of (spaces' rule for its activity figures, in matching's
 *   terms). Were another organisation's work among them, the total minus their own would be
 *   that organisation's figures. With nothing counted there is nothing of theirs to read
 *   either, as spaces decided for a municipality without their spaces.
 * Anyone else: UNAUTHENTICATED / FORBIDDEN at the field, the other figures still arrive.
 */
async function workerFiguresFor(
  context: MatchingContext,
  figures: TWorkFiguresParent,
): Promise<TWorkerFigures> {
  const { identity } = context;
  if (identity?.kind !== 'partner' && !hubAuthScopes(context).admin) {
    if (identity?.kind !== 'member') throw unauthorizedError(context);
    const staffOf = new Set(callerStaffOrganizationIds(context));
    if (staffOf.size === 0) throw unauthorizedError(context);
    const { centreIds } = (await workerLoader(context, figures).load(figures.municipalityCode))!;
    const isAllTheirs =
      centreIds.length > 0 && centreIds.every((id) => id !== null && staffOf.has(id));
    if (!isAllTheirs) throw unauthorizedError(context);
  }
  return (await workerLoader(context, figures).load(figures.municipalityCode))!;
}

// Said in both descriptions of the figures from assignments, Japanese and English.
const READERS_JA =
  '閲覧できるのはハブ管理者・パートナー(件数のみ)・数えた割当の発注をすべて受託する組織のスタッフ';
const READERS_EN =
  'readers: hub admins, partner keys (counts only) and staff of the organisations receiving every order whose assignments are counted';

export const WorkFiguresRef = builder.objectRef<TWorkFiguresParent>('WorkFigures').implement({
  description:
    '市区町村の仕事の集計 — 発注の件数と量は公開、割当に基づく人数と報酬は限られた呼び出し元のみ (figures of work in a municipality: order counts and volumes are public; figures from assignments are for some callers only)',
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
    ordersPosted: t.int({
      description:
        '期間中(日本時間の日付)に発注された、発注元がこの市区町村にある発注の件数 — 関係組織が確認済みで下書きでないもの。取消済みも含み、再委託分は含まない (orders placed on a day of the period, Tokyo days, by a client located in the municipality: confirmed by every organisation they name and not drafts; cancelled ones included, delegated shares not)',
      resolve: async (figures, _args, context) => (await ordersOf(context, figures)).ordersPosted,
    }),
    ordersReceived: t.int({
      description:
        '期間中に発注された、受託組織がこの市区町村にある発注の件数 — 発注元から直接のものと再委託されたもの (orders placed in the period whose receiving organisation is located in the municipality: from clients and delegated shares alike)',
      resolve: async (figures, _args, context) => (await ordersOf(context, figures)).ordersReceived,
    }),
    volumeHours: t.float({
      description:
        'ordersPosted の発注の量(時間) — 単位数の発注は 1 単位あたりの時間(未設定なら 1 時間)で換算 (the volume of the orders counted in ordersPosted, in hours: units × hoursPerUnit, 1 hour a unit when not stated)',
      resolve: async (figures, _args, context) => (await ordersOf(context, figures)).volumeHours,
    }),
    delegatedVolumeHours: t.float({
      description:
        '期間中にこの市区町村の組織へ再委託された量(時間、換算は volumeHours と同じ) (the volume delegated in the period to organisations located in the municipality, in hours as volumeHours)',
      resolve: async (figures, _args, context) =>
        (await ordersOf(context, figures)).delegatedVolumeHours,
    }),
    activeWorkers: t.int({
      nullable: true,
      description: `この市区町村のワーカー(現在の居住地)のうち、期間中に承諾・作業中・完了の割当があった人数 — 削除された会員は数えない。${READERS_JA} (workers of the municipality — where they live now — with an assignment accepted, in progress or done during the period; erased members are nobody to count; ${READERS_EN})`,
      resolve: async (figures, _args, context) =>
        (await workerFiguresFor(context, figures)).activeWorkers,
    }),
    payDeliveredYen: t.float({
      nullable: true,
      description: `期間中に完了した、この市区町村のワーカーの割当の報酬(円) — 時給・単価制は納品量×単価、固定報酬は発注の量に対する納品量の割合で按分し円未満切り捨て。削除された会員の完了分も含む。${READERS_JA} (pay for the work of the municipality’s workers completed in the period, in whole yen: delivered volume × rate for HOURLY and PER_UNIT; for FIXED the fee pro rata by delivered volume over the order’s volume, rounded down per assignment; erased members’ delivered work included; ${READERS_EN})`,
      resolve: async (figures, _args, context) =>
        (await workerFiguresFor(context, figures)).payDeliveredYen,
    }),
  }),
});

export const WORK_FIGURES_DESCRIPTION = `仕事の集計 — 期間は日本時間の日付で両端を含み ${PERIOD_MAX_DAYS} 日まで。${PERIOD_EARLIEST}〜${PERIOD_LATEST} の範囲。そうでなければ null と INVALID_PERIOD (figures of work in the municipality over a period of Tokyo days, both ends inclusive, at most ${PERIOD_MAX_DAYS} days, between ${PERIOD_EARLIEST} and ${PERIOD_LATEST}; otherwise null and INVALID_PERIOD)`;
