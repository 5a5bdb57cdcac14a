import { builder } from '../builder.js';
import { HelpRequestVisibility } from '../generated/prisma/client.js';

export const HelpRequestVisibilityEnum = builder.enumType(HelpRequestVisibility, {
  name: 'HelpRequestVisibility',
  description:
    '相談を読める人 — 相談者とハブ管理者はいつでも読める (who may read a help request besides the asker and hub admins)',
  values: {
    ASKER_AND_ADMINS: { description: '相談者とハブ管理者のみ (only the asker and hub admins)' },
    MEMBERS: { description: 'サインインしたメンバー全員 (every signed-in member)' },
  },
});
