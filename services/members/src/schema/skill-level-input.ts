import { builder } from '../builder.js';

export const SkillLevelInput = builder.inputType('SkillLevelInput', {
  description: 'スキルとレベル (a skill with its level)',
  fields: (t) => ({
    code: t.string({ required: true, maxLength: 50, description: 'スキルコード (skill code)' }),
    level: t.int({ required: true, description: 'レベル 1〜5 (level 1–5)' }),
  }),
});
