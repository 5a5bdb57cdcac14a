import { z } from 'zod';

/**
 * A member's role at an organisation (members owns affiliations); holding any of them is being
 * "registered with" the organisation. Which of them are staff is @hub/identity's STAFF_ROLES.
 */
export const AFFILIATION_ROLES = [
  'worker',
  'staff',
  'coordinator',
  'leader',
  'expert',
  'admin',
  'contact',
] as const;
export const ZAffiliationRole = z.enum(AFFILIATION_ROLES);
export type TAffiliationRole = z.infer<typeof ZAffiliationRole>;

export const AFFILIATION_ROLE_LABELS = {
  worker: '登録ワーカー — センターに登録して仕事を受ける人 (registered worker)',
  staff: 'スタッフ (staff)',
  coordinator: 'コーディネーター (coordinator)',
  leader: 'リーダー — 委託業務を配分する責任者 (leader)',
  expert: '専門家 (expert)',
  admin: '管理者 (admin)',
  contact: '窓口担当 (contact)',
} as const satisfies Record<TAffiliationRole, string>;
