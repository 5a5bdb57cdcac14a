import type { z } from 'zod';
import { defineVocabulary } from './vocabulary.js';

/**
 * A member's role at an organisation (members owns affiliations); holding any of them is being
 * "registered with" the organisation. Which of them are staff is @hub/identity's STAFF_ROLES.
 */
export const AFFILIATION_ROLES = defineVocabulary({
  worker: '登録ワーカー — センターに登録して仕事を受ける人 (registered worker)',
  staff: 'スタッフ (staff)',
  coordinator: 'コーディネーター (coordinator)',
  leader: 'リーダー — 委託業務を配分する責任者 (leader)',
  expert: '専門家 (expert)',
  admin: '管理者 (admin)',
  contact: '窓口担当 (contact)',
});
export const ZAffiliationRole = AFFILIATION_ROLES.schema;
export type TAffiliationRole = z.infer<typeof ZAffiliationRole>;
