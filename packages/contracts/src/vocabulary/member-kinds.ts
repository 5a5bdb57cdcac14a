import type { z } from 'zod';
import { defineVocabulary } from './vocabulary.js';

/** What a member is (DESIGN.md §4, members). */
export const MEMBER_KINDS = defineVocabulary({
  freelancer: 'フリーランス (freelancer)',
  'small-business': '小規模事業者 (small business)',
  student: '学生 (student)',
  founder: '起業家・起業準備中 (founder)',
  teleworker: 'テレワーカー (teleworker)',
  employee: '会社員 (employee)',
});
export const ZMemberKind = MEMBER_KINDS.schema;
export type TMemberKind = z.infer<typeof ZMemberKind>;
