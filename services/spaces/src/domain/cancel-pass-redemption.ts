import { isoDate, todayInJapan } from '@hub/contracts';
import { type CommitContext, commit } from '@hub/event-bus';
import { AppError, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { PassRedemption, PrismaClient } from '../generated/prisma/client.js';
import { redemptionEvent } from './pass-redemption-events.js';

const ZCancelPassRedemption = z.object({ redemptionId: z.uuid() });

export type CancelPassRedemptionOptions = {
  /** Staff of the host's or the home space's operator, or a hub admin: may cancel any day. */
  isStaff: boolean;
  today?: string;
};

const notFound = () =>
  new AppError(
    'PASS_REDEMPTION_NOT_FOUND',
    'パスの利用が見つかりません — 取り消し済みかもしれません (no such pass redemption; it may have been cancelled already)',
    { field: 'redemptionId' },
  );

/**
 * Cancels a day's use of a pass, so the day counts no more against the month's free days at
 * the host. The holder may cancel before the day (PASS_REDEMPTION_TOO_LATE from the day on);
 * staff at any time. The row goes (its record stays in the event): a cancelled day may be
 * booked again. Under the pass's row lock that redeemPass takes, so a redemption never reads a
 * count a cancellation is changing — the allowance holds with both running at once.
 */
export async function cancelPassRedemption(
  db: CommitContext<PrismaClient>,
  input: unknown,
  { isStaff, today = todayInJapan() }: CancelPassRedemptionOptions,
): Promise<PassRedemption> {
  const { redemptionId } = parseInput(ZCancelPassRedemption, input);
  return commit(db, async (tx, emit) => {
    const found = await tx.passRedemption.findUnique({
      where: { id: redemptionId },
      select: { passId: true },
    });
    if (!found) throw notFound();
    const [pass] = await tx.$queryRaw<{ networkId: string; memberId: string }[]>`
      SELECT network_id AS "networkId", member_id AS "memberId"
      FROM pass WHERE id = ${found.passId}::uuid FOR UPDATE`;
    // Read again under the lock: a concurrent cancellation may have taken it meanwhile.
    const redemption = await tx.passRedemption.findUnique({ where: { id: redemptionId } });
    if (!redemption) throw notFound();
    if (!isStaff && isoDate(redemption.date) <= today) {
      throw new AppError(
        'PASS_REDEMPTION_TOO_LATE',
        '利用日の当日以降は本人は取り消せません — 拠点のスタッフに連絡してください (the holder can cancel only before the day; ask the space’s staff)',
        { field: 'redemptionId' },
      );
    }
    await tx.passRedemption.delete({ where: { id: redemptionId } });
    emit(redemptionEvent('spaces.pass.redemption-cancelled', redemption, pass!));
    return redemption;
  });
}
