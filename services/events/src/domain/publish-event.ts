import { createEvent, writeOutbox } from '@hub/event-bus';
import type { SpeaksFor } from '@hub/service-kit';
import type { Event, EventKind, PrismaClient } from '../generated/prisma/client.js';
import { parsePublishEventInput } from './event-input.js';
import { seriesEnd } from './recurrence.js';

export type PublishEventOptions = {
  /** A fixed id (demo data); new events get a UUID v7. */
  id?: string;
  /**
   * Which named organisers the publisher speaks for: those count at once, the others wait
   * for their admin's confirmation (confirmEventOrganizer) and are not shown publicly.
   */
  speaksFor: SpeaksFor;
};

/**
 * Publishes an event with its venues and writes `events.event.published` to the outbox in the
 * same transaction. The caller kicks the outbox relay after it returns. The event is public
 * under the organisers the publisher speaks for; the others are pending until confirmed (the
 * published event names no organisers, so nothing pending leaves the service).
 */
export async function publishEvent(
  prisma: PrismaClient,
  input: unknown,
  options: PublishEventOptions,
): Promise<Event> {
  const fields = parsePublishEventInput(input);
  const { venues, organizerIds, ...event } = fields;
  const named = organizerIds ?? [];
  return prisma.$transaction(async (tx) => {
    const created = await tx.event.create({
      data: {
        ...event,
        id: options.id,
        status: 'PUBLISHED',
        tags: event.tags ?? [],
        organizerIds: named.filter((id) => options.speaksFor(id)),
        pendingOrganizerIds: named.filter((id) => !options.speaksFor(id)),
        seriesEndsAt: seriesEnd({ ...event, recurrence: event.recurrence ?? null }),
        venues: { create: venues.map((venue, position) => ({ ...venue, position })) },
      },
    });
    await writeOutbox(tx, [
      createEvent('events.event.published', {
        source: 'events',
        subject: created.id,
        data: {
          eventId: created.id,
          title: created.title,
          kind: kindForEvent(created.kind),
          startsAt: created.startsAt.toISOString(),
          venueSpaceIds: venues.flatMap((venue) => (venue.spaceId ? [venue.spaceId] : [])),
        },
      }),
    ]);
    return created;
  });
}

/** Event kinds travel in events as the database spells them (kebab-case). */
export function kindForEvent(kind: EventKind): string {
  return kind.toLowerCase().replaceAll('_', '-');
}
