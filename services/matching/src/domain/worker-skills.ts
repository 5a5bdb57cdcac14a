import { z } from 'zod';

/**
 * A skill as worker.skills stores it. `isVerified`: staff checked the level (members'
 * profile-updated carries it; a registration's skills are never verified yet). Rows written
 * before it was kept read as unverified.
 */
export const ZWorkerSkill = z.object({
  code: z.string().min(1),
  level: z.int().min(1).max(5),
  isVerified: z.boolean().default(false),
});
export type TWorkerSkill = z.infer<typeof ZWorkerSkill>;

/**
 * One entry per code (the highest level wins; verified if an entry at that level is), sorted by
 * code: what worker.skills stores.
 */
export function normalizeSkills(skills: readonly z.input<typeof ZWorkerSkill>[]): TWorkerSkill[] {
  const byCode = new Map<string, TWorkerSkill>();
  for (const { code, level, isVerified = false } of skills) {
    const kept = byCode.get(code);
    if (!kept || level > kept.level) byCode.set(code, { code, level, isVerified });
    else if (level === kept.level && isVerified) kept.isVerified = true;
  }
  return [...byCode.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** Reads worker.skills; entries that are not {code, level} are skipped rather than failing reads. */
export function readSkills(value: unknown): TWorkerSkill[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => {
    const parsed = ZWorkerSkill.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
}
