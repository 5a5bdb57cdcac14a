import type { Event, PrismaClient } from '../generated/prisma/client.js';
import { nextOccurrence } from './recurrence.js';

export type UpcomingEvent = { event: Event; startsAt: Date; spaceIds: string[] };

/**
 * Published events held at any of the given spaces — at a venue in effect, not one awaiting the
 * operator's confirmation — whose next occurrence is at or after `now`, soonest first — in ONE
 * SQL statement for all spaces (venues come along in a LATERAL join), so
 * `Space.upcomingEvents` stays one query per request whatever the number of spaces.
 */
export async function findUpcomingEventsAtSpaces(
  prisma: PrismaClient,
  spaceIds: readonly string[],
  now: Date = new Date(),
): Promise<UpcomingEvent[]> {
  // The SQL only narrows (nextOccurrence below decides with the exact `now`): with `now` cut to
  // the minute and the ids in one order, the same spaces ask Prisma the same request for a
  // minute, and the kit's plan cache answers it instead of the query compiler — which cost
  // 70 % of this call's CPU when every request carried its own millisecond.
  const since = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const rows = await prisma.event.findMany({
    relationLoadStrategy: 'join',
    where: {
      status: 'PUBLISHED',
      // A venue awaiting its operator's say is in no space's calendar.
      venues: { some: { spaceId: { in: [...spaceIds].sort() }, confirmedAt: { not: null } } },
      OR: [
        { startsAt: { gte: since } },
        {
          recurrence: { not: null },
          OR: [{ seriesEndsAt: null }, { seriesEndsAt: { gte: since } }],
        },
      ],
    },
    include: { venues: { where: { confirmedAt: { not: null } }, select: { spaceId: true } } },
  });
  const upcoming: UpcomingEvent[] = [];
  for (const { venues, ...event } of rows) {
    const startsAt = nextOccurrence(event, now);
    if (!startsAt) continue;
    const spaceIds = [
      ...new Set(venues.flatMap((venue) => (venue.spaceId ? [venue.spaceId] : []))),
    ];
    upcoming.push({ event, startsAt, spaceIds });
  }
  return upcoming.sort(
    (a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.event.id.localeCompare(b.event.id),
  );
}
