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
import { spacesNear, type TNear } from './near-spaces.js';
import { spacesOpenAt } from './open-spaces.js';
import type { TStoredHours } from './opening-hours.js';
import { normaliseForSearch } from './search-text.js';

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

/** What a page query of Pothos' connection holds besides the condition. */
export type PageQuery = { take?: number; skip?: number; cursor?: { id: string } } & Record<
  string,
  unknown
>;

/**
 * A search worked out once for the page and its count: a Prisma condition, and — with `near` —
 * the matching ids nearest first, which then decide the order instead of the name.
 */
export type SpaceSearch = {
  where: Prisma.SpaceWhereInput;
  byDistance?: {
    count: number;
    page: (prisma: PrismaClient, query: PageQuery) => Promise<Space[]>;
  };
};

/** Turns a search filter into its condition (one raw query more for openAt/openNow and near). */
export async function searchSpaces(
  prisma: PrismaClient,
  filter: SpaceFilter | null | undefined,
  now: () => Date = () => new Date(),
): Promise<SpaceSearch> {
  if (!filter) return { where: {} };
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
  const text = filter.text ? normaliseForSearch(filter.text) : '';
  // search_text is stored normalised the same way, so a plain (case-sensitive) contains is right.
  if (text) conditions.push({ searchText: { contains: text } });
  if (filter.openAt && filter.openNow) {
    throw new AppError(
      'BAD_USER_INPUT',
      'openAt と openNow は同時に指定できません (give openAt or openNow, not both)',
      { field: 'filter.openNow' },
    );
  }
  const openAt = filter.openAt ?? (filter.openNow ? now() : null);
  if (openAt) conditions.push({ id: { in: await spacesOpenAt(prisma, openAt) } });
  const where = conditions.length === 0 ? {} : { AND: conditions };
  if (!filter.near) return { where };
  const near = await spacesNear(prisma, filter.near, where);
  return { where, byDistance: near };
}

export function storedHoursOf(space: Space): TStoredHours {
  return {
    weeklyHours: space.weeklyHours as TStoredHours['weeklyHours'],
    hoursExceptions: space.hoursExceptions as TStoredHours['hoursExceptions'],
    closedOnHolidays: space.closedOnHolidays,
  };
}

/** The distance a `near` search attached to the row (near-spaces.ts), or null. */
export function distanceOf(space: Space): number | null {
  return (space as Space & { distanceKm?: number }).distanceKm ?? null;
}
