import { type CommitContext, commit } from '@hub/event-bus';
import { type SpokenFor, speaksForOf } from '@hub/service-kit';
import type { Event, EventKind, PrismaClient } from '../generated/prisma/client.js';
import { parsePublishEventInput } from './event-input.js';
import { venueConfirmationOnPublish } from './event-venue-link.js';
import { seriesEnd } from './recurrence.js';
import { knownOperators } from './space-operators.js';

export type PublishEventOptions = {
  /** A fixed id (demo data); new events get a UUID v7. */
  id?: string;
  /**
   * Whom the publisher speaks for. Named organisers and space operators it speaks for count at
   * once; the others wait for their admin's confirmation (confirmEventOrganizer,
   * confirmEventVenue) and are not shown publicly.
   */
  spokenFor: SpokenFor;
};

/**
 * Publishes an event with its venues and announces it (`events.event.published`) in one
 * commit. The event is public
 * under the organisers the publisher speaks for, and at the venues whose space's operator it
 * speaks for (or that have none); the others are pending until confirmed. The published event
 * names no organisers and only the venues in effect, so nothing pending leaves the service.
 */
export async function publishEvent(
  db: CommitContext<PrismaClient>,
  input: unknown,
  options: PublishEventOptions,
): Promise<Event> {
  const fields = parsePublishEventInput(input);
  const { venues, organizerIds, ...event } = fields;
  const named = organizerIds ?? [];
  const speaksFor = speaksForOf(options.spokenFor);
  return commit(db, async (tx, emit) => {
    const operators = await knownOperators(
      tx,
      venues.flatMap((venue) => (venue.spaceId ? [venue.spaceId] : [])),
    );
    const now = new Date();
    const venueRows = venues.map((venue, position) => ({
      ...venue,
      position,
      ...venueConfirmationOnPublish(venue, operators, options.spokenFor, now),
    }));
    const created = await tx.event.create({
      data: {
        ...event,
        id: options.id,
        status: 'PUBLISHED',
        tags: event.tags ?? [],
        organizerIds: named.filter((id) => speaksFor(id)),
        pendingOrganizerIds: named.filter((id) => !speaksFor(id)),
        seriesEndsAt: seriesEnd({ ...event, recurrence: event.recurrence ?? null }),
        venues: { create: venueRows },
      },
    });
    emit('events.event.published', {
      subject: created.id,
      data: {
        eventId: created.id,
        title: created.title,
        kind: kindForEvent(created.kind),
        startsAt: created.startsAt.toISOString(),
        venueSpaceIds: venueRows.flatMap((venue) =>
          venue.spaceId && venue.confirmedAt ? [venue.spaceId] : [],
        ),
      },
    });
    return created;
  });
}

/** Event kinds travel in events as the database spells them (kebab-case). */
export function kindForEvent(kind: EventKind): string {
  return kind.toLowerCase().replaceAll('_', '-');
}
