import { z } from 'zod';
import type { WorkCategory } from '../generated/prisma/client.js';

export const WORK_CATEGORIES = [
  'WEB_SITE_BUILDING',
  'DATA_ENTRY',
  'OFFICE_PROCESSING',
  'DESIGN',
  'WRITING',
  'TRANSLATION',
  'PROGRAMMING',
  'VIDEO',
  'OTHER',
] as const satisfies readonly WorkCategory[];

export const MAX_VOLUME = 1_000_000;
export const MAX_RATE_YEN = 100_000_000;
export const MAX_REQUIRED_SKILLS = 20;

/** Codes of the members service's skill taxonomy: lower case, e.g. "data-entry", "c++". */
const SKILL_CODE = /^[a-z0-9][a-z0-9._+#-]*$/;

export const ZRequiredSkill = z.object({
  skillCode: z
    .string()
    .trim()
    .min(1, 'スキルコードを入力してください (skill code must not be empty)')
    .max(64, 'スキルコードは64文字以内です (skill code: at most 64 characters)')
    .regex(
      SKILL_CODE,
      'スキルコードは英小文字・数字・記号 ._+#- です (skill code: lower-case letters, digits, ._+#-)',
    ),
  minimumLevel: z
    .int('最低レベルは整数です (minimum level must be an integer)')
    .min(1, '最低レベルは1〜5です (minimum level must be 1..5)')
    .max(5, '最低レベルは1〜5です (minimum level must be 1..5)'),
});

export const MAX_HOURS_PER_UNIT = 10_000;
export const MIN_HOURS_PER_UNIT = 0.01;
export const MAX_ROLE_COUNT = 100;

export const ASSIGNMENT_ROLES = ['WORKER', 'LEADER', 'REVIEWER'] as const;

/** A role a team order (共同受託) needs filled: how many people, with which skills. */
export const ZTeamRole = z.object({
  role: z.enum(ASSIGNMENT_ROLES),
  count: z
    .int('人数は整数です (count must be an integer)')
    .positive('人数は1以上です (count must be greater than 0)')
    .max(MAX_ROLE_COUNT, `人数は${MAX_ROLE_COUNT}以下です (count: at most ${MAX_ROLE_COUNT})`),
  skillCodes: z
    .array(
      z.string().trim().regex(SKILL_CODE, 'スキルコードが正しくありません (invalid skill code)'),
    )
    .max(MAX_REQUIRED_SKILLS)
    .nullish()
    .transform((value) => value ?? []),
});
export type TTeamRole = z.infer<typeof ZTeamRole>;

/** What defines a work order, whoever creates it (the API or the demo data). */
export const ZWorkOrderFields = z
  .object({
    title: z
      .string()
      .trim()
      .min(1, '件名を入力してください (title must not be empty)')
      .max(200, '件名は200文字以内です (title: at most 200 characters)'),
    description: z
      .string()
      .trim()
      .max(5000, '説明は5000文字以内です (description: at most 5000 characters)')
      .nullish()
      .transform((value) => value || null),
    category: z.enum(WORK_CATEGORIES),
    clientId: z.uuid('発注組織 ID は UUID です (clientId must be a UUID)'),
    receivingCentreId: z
      .uuid('受託センター ID は UUID です (receivingCentreId must be a UUID)')
      .nullish()
      .transform((value) => value ?? null),
    volume: z
      .int('作業量は整数です (volume must be an integer)')
      .positive('作業量は1以上です (volume must be greater than 0)')
      .max(MAX_VOLUME, `作業量は${MAX_VOLUME}以下です (volume: at most ${MAX_VOLUME})`),
    volumeUnit: z.enum(['HOURS', 'UNITS']),
    payModel: z.enum(['HOURLY', 'PER_UNIT', 'FIXED']),
    rate: z
      .int('単価は整数(円)です (rate must be whole yen)')
      .positive('単価は1円以上です (rate must be greater than 0)')
      .max(MAX_RATE_YEN, `単価は${MAX_RATE_YEN}円以下です (rate: at most ${MAX_RATE_YEN} yen)`),
    deadline: z
      .date()
      .nullish()
      .transform((value) => value ?? null),
    requiresOnSite: z
      .boolean()
      .nullish()
      .transform((value) => value ?? false),
    hoursPerUnit: z
      .number('1件あたりの時間は数値です (hoursPerUnit must be a number)')
      // Stored as DECIMAL(7,2) with a > 0 check: anything under a hundredth would round to 0.00
      // there and fail as an internal error, so the smallest value is refused here.
      .min(
        MIN_HOURS_PER_UNIT,
        `1件あたりの時間は${MIN_HOURS_PER_UNIT}以上です (hoursPerUnit: at least ${MIN_HOURS_PER_UNIT})`,
      )
      .max(
        MAX_HOURS_PER_UNIT,
        `1件あたりの時間は${MAX_HOURS_PER_UNIT}以下です (hoursPerUnit: at most ${MAX_HOURS_PER_UNIT})`,
      )
      // zod's multipleOf tolerates float error relative to the value, letting e.g. 1e-7 through:
      // count hundredths instead (within the rounding error of a decimal typed as a float).
      .refine(
        (value) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-6,
        '1件あたりの時間は小数第2位までです (hoursPerUnit: at most 2 decimals)',
      )
      .nullish()
      .transform((value) => value ?? null),
    roles: z
      .array(ZTeamRole)
      .max(ASSIGNMENT_ROLES.length)
      .nullish()
      .transform((value) => value ?? [])
      .refine(
        (roles) => new Set(roles.map((role) => role.role)).size === roles.length,
        '役割は1つずつ指定してください (each role at most once)',
      ),
    requiredSkills: z
      .array(ZRequiredSkill)
      .max(
        MAX_REQUIRED_SKILLS,
        `必要スキルは${MAX_REQUIRED_SKILLS}件までです (at most ${MAX_REQUIRED_SKILLS} skills)`,
      )
      .nullish()
      .transform((value) => value ?? []),
  })
  .superRefine((fields, context) => {
    // An hourly rate is paid per hour of work and a unit rate per unit: the volume must match.
    const expectedUnit = { HOURLY: 'HOURS', PER_UNIT: 'UNITS', FIXED: undefined }[fields.payModel];
    if (expectedUnit && fields.volumeUnit !== expectedUnit) {
      context.addIssue({
        code: 'custom',
        path: ['volumeUnit'],
        message: `${fields.payModel === 'HOURLY' ? '時間単価なら作業量は時間 (HOURLY needs HOURS)' : '出来高単価なら作業量は件数 (PER_UNIT needs UNITS)'}`,
      });
    }
    const seen = new Set<string>();
    fields.requiredSkills.forEach((skill, index) => {
      if (seen.has(skill.skillCode)) {
        context.addIssue({
          code: 'custom',
          path: ['requiredSkills', index, 'skillCode'],
          message: `スキル「${skill.skillCode}」が重複しています (duplicate skill code)`,
        });
      }
      seen.add(skill.skillCode);
    });
  });
export type TWorkOrderFields = z.infer<typeof ZWorkOrderFields>;

/** Event payloads use the lower-case, dashed vocabulary of the database enums. */
export function categoryForEvent(category: WorkCategory): string {
  return category.toLowerCase().replaceAll('_', '-');
}
