/**
 * The skills the hub knows, practical for telework (the documents' work categories first).
 * Codes are stable identifiers shared with matching through events.
 */
export const SKILL_TAXONOMY = [
  { code: 'web-building', nameJa: 'Webサイト構築', nameEn: 'Website building', category: 'web' },
  { code: 'design', nameJa: 'デザイン', nameEn: 'Design', category: 'creative' },
  { code: 'data-entry', nameJa: 'データ入力', nameEn: 'Data entry', category: 'office' },
  {
    code: 'office-processing',
    nameJa: '事務処理',
    nameEn: 'Office processing',
    category: 'office',
  },
  { code: 'accounting', nameJa: '経理・会計', nameEn: 'Accounting', category: 'office' },
  { code: 'translation', nameJa: '翻訳', nameEn: 'Translation', category: 'language' },
  { code: 'writing', nameJa: 'ライティング', nameEn: 'Writing', category: 'language' },
  { code: 'programming', nameJa: 'プログラミング', nameEn: 'Programming', category: 'engineering' },
  { code: 'video', nameJa: '動画制作', nameEn: 'Video production', category: 'creative' },
  { code: 'marketing', nameJa: 'マーケティング', nameEn: 'Marketing', category: 'business' },
] as const;

export type SkillCode = (typeof SKILL_TAXONOMY)[number]['code'];
const byCode = new Map<string, (typeof SKILL_TAXONOMY)[number]>(
  SKILL_TAXONOMY.map((s) => [s.code, s]),
);

export function findSkill(code: string) {
  return byCode.get(code) ?? null;
}
