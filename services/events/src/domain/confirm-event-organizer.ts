import type { Event, PrismaClient } from '../generated/prisma/client.js';
import {
  lockedEvent,
  notNamedAsOrganizer,
  parseEventOrganizerAnswer,
} from './event-organizer-link.js';

/**
 * The named organisation's admin confirms that it co-organises the event: from now on it is
 * shown as an organiser, in `Organization.events` too. Confirming a confirmed organiser
 * changes nothing. No domain event: `events.event.published` carries no organisers, and no
 * consumer keeps them.
 */
export async function confirmEventOrganizer(prisma: PrismaClient, input: unknown): Promise<Event> {
  const { eventId, organizationId } = parseEventOrganizerAnswer(input);
  return prisma.$transaction(async (tx) => {
    const event = await lockedEvent(tx, eventId);
    if (event.organizerIds.includes(organizationId)) return event;
    if (!event.pendingOrganizerIds.includes(organizationId)) throw notNamedAsOrganizer();
    return tx.event.update({
      where: { id: eventId },
      data: {
        organizerIds: [...event.organizerIds, organizationId],
        pendingOrganizerIds: event.pendingOrganizerIds.filter((id) => id !== organizationId),
      },
    });
  });
}
