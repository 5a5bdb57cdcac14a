import { type EventEnvelope, eventSubscription, isEvent, type Subscription } from '@hub/event-bus';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { noteRankingChange } from '../ranking/change-log.js';
import { lockMember } from './lock-member.js';

/** Durable consumer name: also the inbox key, so it must never change once deployed. */
export const REFERRALS_CONSUMER = 'matching-referrals';
/** What it applies — its subscription and the read-model rebuild read the same list. */
export const REFERRAL_EVENT_TYPES = ['members.referral.changed'] as const;

/**
 * Keeps `referral` — each member's referrer and profile visibility — in step with members, for
 * trust (src/read-models/trust.ts). The event holds the member's whole referral state, so the
 * newest wins; erased members are skipped (their row went with the erasure, and a late event
 * must not bring it back). The inbox row and the upsert commit together.
 */
export function referralsSubscription(prisma: PrismaClient): Subscription {
  return eventSubscription({
    db: prisma,
    consumer: REFERRALS_CONSUMER,
    types: [...REFERRAL_EVENT_TYPES],
    handle: applyReferralChanged,
  });
}

export async function applyReferralChanged(
  event: EventEnvelope,
  tx: Prisma.TransactionClient,
): Promise<void> {
  if (!isEvent(event, 'members.referral.changed')) {
    throw new Error(`${REFERRALS_CONSUMER} cannot handle '${event.type}'`);
  }
  const { data } = event;
  await lockMember(tx, data.memberId);
  const before = await tx.referral.findUnique({
    where: { memberId: data.memberId },
    select: { referredById: true },
  });
  const written = await tx.$executeRawUnsafe(
    `INSERT INTO referral (member_id, referred_by_id, profile_visibility, source_event_at,
                           updated_at)
     SELECT $1::uuid, $2::uuid, $3, $4::timestamptz, now()
      WHERE NOT EXISTS (SELECT 1 FROM erased_member WHERE member_id = $1::uuid)
     ON CONFLICT (member_id) DO UPDATE
        SET referred_by_id = EXCLUDED.referred_by_id,
            profile_visibility = EXCLUDED.profile_visibility,
            source_event_at = EXCLUDED.source_event_at,
            updated_at = now()
      WHERE referral.source_event_at <= EXCLUDED.source_event_at`,
    data.memberId,
    data.referredById,
    data.profileVisibility,
    event.occurredAt,
  );
  if (written === 0) return;
  // The member's links changed: to their referrer (old and new) and, with the visibility, to
  // the members they introduced.
  const introduced = await tx.referral.findMany({
    where: { referredById: data.memberId },
    select: { memberId: true },
  });
  await noteRankingChange(tx, [
    data.memberId,
    ...[before?.referredById, data.referredById].filter((id): id is string => !!id),
    ...introduced.map((row) => row.memberId),
  ]);
}
