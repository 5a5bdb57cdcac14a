import { builder } from '../builder.js';

export const MemberLinkInput = builder.inputType('MemberLinkInput', {
  description: 'プロフィールのリンク (a profile link)',
  fields: (t) => ({
    label: t.string({ required: true, maxLength: 50, description: '表示名 (label)' }),
    url: t.string({
      required: true,
      maxLength: 2048,
      description: 'URL — http/https のみ (http or https only)',
    }),
  }),
});
