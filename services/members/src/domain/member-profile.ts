import { MEMBER_KINDS } from '@hub/contracts';
import { assertMunicipalityCode } from '@hub/service-kit';
import { z } from 'zod';

export const RELOCATION_INTERESTS = ['NONE', 'CONSIDERING', 'PLANNING', 'RELOCATED'] as const;
export const PROFILE_VISIBILITIES = ['PUBLIC', 'MEMBERS', 'STAFF'] as const;
export type TProfileVisibility = (typeof PROFILE_VISIBILITIES)[number];

export const HOURS_PER_WEEK_MAX = 168;
export const LINKS_MAX = 10;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

// A link is rendered as a clickable anchor for other members: anything but http(s) (javascript:,
// data:, file:) would be an attack on whoever clicks it.
export const ZMemberLink = z.object({
  label: z.string().trim().min(1).max(50),
  url: z
    .string()
    .trim()
    .max(2048)
    .refine(isHttpUrl, 'http または https の URL を指定してください (URL must use http or https)'),
});

// An emptied text box means "no value": store null, not '', so "has a bio" stays one check.
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((value) => (value === '' ? null : value))
    .nullish();

// Digits with the usual separators; enough to reject text pasted into the wrong box.
const PHONE = /^\+?[0-9][0-9 ()-]{5,19}$/;

/**
 * What a member says about themself. Every key is optional: in an update, absent means
 * "unchanged" and null means "clear" (displayName and kind cannot be cleared).
 */
export const ZProfileFields = z.object({
  displayName: z.string().trim().min(1).max(100),
  displayNameKana: optionalText(100),
  kind: MEMBER_KINDS.keySchema,
  bio: optionalText(2000),
  aspiration: optionalText(2000),
  municipalityCode: optionalText(20),
  homeMunicipalityCode: optionalText(20),
  interests: z.array(z.string().trim().min(1).max(40)).max(20).nullish(),
  availableHoursPerWeek: z.int().min(0).max(HOURS_PER_WEEK_MAX).nullish(),
  relocationInterest: z.enum(RELOCATION_INTERESTS).nullish(),
  contactPhone: z
    .string()
    .trim()
    .regex(PHONE, '電話番号の形式が正しくありません (invalid phone number)')
    .nullish(),
  links: z.array(ZMemberLink).max(LINKS_MAX).nullish(),
});
export type TProfileFields = z.infer<typeof ZProfileFields>;

/** Municipality codes carry a check digit; a wrong one is INVALID_MUNICIPALITY_CODE, not BAD_USER_INPUT. */
export function assertProfileCodes(fields: Partial<TProfileFields>): void {
  if (fields.municipalityCode != null) assertMunicipalityCode(fields.municipalityCode);
  if (fields.homeMunicipalityCode != null) {
    assertMunicipalityCode(fields.homeMunicipalityCode, 'homeMunicipalityCode');
  }
}

/** Interests as stored: trimmed, each once, in the order given. */
export function normaliseInterests(interests: readonly string[] | null | undefined): string[] {
  return [...new Set(interests ?? [])];
}
