import { SPACE_KINDS, SPACE_STATUSES } from '@hub/contracts';
import { AppError, assertMunicipalityCode, httpUrl, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { Prisma, Space } from '../generated/prisma/client.js';
import { toStoredHours, ZOpeningHoursInput } from './opening-hours.js';
import { spaceSearchText } from './search-text.js';

const FACILITIES = [
  'WIFI',
  'TV_CONFERENCE',
  'PROJECTOR',
  'MEETING_ROOM',
  'BOOTH',
  'LOCKERS',
  'KITCHEN',
  'ACCESS_CONTROL',
  'SHARED_DESKS',
  'COWORKING_AREA',
  'TRAINING_ROOM',
  'SATELLITE_OFFICES',
  'PRINTER',
  'PARKING',
] as const;

/** Fields a space can be created with; updates take any subset. */
export const ZSpaceFields = z.object({
  name: z.string().trim().min(1).max(200),
  nameKana: z.string().trim().max(200).nullish(),
  nameEn: z.string().trim().max(200).nullish(),
  kind: SPACE_KINDS.keySchema,
  status: SPACE_STATUSES.keySchema.optional(),
  municipalityCode: z.string(),
  postalCode: z
    .string()
    .regex(/^\d{3}-?\d{4}$/, '郵便番号は 123-4567 形式 (postal code)')
    .nullish(),
  town: z.string().trim().max(200).nullish(),
  addressLine: z.string().max(300).nullish(),
  building: z.string().max(200).nullish(),
  // Ranges are checked after parsing, as COORDINATES_OUTSIDE_JAPAN (assertInJapan).
  latitude: z.number().nullish(),
  longitude: z.number().nullish(),
  facilities: z.array(z.enum(FACILITIES)).max(FACILITIES.length).optional(),
  capacity: z.number().int().min(0).max(100_000).nullish(),
  admissionPolicy: z.enum(['OPEN_TO_ALL', 'SCREENED_BY_ASPIRATION', 'MEMBERS_ONLY']).optional(),
  // Signs are checked after parsing, as INVALID_PRICE (assertPrices).
  dropInPriceYen: z.number().int().nullish(),
  monthlyPriceYen: z.number().int().nullish(),
  // Shown to other people as images and links: https only (no mixed content, no other schemes).
  photoUrls: z.array(httpsUrl()).max(20).optional(),
  links: z.array(httpsUrl()).max(20).optional(),
  openingHours: ZOpeningHoursInput.nullish(),
  description: z.string().max(5000).nullish(),
  descriptionEn: z.string().max(5000).nullish(),
  houseRules: z.string().max(5000).nullish(),
  websiteUrl: httpUrl().nullish(),
  phone: z
    .string()
    .regex(/^[0-9+\-() ]{6,20}$/, '電話番号の形式 (phone number)')
    .nullish(),
  openedOn: z.string().nullish(),
  operatorId: z.uuid().nullish(),
});
export type TSpaceFields = z.infer<typeof ZSpaceFields>;

function httpsUrl() {
  return httpUrl()
    .max(2048)
    .refine((url) => url.startsWith('https:'), 'https の URL のみ (https URLs only)');
}

/**
 * Parses client input into valid fields, or throws BAD_USER_INPUT, INVALID_MUNICIPALITY_CODE,
 * COORDINATES_OUTSIDE_JAPAN, INVALID_PRICE or INVALID_OPENING_HOURS.
 */
export function parseSpaceFields<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const fields = parseInput(schema, input);
  const parsed = fields as Partial<TSpaceFields>;
  if (parsed.municipalityCode !== undefined) assertMunicipalityCode(parsed.municipalityCode);
  assertInJapan(parsed);
  assertPrices(parsed);
  if (parsed.openingHours) toStoredHours(parsed.openingHours);
  return fields;
}

/** Japan's extent with a margin (Okinotorishima ~20.4°N … Etorofu ~45.6°N, Yonaguni ~122.9°E … Minamitorishima ~154°E). */
const JAPAN = { latitude: [20, 46], longitude: [122, 154] } as const;

function assertInJapan(fields: Partial<TSpaceFields>) {
  for (const axis of ['latitude', 'longitude'] as const) {
    const value = fields[axis];
    const [min, max] = JAPAN[axis];
    if (value != null && !(value >= min && value <= max)) {
      throw new AppError(
        'COORDINATES_OUTSIDE_JAPAN',
        `${axis === 'latitude' ? '緯度' : '経度'} ${value} は日本の範囲 (${min}〜${max}) の外です (${axis} ${value} is outside Japan, ${min}–${max})`,
        { field: axis },
      );
    }
  }
}

function assertPrices(fields: Partial<TSpaceFields>) {
  for (const field of ['dropInPriceYen', 'monthlyPriceYen'] as const) {
    const value = fields[field];
    if (value != null && value < 0) {
      throw new AppError(
        'INVALID_PRICE',
        `料金 ${value} 円は 0 円以上にしてください (price ${value} yen must be 0 or more)`,
        { field },
      );
    }
  }
}

/**
 * Parsed fields → the columns to write: opening hours in their stored form and the search
 * text recomputed from the row as it will be (`existing` on update), so it never goes stale.
 */
export function spaceData(
  fields: Partial<TSpaceFields> & { id?: string },
  existing?: Space,
): Prisma.SpaceUncheckedCreateInput & Prisma.SpaceUncheckedUpdateInput {
  const { openingHours, openedOn, ...columns } = fields;
  const hours =
    openingHours === undefined
      ? undefined
      : toStoredHours(ZOpeningHoursInput.parse(openingHours ?? {}));
  const next = { ...existing, ...columns } as TSpaceFields;
  return {
    ...(columns as Prisma.SpaceUncheckedCreateInput),
    openedOn: toDbDate(openedOn),
    ...(hours && {
      weeklyHours: hours.weeklyHours,
      hoursExceptions: hours.hoursExceptions,
      closedOnHolidays: hours.closedOnHolidays,
    }),
    searchText: spaceSearchText(next),
  };
}

/** Dates arrive as YYYY-MM-DD (validated by the Date scalar) and are stored as UTC midnight. */
export function toDbDate(value: string | null | undefined): Date | null | undefined {
  return value == null ? value : new Date(`${value}T00:00:00Z`);
}
