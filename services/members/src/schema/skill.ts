import { builder } from '../builder.js';
import { SKILL_TAXONOMY } from '../domain/skill-taxonomy.js';

export const SkillRef = builder.objectRef<(typeof SKILL_TAXONOMY)[number]>('Skill').implement({
  description: 'スキル分類の項目 (a skill in the taxonomy)',
  fields: (t) => ({
    // The stable code is the skill's identity: clients cache it as Skill:<code>.
    id: t.exposeID('code', { description: 'ID — コードと同じ (the skill code, as an id)' }),
    code: t.exposeString('code', { description: 'コード (stable code)' }),
    nameJa: t.exposeString('nameJa', { description: '名称 (Japanese name)' }),
    nameEn: t.exposeString('nameEn', { description: '英語名 (English name)' }),
    category: t.exposeString('category', { description: '分野 (category)' }),
  }),
});

builder.queryFields((t) => ({
  skills: t.field({
    type: [SkillRef],
    description: 'スキル分類 (the skill taxonomy)',
    resolve: () => [...SKILL_TAXONOMY],
  }),
}));
