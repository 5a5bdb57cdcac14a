import { builder } from '../builder.js';

builder.prismaObject('MemberLink', {
  description: 'プロフィールのリンク (a link on a profile)',
  fields: (t) => ({
    label: t.exposeString('label', { description: '表示名 (label)' }),
    url: t.exposeString('url', { description: 'URL (http/https)' }),
  }),
});
