import { assertMunicipalityCode, parseInput } from '@hub/service-kit';
import { z } from 'zod';

export const HELP_REQUEST_MAX_SKILLS = 10;
export const HELP_REQUEST_TITLE_MAX = 200;
export const HELP_REQUEST_DESCRIPTION_MAX = 4000;

export const ZHelpRequestFields = z.object({
  title: z.string().trim().min(1).max(HELP_REQUEST_TITLE_MAX),
  description: z.string().trim().max(HELP_REQUEST_DESCRIPTION_MAX).default(''),
  skills: z
    .array(
      z.object({
        // Codes of members' taxonomy; matching keeps no copy of it, so only the shape is checked.
        code: z
          .string()
          .trim()
          .regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
        minLevel: z.int().min(1).max(5),
      }),
    )
    .min(1)
    .max(HELP_REQUEST_MAX_SKILLS)
    .refine((skills) => new Set(skills.map((s) => s.code)).size === skills.length, {
      message: 'スキルコードが重複しています (skill codes must be unique)',
    }),
  municipalityCode: z.string().nullish(),
  spaceId: z.uuid().nullish(),
  visibleTo: z.enum(['ASKER_AND_ADMINS', 'MEMBERS']).nullish(),
});
export type THelpRequestFields = z.infer<typeof ZHelpRequestFields>;

/** The input checked: shape by zod (BAD_USER_INPUT naming the field), the code's check digit. */
export function parseHelpRequestFields(input: unknown): THelpRequestFields {
  const fields = parseInput(ZHelpRequestFields, input);
  if (fields.municipalityCode != null) {
    assertMunicipalityCode(fields.municipalityCode, 'municipalityCode');
  }
  return fields;
}

/** A help request's row from its checked fields, with the defaults both writers use. */
export function helpRequestData(askerId: string, fields: Omit<THelpRequestFields, 'skills'>) {
  return {
    askerId,
    title: fields.title,
    description: fields.description,
    municipalityCode: fields.municipalityCode ?? null,
    spaceId: fields.spaceId ?? null,
    visibleTo: fields.visibleTo ?? 'ASKER_AND_ADMINS',
  };
}
