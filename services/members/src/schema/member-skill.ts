import { builder } from '../builder.js';
import { findSkill } from '../domain/skill-taxonomy.js';
import { SkillRef } from './skill.js';
import { SkillVerificationEnum } from './skill-verification.js';

export const MemberSkillRef = builder.prismaObject('MemberSkill', {
  description: 'メンバーのスキルとレベル (a member’s skill and level)',
  fields: (t) => ({
    skill: t.field({
      type: SkillRef,
      description: 'スキル (the skill)',
      resolve: (row) => findSkill(row.skillCode)!,
    }),
    level: t.exposeInt('level', { description: 'レベル 1〜5 (level 1–5)' }),
    isVerified: t.exposeBoolean('isVerified', {
      description:
        '研修修了またはコーディネーターにより確認済み (verified by training or a coordinator)',
    }),
    verifiedBy: t.expose('verifiedBy', {
      type: SkillVerificationEnum,
      nullable: true,
      description: '確認方法 (how it was verified)',
    }),
    verifiedAt: t.expose('verifiedAt', {
      type: 'DateTime',
      nullable: true,
      description: '確認日時 (when it was verified)',
    }),
  }),
});
