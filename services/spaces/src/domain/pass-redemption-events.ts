import { isoDate } from '@hub/contracts';
import type { EventDraft } from '@hub/event-bus';
import type { PassRedemption } from '../generated/prisma/client.js';

type RedemptionEventType = 'spaces.pass.redeemed' | 'spaces.pass.redemption-cancelled';

/**
 * A redemption as `spaces.pass.*` carry it: ids and the day only. The holder's member id is the
 * one personal fact, for internal consumers that count a member's days.
 */
export function redemptionEvent<K extends RedemptionEventType>(
  type: K,
  redemption: PassRedemption,
  pass: { networkId: string; memberId: string },
): EventDraft<K> {
  return {
    type,
    subject: redemption.id,
    data: {
      redemptionId: redemption.id,
      passId: redemption.passId,
      networkId: pass.networkId,
      memberId: pass.memberId,
      hostSpaceId: redemption.hostSpaceId,
      date: isoDate(redemption.date),
    },
  } as EventDraft<K>;
}
