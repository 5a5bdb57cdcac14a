import type { Event, PrismaClient } from '../generated/prisma/client.js';
import { lockedVenue, parseEventVenueAnswer } from './event-venue-link.js';

/**
 * The space operator's admin confirms a venue at its space: from now on the event is listed in
 * the space's `upcomingEvents` and the venue is shown to everyone. Confirming a confirmed
 * venue (or an outside place) changes nothing. No domain event: no consumer keeps venues, and
 * `events.event.published` named only the venues in effect then.
 */
export async function confirmEventVenue(prisma: PrismaClient, input: unknown): Promise<Event> {
  const { venueId } = parseEventVenueAnswer(input);
  return prisma.$transaction(async (tx) => {
    const { event, venue } = await lockedVenue(tx, venueId);
    if (venue.confirmedAt !== null) return event;
    await tx.eventVenue.update({
      where: { id: venueId },
      data: { confirmedAt: new Date(), publisherOrganizationIds: [] },
    });
    return event;
  });
}
