import {
  activeOn,
  dateColumn,
  isoDate,
  planRank,
  SPACE_MEMBERSHIP_PLANS,
  todayInJapan,
  ZTokyoDate,
} from '@hub/contracts';
import { type CommitContext, commit } from '@hub/event-bus';
import { AppError, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { PassRedemption, PrismaClient } from '../generated/prisma/client.js';
import { redemptionEvent } from './pass-redemption-events.js';

const ZRedeemPass = z.object({ passId: z.uuid(), hostSpaceId: z.uuid(), date: ZTokyoDate });

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days from today (in Japan) to the date. */
function daysAhead(date: string, today: string): number {
  return Math.round((dateColumn(date).getTime() - dateColumn(today).getTime()) / DAY_MS);
}

/** The first and the day after the last of the date's month, as date columns. */
function monthOf(date: string) {
  const first = dateColumn(`${date.slice(0, 7)}-01`);
  const next = new Date(first);
  next.setUTCMonth(next.getUTCMonth() + 1);
  return { gte: first, lt: next };
}

/**
 * Uses a pass at a host space on a day, under the host's terms in the pass's network; each
 * refusal names why with its own code. The pass row is locked for the transaction, so
 * concurrent redemptions of one pass queue up and the month's count is never read stale: the
 * free days can never be over-redeemed (cancelPassRedemption takes the same lock). Announced as
 * `spaces.pass.redeemed`.
 */
export async function redeemPass(
  db: CommitContext<PrismaClient>,
  input: unknown,
  today: string = todayInJapan(),
): Promise<PassRedemption> {
  const { passId, hostSpaceId, date } = parseInput(ZRedeemPass, input);
  return commit(db, async (tx, emit) => {
    // Locks the pass and reads what the checks need in one statement.
    const [pass] = await tx.$queryRaw<
      { networkId: string; memberId: string; validFrom: Date; validUntil: Date }[]
    >`
      SELECT network_id AS "networkId", member_id AS "memberId", valid_from AS "validFrom",
             valid_until AS "validUntil"
      FROM pass WHERE id = ${passId}::uuid FOR UPDATE`;
    if (!pass) {
      throw new AppError('NOT_FOUND', 'パスが見つかりません (no such pass)', { field: 'passId' });
    }
    const terms = await tx.spaceNetworkSite.findUnique({
      where: { networkId_spaceId: { networkId: pass.networkId, spaceId: hostSpaceId } },
    });
    if (!terms) {
      throw new AppError(
        'PASS_HOST_NOT_IN_NETWORK',
        'この拠点はパスのネットワークに入っていません (the host space is not in the pass’s network)',
        { field: 'hostSpaceId' },
      );
    }
    if (date < isoDate(pass.validFrom) || date > isoDate(pass.validUntil)) {
      throw new AppError(
        'PASS_EXPIRED',
        `パスの有効期間 ${isoDate(pass.validFrom)}〜${isoDate(pass.validUntil)} の外です (outside the pass’s validity, ${isoDate(pass.validFrom)} to ${isoDate(pass.validUntil)})`,
        { field: 'date' },
      );
    }
    const ahead = daysAhead(date, today);
    if (ahead < 0 || ahead < terms.noticeDays) {
      throw new AppError(
        'PASS_NOTICE_TOO_SHORT',
        `この拠点は ${terms.noticeDays} 日前までの連絡が必要です (this host needs ${terms.noticeDays} days’ notice; past days cannot be booked)`,
        { field: 'date' },
      );
    }
    // Eligible on that day: a membership of a space in the network, on at least the host's plan.
    const memberships = await tx.spaceMembership.findMany({
      where: {
        memberId: pass.memberId,
        space: { networkSites: { some: { networkId: pass.networkId } } },
        ...activeOn(date),
      },
      select: { plan: true },
    });
    const minimum = planRank(SPACE_MEMBERSHIP_PLANS.valueOf(terms.minimumPlan));
    if (!memberships.some((m) => planRank(SPACE_MEMBERSHIP_PLANS.valueOf(m.plan)) >= minimum)) {
      const plan = SPACE_MEMBERSHIP_PLANS.valueOf(terms.minimumPlan);
      const planJa = SPACE_MEMBERSHIP_PLANS.labels[plan].split(' (')[0];
      throw new AppError(
        'PASS_NOT_ELIGIBLE',
        `この日、ネットワーク内のホーム拠点で「${planJa}」以上の会員資格がありません (no membership of a home space in the network on at least the ${plan} plan that day)`,
        { field: 'passId' },
      );
    }
    // Read under the lock: no other redemption of this pass can commit in between.
    const month = monthOf(date);
    const [usage] = await tx.$queryRaw<{ sameDay: bigint; used: bigint }[]>`
      SELECT count(*) FILTER (WHERE date = ${dateColumn(date)}::date) AS "sameDay",
             count(*) FILTER (WHERE host_space_id = ${hostSpaceId}::uuid
               AND date >= ${month.gte}::date AND date < ${month.lt}::date) AS "used"
      FROM pass_redemption WHERE pass_id = ${passId}::uuid`;
    if (Number(usage!.sameDay) > 0) {
      throw new AppError(
        'PASS_ALREADY_REDEEMED',
        'この日はすでに利用済みです (already used on that day)',
        { field: 'date' },
      );
    }
    const used = Number(usage!.used);
    if (used >= terms.freeDaysPerMonth) {
      throw new AppError(
        'PASS_ALLOWANCE_EXCEEDED',
        `この拠点の今月の無料利用 ${terms.freeDaysPerMonth} 日を使い切っています (the ${terms.freeDaysPerMonth} free days this month at this host are used up)`,
        { field: 'date' },
      );
    }
    const redemption = await tx.passRedemption.create({
      data: { passId, hostSpaceId, date: dateColumn(date) },
    });
    emit(redemptionEvent('spaces.pass.redeemed', redemption, pass));
    return redemption;
  });
}
