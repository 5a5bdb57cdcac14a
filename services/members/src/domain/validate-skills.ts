import { AppError } from '@hub/service-kit';
import { z } from 'zod';
import { findSkill } from './skill-taxonomy.js';

export const SKILL_LEVEL_MIN = 1;
export const SKILL_LEVEL_MAX = 5;

/** Shape only: the taxonomy and the level range get their own error codes below. */
export const ZSkillLevels = z
  .array(z.object({ code: z.string().trim().min(1).max(50), level: z.int() }))
  .max(50);
export type TSkillLevel = z.infer<typeof ZSkillLevels>[number];

/**
 * Checks skills against the taxonomy: unknown code → UNKNOWN_SKILL, level outside 1–5 →
 * SKILL_LEVEL_OUT_OF_RANGE, the same skill twice → BAD_USER_INPUT (each naming the item).
 */
export function assertSkillLevels(skills: readonly TSkillLevel[], field = 'skills'): void {
  const seen = new Set<string>();
  for (const [i, skill] of skills.entries()) {
    if (!findSkill(skill.code)) {
      throw new AppError('UNKNOWN_SKILL', `不明なスキルです: ${skill.code} (unknown skill)`, {
        field: `${field}.${i}.code`,
      });
    }
    if (skill.level < SKILL_LEVEL_MIN || skill.level > SKILL_LEVEL_MAX) {
      throw new AppError(
        'SKILL_LEVEL_OUT_OF_RANGE',
        `スキルのレベルは ${SKILL_LEVEL_MIN}〜${SKILL_LEVEL_MAX} で指定してください: ${skill.code} (level must be ${SKILL_LEVEL_MIN}–${SKILL_LEVEL_MAX})`,
        { field: `${field}.${i}.level` },
      );
    }
    if (seen.has(skill.code)) {
      throw new AppError(
        'BAD_USER_INPUT',
        `スキルが重複しています: ${skill.code} (duplicate skill)`,
        { field: `${field}.${i}.code` },
      );
    }
    seen.add(skill.code);
  }
}
