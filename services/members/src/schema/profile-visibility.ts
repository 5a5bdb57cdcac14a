import { builder } from '../builder.js';
import { ProfileVisibility } from '../generated/prisma/client.js';

export const ProfileVisibilityEnum = builder.enumType(ProfileVisibility, {
  name: 'ProfileVisibility',
  description:
    'プロフィール項目 (自己紹介・志・関心・スキル・リンク・居住地など) の公開範囲 (who may see the profile fields)',
  values: {
    PUBLIC: { description: '誰でも (anyone, including partners and anonymous visitors)' },
    MEMBERS: { description: 'サインインしたメンバー (signed-in members)' },
    STAFF: {
      description:
        '登録先組織のスタッフと本人のみ (staff of the member’s organisations, and the member)',
    },
  },
});
