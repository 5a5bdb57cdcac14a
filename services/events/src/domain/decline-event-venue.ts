import { createEvent, writeOutbox } from '@hub/event-bus';
import { AppError } from '@hub/service-kit';
import type { Event, PrismaClient } from '../generated/prisma/client.js';
import { lockedVenue, parseEventVenueAnswer } from './event-venue-link.js';

/**
 * The space operator's admin declines a venue at its space: the venue is removed. It was never
 * shown publicly, so the event stays as it was under its other venues — unless it was the
 * last one: an event needs a place, and has no other way to get one, so it is CANCELLED and
 * `events.event.cancelled` written in the same transaction (the caller kicks the relay).
 */
export async function declineEventVenue(
  prisma: PrismaClient,
  input: unknown,
): Promise<{ event: Event; isCancelled: boolean }> {
  const { venueId } = parseEventVenueAnswer(input);
  return prisma.$transaction(async (tx) => {
    const { event, venue } = await lockedVenue(tx, venueId);
    if (venue.confirmedAt !== null) {
      throw new AppError(
        'CONFLICT',
        'この会場は確認済みです — 辞退できるのは確認待ちの会場だけです (the venue is confirmed; only a pending venue can be declined)',
        { field: 'venueId' },
      );
    }
    await tx.eventVenue.delete({ where: { id: venueId } });
    const remaining = await tx.eventVenue.count({ where: { eventId: event.id } });
    if (remaining > 0 || event.status === 'CANCELLED') return { event, isCancelled: false };
    const cancelled = await tx.event.update({
      where: { id: event.id },
      data: { status: 'CANCELLED' },
    });
    await writeOutbox(tx, [
      createEvent('events.event.cancelled', {
        source: 'events',
        subject: event.id,
        data: { eventId: event.id, reason: 'venue-declined' },
      }),
    ]);
    return { event: cancelled, isCancelled: true };
  });
}
