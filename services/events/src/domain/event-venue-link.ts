import type { SqlClient } from '@hub/event-bus';
import { AppError, isUuid, parseInput, type SpokenFor, speaksForOf } from '@hub/service-kit';
import { z } from 'zod';
import type { Event, EventVenue, Prisma } from '../generated/prisma/client.js';
import type { KnownOperators } from './space-operators.js';

// A venue at a space lists the event in that space's calendar (`Space.upcomingEvents`), in the
// operator's name as much as a co-organiser is: so it is a link naming the space's operator
// (docs/authorization.md, "Links that name another organisation"). It takes effect at once when
// the publisher speaks for the operator, when the space has no operator, or for a hub admin;
// otherwise it is pending — shown only to the event's organisers, the operator's staff and hub
// admins — until the operator's admin confirms it. A space events has not heard of yet fails
// closed: pending, settled when its operator is learnt (events/space-operators.ts).

/** What a new venue stores about its confirmation, decided by who publishes it. */
export function venueConfirmationOnPublish(
  venue: { spaceId?: string | null },
  operators: KnownOperators,
  spokenFor: SpokenFor,
  now: Date,
): { confirmedAt: Date | null; publisherOrganizationIds: string[] } {
  const confirmed = { confirmedAt: now, publisherOrganizationIds: [] };
  // An outside place names no organisation.
  if (venue.spaceId == null || spokenFor === 'all') return confirmed;
  const operatorId = operators.get(venue.spaceId);
  if (operatorId === null) return confirmed;
  if (operatorId !== undefined && speaksForOf(spokenFor)(operatorId)) return confirmed;
  // Kept until the venue is settled: the operator, once learnt or changed, may be one of them.
  return { confirmedAt: null, publisherOrganizationIds: spokenFor.filter(isUuid) };
}

/**
 * The space's operator is now known (or changed): its pending venues take effect where the
 * publisher spoke for it, or everywhere when the space has no operator. The others keep
 * waiting for the operator's admin. Runs under the space's exclusive lock.
 */
export async function settlePendingVenues(
  tx: SqlClient,
  spaceId: string,
  operatorId: string | null,
): Promise<number> {
  return tx.$executeRawUnsafe(
    `UPDATE event_venue SET confirmed_at = now(), publisher_organization_ids = '{}'
      WHERE space_id = $1::uuid AND confirmed_at IS NULL
        AND ($2::uuid IS NULL OR $2::uuid = ANY(publisher_organization_ids))`,
    spaceId,
    operatorId,
  );
}

export const ZEventVenueAnswer = z.object({
  venueId: z.uuid('会場 ID は UUID です (venueId must be a UUID)'),
});

export function parseEventVenueAnswer(input: unknown): { venueId: string } {
  return parseInput(ZEventVenueAnswer, input);
}

/**
 * The venue and its event, both under a row lock (event first, as every writer takes them):
 * two answers at once must not both see the venue pending, and a decline must count the
 * event's remaining venues without another decline removing one meanwhile.
 */
export async function lockedVenue(
  tx: Prisma.TransactionClient,
  venueId: string,
): Promise<{ event: Event; venue: EventVenue }> {
  const notFound = () =>
    new AppError('NOT_FOUND', '会場が見つかりません (venue not found)', { field: 'venueId' });
  const found = await tx.eventVenue.findUnique({
    where: { id: venueId },
    select: { eventId: true },
  });
  if (!found) throw notFound();
  await tx.$queryRaw`SELECT 1 FROM event WHERE id = ${found.eventId}::uuid FOR UPDATE`;
  await tx.$queryRaw`SELECT 1 FROM event_venue WHERE id = ${venueId}::uuid FOR UPDATE`;
  const venue = await tx.eventVenue.findUnique({
    where: { id: venueId },
    include: { event: true },
  });
  if (!venue) throw notFound();
  const { event, ...rest } = venue;
  return { event, venue: rest };
}
