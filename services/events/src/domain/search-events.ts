import { AppError, assertMunicipalityCode } from '@hub/service-kit';
import type { EventKind, EventStatus, Prisma } from '../generated/prisma/client.js';

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
