import { z } from 'zod';

export const ZWorkerSkill = z.object({ code: z.string().min(1), level: z.int().min(1).max(5) });
export type TWorkerSkill = z.infer<typeof ZWorkerSkill>;

/** One entry per code (the highest level wins), sorted by code: what worker.skills stores. */
export function normalizeSkills(skills: readonly TWorkerSkill[]): TWorkerSkill[] {
  const byCode = new Map<string, number>();
  for (const { code, level } of skills) byCode.set(code, Math.max(level, byCode.get(code) ?? 0));
  return [...byCode]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([code, level]) => ({ code, level }));
}

/** Reads worker.skills; entries that are not {code, level} are skipped rather than failing reads. */
export function readSkills(value: unknown): TWorkerSkill[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => {
    const parsed = ZWorkerSkill.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
}
