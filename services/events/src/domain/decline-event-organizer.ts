import { AppError } from '@hub/service-kit';
import type { Event, PrismaClient } from '../generated/prisma/client.js';
import {
  lockedEvent,
  notNamedAsOrganizer,
  parseEventOrganizerAnswer,
} from './event-organizer-link.js';

/**
 * The named organisation's admin declines to co-organise the event: the link is removed. It
 * was never shown publicly, so nothing else changes; the event stays published under its
 * confirmed organisers.
 */
export async function declineEventOrganizer(prisma: PrismaClient, input: unknown): Promise<Event> {
  const { eventId, organizationId } = parseEventOrganizerAnswer(input);
  return prisma.$transaction(async (tx) => {
    const event = await lockedEvent(tx, eventId);
    if (event.organizerIds.includes(organizationId)) {
      throw new AppError(
        'CONFLICT',
        'この組織は確認済みの主催組織です — 辞退できるのは確認待ちのものだけです (the organisation is a confirmed organiser; only a pending one can be declined)',
        { field: 'organizationId' },
      );
    }
    if (!event.pendingOrganizerIds.includes(organizationId)) throw notNamedAsOrganizer();
    return tx.event.update({
      where: { id: eventId },
      data: {
        pendingOrganizerIds: event.pendingOrganizerIds.filter((id) => id !== organizationId),
      },
    });
  });
}
