import { z } from 'zod';

/** What a member is (DESIGN.md §4, members): as events and the databases spell it. */
export const MEMBER_KINDS = [
  'freelancer',
  'small-business',
  'student',
  'founder',
  'teleworker',
  'employee',
] as const;
export const ZMemberKind = z.enum(MEMBER_KINDS);
export type TMemberKind = z.infer<typeof ZMemberKind>;

/** How the hub names each kind to people (schema descriptions). */
export const MEMBER_KIND_LABELS = {
  freelancer: 'フリーランス (freelancer)',
  'small-business': '小規模事業者 (small business)',
  student: '学生 (student)',
  founder: '起業家・起業準備中 (founder)',
  teleworker: 'テレワーカー (teleworker)',
  employee: '会社員 (employee)',
} as const satisfies Record<TMemberKind, string>;
