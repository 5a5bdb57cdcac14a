import { builder } from '../builder.js';
import { MemberKindEnum } from './member-kind.js';
import { MemberLinkInput } from './member-link-input.js';
import { ProfileVisibilityEnum } from './profile-visibility.js';
import { RelocationInterestEnum } from './relocation-interest.js';
import { SkillLevelInput } from './skill-level-input.js';

type ProfileFieldBuilder = PothosSchemaTypes.InputFieldBuilder<
  PothosSchemaTypes.ExtendDefaultTypes<
    typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never
  >,
  'InputObject'
>;

/**
 * The profile fields a new member is registered with and a profile update may change: one
 * definition, so the two inputs cannot drift. A new member needs a name and a kind.
 */
const profileInputFields = (t: ProfileFieldBuilder, isNew: boolean) => ({
  displayName: t.string({ required: isNew, maxLength: 100, description: '表示名 (display name)' }),
  displayNameKana: t.string({ required: false, maxLength: 100, description: '表示名かな (kana)' }),
  kind: t.field({ type: MemberKindEnum, required: isNew, description: '種別 (kind)' }),
  bio: t.string({ required: false, maxLength: 2000, description: '自己紹介 (bio)' }),
  aspiration: t.string({ required: false, maxLength: 2000, description: '志 (aspiration)' }),
  municipalityCode: t.string({
    required: false,
    description: '現在の市区町村コード (current municipality code)',
  }),
  homeMunicipalityCode: t.string({
    required: false,
    description: '出身市区町村コード (home municipality code)',
  }),
  interests: t.stringList({
    required: false,
    maxLength: 40,
    description: '関心のあること (interests)',
  }),
  availableHoursPerWeek: t.int({
    required: false,
    description: '週あたりの稼働可能時間 0〜168 (available hours per week)',
  }),
  relocationInterest: t.field({
    type: RelocationInterestEnum,
    required: false,
    description: '移住への関心 (relocation interest)',
  }),
  contactPhone: t.string({ required: false, description: '連絡先電話番号 (contact phone)' }),
  links: t.field({
    type: [MemberLinkInput],
    required: false,
    description: isNew
      ? 'リンク (links)'
      : 'リンク — 指定するとすべて置き換え (links; replaces all when given)',
  }),
});

export const RegisterMemberInput = builder.inputType('RegisterMemberInput', {
  description: 'メンバー登録の内容 (a new member)',
  fields: (t) => ({
    ...profileInputFields(t, true),
    profileVisibility: t.field({
      type: ProfileVisibilityEnum,
      required: false,
      description:
        'プロフィールの公開範囲 — 省略時 MEMBERS (profile visibility; MEMBERS if omitted)',
    }),
    skills: t.field({ type: [SkillLevelInput], required: false, description: 'スキル (skills)' }),
    organizationId: t.id({
      required: false,
      description:
        'この組織の登録ワーカーとして登録する (register them as a WORKER of this organization from today)',
    }),
  }),
});

export const UpdateMyProfileInput = builder.inputType('UpdateMyProfileInput', {
  description:
    'プロフィールの変更 — 省略した項目はそのまま、null で消去 (profile changes: omitted fields stay, null clears)',
  fields: (t) => profileInputFields(t, false),
});

export const UpdateMemberProfileInput = builder.inputType('UpdateMemberProfileInput', {
  description:
    'メンバーとプロフィールの変更 — 省略した項目はそのまま、null で消去 (a member and profile changes: omitted fields stay, null clears)',
  fields: (t) => ({
    memberId: t.id({ required: true, description: 'メンバー ID (member id)' }),
    ...profileInputFields(t, false),
  }),
});
