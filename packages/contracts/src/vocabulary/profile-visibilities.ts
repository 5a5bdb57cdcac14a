import type { z } from 'zod';
import { defineVocabulary } from './vocabulary.js';

/**
 * Who may see a member's profile fields (members' `ProfileVisibility`). It also decides who
 * sees the referral links of the members someone introduced (`members.referral.changed`).
 */
export const PROFILE_VISIBILITIES = defineVocabulary({
  public: '誰でも (anyone)',
  members: 'サインインしたメンバー (signed-in members)',
  staff: '登録先組織のスタッフと本人のみ (staff of the member’s organisations, and the member)',
});
export const ZProfileVisibility = PROFILE_VISIBILITIES.schema;
export type TProfileVisibility = z.infer<typeof ZProfileVisibility>;
