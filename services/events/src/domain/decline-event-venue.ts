import { type CommitContext, commit } from '@hub/event-bus';
import { AppError } from '@hub/service-kit';
import type { Event, PrismaClient } from '../generated/prisma/client.js';
import { lockedVenue, parseEventVenueAnswer } from './event-venue-link.js';

/**
 * The space operator's admin declines a venue at its space: the venue is removed. It was never
 * shown publicly, so the event stays as it was under its other venues — unless it was the
 * last one: an event needs a place, and has no other way to get one, so it is CANCELLED and
 * `events.event.cancelled` announced in the same commit.
 */
export async function declineEventVenue(
  db: CommitContext<PrismaClient>,
  input: unknown,
): Promise<Event> {
  const { venueId } = parseEventVenueAnswer(input);
  return commit(db, async (tx, emit) => {
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
    if (remaining > 0 || event.status === 'CANCELLED') return event;
    const cancelled = await tx.event.update({
      where: { id: event.id },
      data: { status: 'CANCELLED' },
    });
    emit('events.event.cancelled', {
      subject: event.id,
      data: { eventId: event.id, reason: 'venue-declined' },
    });
    return cancelled;
  });
}
