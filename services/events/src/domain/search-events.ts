import { AppError, assertMunicipalityCode } from '@hub/service-kit';
import type { EventKind, EventStatus, Prisma, PrismaClient } from '../generated/prisma/client.js';
import { occursWithin } from './recurrence.js';

export type EventFilter = {
  from?: Date | null;
  to?: Date | null;
  kind?: EventKind | null;
  tag?: string | null;
  municipalityCode?: string | null;
  status?: EventStatus | null;
};

/** Chronological by first start; id breaks ties (also the connection's cursor). */
export const EVENT_ORDER = [
  { startsAt: 'asc' },
  { id: 'asc' },
] satisfies Prisma.EventOrderByWithRelationInput[];

/**
 * A filter as a Prisma condition. The date window matches an event whose schedule — for a
 * recurring event, from its first start to the end of its last occurrence (open-ended when
 * the rule is) — overlaps [from, to). Only published events unless a status is asked for.
 */
export function eventWhere(filter: EventFilter | null | undefined): Prisma.EventWhereInput {
  const and: Prisma.EventWhereInput[] = [{ status: filter?.status ?? 'PUBLISHED' }];
  if (!filter) return and[0]!;
  if (filter.from && filter.to && filter.from.getTime() >= filter.to.getTime()) {
    throw new AppError(
      'BAD_USER_INPUT',
      '期間の終わりは始まりより後 (filter.to must be after filter.from)',
      {
        field: 'filter.to',
      },
    );
  }
  if (filter.from)
    and.push({ OR: [{ seriesEndsAt: null }, { seriesEndsAt: { gt: filter.from } }] });
  if (filter.to) and.push({ startsAt: { lt: filter.to } });
  if (filter.kind) and.push({ kind: filter.kind });
  if (filter.tag) and.push({ tags: { has: filter.tag.trim() } });
  if (filter.municipalityCode) {
    assertMunicipalityCode(filter.municipalityCode, 'filter.municipalityCode');
    // Only venues in effect: a pending one says nothing public, not even where it is.
    and.push({
      venues: { some: { municipalityCode: filter.municipalityCode, confirmedAt: { not: null } } },
    });
  }
  return { AND: and };
}

export type ListEventsOptions = {
  filter: EventFilter | null | undefined;
  limit: number;
  /** Pothos' selection for the requested fields (include/select). */
  query: object;
};

/**
 * Events matching a filter, at most `limit`. When the window is bounded on both sides, a
 * recurring event must also have an occurrence inside it (a monthly event is not listed for a
 * week it does not meet); rows dropped that way are topped up from the next page.
 */
export async function listEvents(prisma: PrismaClient, options: ListEventsOptions) {
  const { filter, limit, query } = options;
  const where = eventWhere(filter);
  const from = filter?.from;
  const to = filter?.to;
  const page = (skip: number) =>
    prisma.event.findMany({ ...query, where, orderBy: EVENT_ORDER, take: limit, skip });
  if (!from || !to) return page(0);
  const found: Awaited<ReturnType<typeof page>> = [];
  for (let skip = 0; ; skip += limit) {
    const rows = await page(skip);
    found.push(...rows.filter((event) => !event.recurrence || occursWithin(event, from, to)));
    if (rows.length < limit || found.length >= limit) return found.slice(0, limit);
  }
}
