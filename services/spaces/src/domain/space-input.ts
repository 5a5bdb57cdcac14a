import { SPACE_KINDS, SPACE_STATUSES } from '@hub/contracts';
import { assertMunicipalityCode, httpUrl, parseInput } from '@hub/service-kit';
import { z } from 'zod';

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
  addressLine: z.string().max(300).nullish(),
  building: z.string().max(200).nullish(),
  latitude: z.number().min(-90).max(90).nullish(),
  longitude: z.number().min(-180).max(180).nullish(),
  facilities: z.array(z.enum(FACILITIES)).max(FACILITIES.length).optional(),
  capacity: z.number().int().min(0).max(100_000).nullish(),
  admissionPolicy: z.enum(['OPEN_TO_ALL', 'SCREENED_BY_ASPIRATION']).optional(),
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

/** Parses client input into valid fields, or throws BAD_USER_INPUT / INVALID_MUNICIPALITY_CODE. */
export function parseSpaceFields<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const fields = parseInput(schema, input);
  const code = (fields as { municipalityCode?: string }).municipalityCode;
  if (code !== undefined) assertMunicipalityCode(code);
  return fields;
}

/** Dates arrive as YYYY-MM-DD (validated by the Date scalar) and are stored as UTC midnight. */
export function toDbDate(value: string | null | undefined): Date | null | undefined {
  return value == null ? value : new Date(`${value}T00:00:00Z`);
}
