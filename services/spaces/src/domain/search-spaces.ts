import { AppError } from '@hub/service-kit';
import type {
  AdmissionPolicy,
  Facility,
  Prisma,
  PrismaClient,
  Space,
  SpaceKind,
  SpaceStatus,
} from '../generated/prisma/client.js';
import type { TNear } from './near-spaces.js';
import type { TStoredHours } from './opening-hours.js';
import { normaliseForSearch } from './search-text.js';
import { type SpacePage, sqlSpaceSearch } from './sql-space-search.js';

export type SpaceFilter = {
  text?: string | null;
  municipalityCode?: string | null;
  prefecture?: string | null;
  kind?: SpaceKind | null;
  status?: SpaceStatus | null;
  facilities?: Facility[] | null;
  admissionPolicy?: AdmissionPolicy | null;
  maxDropInPriceYen?: number | null;
  openAt?: Date | null;
  openNow?: boolean | null;
  near?: TNear | null;
};

/**
 * A search worked out once for the page and its count. Filters Prisma can say stay a Prisma
 * condition (the first page's fast path and Prisma's page query read it); `openAt`/`openNow`
 * and `near` need SQL of their own, so with them the whole search is one SQL statement for the
 * page and one for the count (sql-space-search.ts) — `near` then orders by distance.
 */
export type SpaceSearch = { where: Prisma.SpaceWhereInput; sql?: SpacePage };

export function searchSpaces(
  filter: SpaceFilter | null | undefined,
  now: () => Date = () => new Date(),
): SpaceSearch {
  if (!filter) return { where: {} };
  if (filter.openAt && filter.openNow) {
    throw new AppError(
      'BAD_USER_INPUT',
      'openAt と openNow は同時に指定できません (give openAt or openNow, not both)',
      { field: 'filter.openNow' },
    );
  }
  // search_text is stored normalised the same way, so a plain (case-sensitive) match is right.
  const text = filter.text ? normaliseForSearch(filter.text) : '';
  const openAt = filter.openAt ?? (filter.openNow ? now() : null);
  if (openAt || filter.near) {
    return { where: {}, sql: sqlSpaceSearch({ ...filter, text, openAt, near: filter.near }) };
  }
  const conditions: Prisma.SpaceWhereInput[] = [];
  if (filter.municipalityCode) conditions.push({ municipalityCode: filter.municipalityCode });
  if (filter.prefecture) conditions.push({ municipality: { prefecture: filter.prefecture } });
  if (filter.kind) conditions.push({ kind: filter.kind });
  if (filter.status) conditions.push({ status: filter.status });
  if (filter.facilities?.length) conditions.push({ facilities: { hasEvery: filter.facilities } });
  if (filter.admissionPolicy) conditions.push({ admissionPolicy: filter.admissionPolicy });
  if (filter.maxDropInPriceYen != null) {
    conditions.push({ dropInPriceYen: { lte: filter.maxDropInPriceYen } });
  }
  // Prisma passes `contains` to LIKE without escaping its wildcards: `%` would match everything.
  if (text) conditions.push({ searchText: { contains: text.replace(/[\\%_]/g, '\\$&') } });
  return { where: conditions.length === 0 ? {} : { AND: conditions } };
}

/** Page and count of a search, whichever way it runs. */
export function spacePage(
  prisma: PrismaClient,
  search: SpaceSearch,
  query: Record<string, unknown>,
  viaPrisma: (where: Prisma.SpaceWhereInput) => Promise<Space[]>,
): Promise<Space[]> {
  return search.sql ? search.sql.page(prisma, query) : viaPrisma(search.where);
}

export function storedHoursOf(space: Space): TStoredHours {
  return {
    weeklyHours: space.weeklyHours as TStoredHours['weeklyHours'],
    hoursExceptions: space.hoursExceptions as TStoredHours['hoursExceptions'],
    closedOnHolidays: space.closedOnHolidays,
  };
}

/** The distance a `near` search attached to the row (sql-space-search.ts), or null. */
export function distanceOf(space: Space): number | null {
  return (space as Space & { distanceKm?: number }).distanceKm ?? null;
}
