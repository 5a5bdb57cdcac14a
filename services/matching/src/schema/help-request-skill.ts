import { builder } from '../builder.js';
import type { HelpRequestSkill } from '../generated/prisma/client.js';

export const HelpRequestSkillRef = builder
  .objectRef<HelpRequestSkill>('HelpRequestSkill')
  .implement({
    description:
      '相談に必要なスキルと最低レベル (a skill a help request needs, with the least level)',
    fields: (t) => ({
      code: t.exposeString('code', {
        description: 'スキルコード — members のスキル分類 (skill code of the members taxonomy)',
      }),
      minLevel: t.exposeInt('minLevel', {
        description: '必要な最低レベル 1〜5 (least level, 1..5)',
      }),
    }),
  });

export const HelpRequestSkillInput = builder.inputType('HelpRequestSkillInput', {
  description: '必要なスキル (a skill needed)',
  fields: (t) => ({
    code: t.string({
      required: true,
      maxLength: 64,
      description: 'スキルコード (skill code, e.g. web-design)',
    }),
    minLevel: t.int({
      required: true,
      min: 1,
      max: 5,
      description: '最低レベル 1〜5 (least level)',
    }),
  }),
});
