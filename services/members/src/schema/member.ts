import { isHubAdmin, staffOrganizationIds } from '@hub/identity';
import { assertMunicipalityCode, requestLoader } from '@hub/service-kit';
import {
  memberFieldAuth,
  memberFilterConditions,
  recordPartnerFilterReads,
  sharedStaffOrganizations,
} from '../authorization/access.js';
import type { MemberFilterName } from '../authorization/rules.js';
import { builder, type MembersContext } from '../builder.js';
import {
  assertErasureConfirmation,
  type ERASURE_REASONS,
  eraseMember,
} from '../domain/privacy/erase-member.js';
import { registerMember } from '../domain/register-member.js';
import { setMemberSkills } from '../domain/set-member-skills.js';
import { setProfileVisibility } from '../domain/set-profile-visibility.js';
import { findSkill, SKILL_TAXONOMY } from '../domain/skill-taxonomy.js';
import { updateMemberProfile } from '../domain/update-member-profile.js';
import { verifyMemberSkill } from '../domain/verify-member-skill.js';
import {
  MemberKind,
  type Prisma,
  ProfileVisibility,
  RelocationInterest,
  SkillVerification,
} from '../generated/prisma/client.js';
import { callerMemberId } from '../identity/caller.js';

export const MemberKindEnum = builder.enumType(MemberKind, {
  name: 'MemberKind',
  description: 'メンバーの種別 (kind of member)',
  values: {
    FREELANCER: { description: 'フリーランス (freelancer)' },
    SMALL_BUSINESS: { description: '小規模事業者 (small business)' },
    STUDENT: { description: '学生 (student)' },
    FOUNDER: { description: '起業家・起業準備中 (founder)' },
    TELEWORKER: { description: 'テレワーカー (teleworker)' },
    EMPLOYEE: { description: '会社員 (employee)' },
  },
});

export const RelocationInterestEnum = builder.enumType(RelocationInterest, {
  name: 'RelocationInterest',
  description: '移住への関心 (interest in relocating, U/I-turn)',
  values: {
    NONE: { description: '関心なし (none)' },
    CONSIDERING: { description: '検討中 (considering)' },
    PLANNING: { description: '計画中 (planning)' },
    RELOCATED: { description: '移住済み (relocated)' },
  },
});

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

export const SkillVerificationEnum = builder.enumType(SkillVerification, {
  name: 'SkillVerification',
  description: 'スキルの確認方法 (how a skill was verified)',
  values: {
    TRAINING: { description: '研修の修了 (completed training)' },
    COORDINATOR: { description: 'コーディネーターによる確認 (confirmed by a coordinator)' },
  },
});

export const ErasureReasonEnum = builder.enumType('ErasureReason', {
  description:
    '管理者による消去の理由 — 監査記録に残る (why an admin erased a member; kept in the audit log)',
  values: {
    MEMBER_REQUEST: { description: '本人からの依頼 (the member asked, e.g. at the counter)' },
    RETENTION_ENDED: { description: '保存期間の終了 (retention period ended)' },
    LEGAL_OBLIGATION: { description: '法令・命令による (legal obligation)' },
    DUPLICATE_ACCOUNT: { description: '重複登録 (duplicate registration)' },
    OTHER: { description: 'その他 (other)' },
  } satisfies Record<(typeof ERASURE_REASONS)[number], { description: string }>,
});

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

builder.prismaObject('MemberLink', {
  description: 'プロフィールのリンク (a link on a profile)',
  fields: (t) => ({
    label: t.exposeString('label', { description: '表示名 (label)' }),
    url: t.exposeString('url', { description: 'URL (http/https)' }),
  }),
});

// Field groups (who may read what) come from src/authorization/rules.ts via memberFieldAuth;
// every non-public field is nullable so a refusal is null plus an error at that field.
export const MemberRef = builder.prismaObject('Member', {
  description: 'ハブの利用者 — コワーカー、テレワーカー、運営者、支援者 (a person using the hub)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'ID (UUID)' }),
    displayName: t.exposeString('displayName', { description: '表示名 (display name)' }),
    displayNameKana: t.exposeString('displayNameKana', {
      nullable: true,
      description: '表示名かな (kana)',
    }),
    kind: t.expose('kind', { type: MemberKindEnum, description: '種別 (kind)' }),
    isErased: t.boolean({
      description: '退会済み (アカウント消去済み) か (whether the account was erased)',
      resolve: (member) => member.erasedAt !== null,
    }),
    bio: t.exposeString('bio', {
      nullable: true,
      description: '自己紹介 (bio)',
      ...memberFieldAuth('bio'),
    }),
    aspiration: t.exposeString('aspiration', {
      nullable: true,
      description: '志 — ここでやりたいこと (aspiration)',
      ...memberFieldAuth('aspiration'),
    }),
    interests: t.exposeStringList('interests', {
      nullable: true,
      description: '関心のあること (interests)',
      ...memberFieldAuth('interests'),
    }),
    skills: t.relation('skills', {
      nullable: true,
      description: 'スキル (skills, highest level first)',
      query: { orderBy: [{ level: 'desc' }, { skillCode: 'asc' }] },
      ...memberFieldAuth('skills'),
    }),
    links: t.relation('links', {
      nullable: true,
      description: 'リンク (links)',
      query: { orderBy: { position: 'asc' } },
      ...memberFieldAuth('links'),
    }),
    municipalityCode: t.exposeString('municipalityCode', {
      nullable: true,
      description: '現在の居住・活動市区町村コード (current municipality code)',
      ...memberFieldAuth('municipalityCode'),
    }),
    relocationInterest: t.expose('relocationInterest', {
      type: RelocationInterestEnum,
      nullable: true,
      description: '移住への関心 (relocation interest)',
      ...memberFieldAuth('relocationInterest'),
    }),
    createdAt: t.expose('createdAt', {
      type: 'DateTime',
      nullable: true,
      description: '登録日時 (registered at)',
      ...memberFieldAuth('createdAt'),
    }),
    email: t.string({
      nullable: true,
      description:
        'メールアドレス — アカウントのないメンバーは null (email; null for members without an account)',
      select: { account: { select: { email: true } } },
      ...memberFieldAuth('email'),
      resolve: (member) => member.account?.email ?? null,
    }),
    contactPhone: t.exposeString('contactPhone', {
      nullable: true,
      description: '連絡先電話番号 (contact phone)',
      ...memberFieldAuth('contactPhone'),
    }),
    availableHoursPerWeek: t.exposeInt('availableHoursPerWeek', {
      nullable: true,
      description: '週あたりの稼働可能時間 0〜168 (available hours per week)',
      ...memberFieldAuth('availableHoursPerWeek'),
    }),
    homeMunicipalityCode: t.exposeString('homeMunicipalityCode', {
      nullable: true,
      description: '出身市区町村コード — U/I ターン (home municipality code)',
      ...memberFieldAuth('homeMunicipalityCode'),
    }),
    affiliations: t.relation('affiliations', {
      nullable: true,
      description: '所属の履歴 (affiliation history, newest first)',
      query: { orderBy: [{ startsOn: 'desc' }, { createdAt: 'desc' }] },
      ...memberFieldAuth('affiliations'),
    }),
    careerPath: t.relation('affiliations', {
      nullable: true,
      description:
        '経歴 — すべての所属を古い順に (career path: every affiliation, oldest first, e.g. worker → leader → staff)',
      query: { orderBy: [{ startsOn: 'asc' }, { createdAt: 'asc' }] },
      ...memberFieldAuth('careerPath'),
    }),
    profileVisibility: t.expose('profileVisibility', {
      type: ProfileVisibilityEnum,
      nullable: true,
      description: 'プロフィールの公開範囲の設定 (profile visibility setting)',
      ...memberFieldAuth('profileVisibility'),
    }),
    erasedAt: t.expose('erasedAt', {
      type: 'DateTime',
      nullable: true,
      description: '退会 (消去) 日時 (when the account was erased)',
      ...memberFieldAuth('erasedAt'),
    }),
  }),
});

export function memberLoader(context: MembersContext) {
  return requestLoader(context, 'memberById', {
    fetch: (ids: readonly string[]) =>
      context.prisma.member.findMany({ where: { id: { in: [...ids] } } }),
    keyOf: (member) => member.id,
  });
}

builder.asEntity(MemberRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (ref, context) => memberLoader(context).load(ref.id),
});

const MemberFilterInput = builder.inputType('MemberFilter', {
  description:
    'メンバーの絞り込み — 参照できない項目では絞り込めません (filter for members; a filter only matches members whose field you may read)',
  fields: (t) => ({
    kind: t.field({ type: MemberKindEnum, required: false, description: '種別 (kind)' }),
    municipalityCode: t.string({
      required: false,
      description: '現在の市区町村コード (current municipality code)',
    }),
    skill: t.string({ required: false, maxLength: 50, description: 'スキルコード (skill code)' }),
    relocationInterest: t.field({
      type: RelocationInterestEnum,
      required: false,
      description: '移住への関心 (relocation interest)',
    }),
    homeMunicipalityCode: t.string({
      required: false,
      description: '出身市区町村コード — 個人情報 (home municipality code; personal data)',
    }),
    minAvailableHoursPerWeek: t.int({
      required: false,
      description:
        '週あたり稼働可能時間の下限 — 個人情報 (at least this many hours per week; personal data)',
    }),
  }),
});

type TMemberFilter = {
  kind?: MemberKind | null;
  municipalityCode?: string | null;
  skill?: string | null;
  relocationInterest?: RelocationInterest | null;
  homeMunicipalityCode?: string | null;
  minAvailableHoursPerWeek?: number | null;
};

function usedFilters(filter: TMemberFilter | null | undefined): MemberFilterName[] {
  if (!filter) return [];
  return (Object.keys(filter) as MemberFilterName[]).filter((name) => filter[name] != null);
}

function memberWhere(filter: TMemberFilter | null | undefined): Prisma.MemberWhereInput {
  if (filter?.municipalityCode) assertMunicipalityCode(filter.municipalityCode);
  if (filter?.homeMunicipalityCode) {
    assertMunicipalityCode(filter.homeMunicipalityCode, 'homeMunicipalityCode');
  }
  return {
    ...(filter?.kind ? { kind: filter.kind } : {}),
    ...(filter?.municipalityCode ? { municipalityCode: filter.municipalityCode } : {}),
    ...(filter?.skill ? { skills: { some: { skillCode: filter.skill } } } : {}),
    ...(filter?.relocationInterest ? { relocationInterest: filter.relocationInterest } : {}),
    ...(filter?.homeMunicipalityCode ? { homeMunicipalityCode: filter.homeMunicipalityCode } : {}),
    ...(filter?.minAvailableHoursPerWeek != null
      ? { availableHoursPerWeek: { gte: filter.minAvailableHoursPerWeek } }
      : {}),
  };
}

const SkillLevelInput = builder.inputType('SkillLevelInput', {
  description: 'スキルとレベル (a skill with its level)',
  fields: (t) => ({
    code: t.string({ required: true, maxLength: 50, description: 'スキルコード (skill code)' }),
    level: t.int({ required: true, description: 'レベル 1〜5 (level 1–5)' }),
  }),
});

const MemberLinkInput = builder.inputType('MemberLinkInput', {
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

const RegisterMemberInput = builder.inputType('RegisterMemberInput', {
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

const UpdateProfileInput = builder.inputType('UpdateProfileInput', {
  description:
    'プロフィールの変更 — 省略した項目はそのまま、null で消去 (profile changes: omitted fields stay, null clears)',
  fields: (t) => profileInputFields(t, false),
});

const ErasureReceiptRef = builder
  .objectRef<{ memberId: string; erasedAt: Date }>('ErasureReceipt')
  .implement({
    description: 'アカウント消去の受付 (receipt of an account erasure)',
    fields: (t) => ({
      memberId: t.exposeID('memberId', { description: '消去したメンバーの ID (member id)' }),
      erasedAt: t.expose('erasedAt', { type: 'DateTime', description: '消去日時 (erased at)' }),
    }),
  });

builder.queryFields((t) => ({
  member: t.prismaField({
    type: 'Member',
    nullable: true,
    description: 'ID でメンバーを取得 (a member by id)',
    args: { id: t.arg.id({ required: true, description: 'メンバー ID (member id)' }) },
    resolve: (query, _root, { id }, context) =>
      context.prisma.member.findUnique({ ...query, where: { id } }),
  }),
  members: t.prismaConnection(
    {
      type: 'Member',
      cursor: 'id',
      description:
        'メンバーの一覧 — 退会済みは含まない (members, cursor-paginated; erased excluded)',
      args: {
        filter: t.arg({
          type: MemberFilterInput,
          required: false,
          description: '絞り込み条件 (filter)',
        }),
      },
      resolve: async (query, _root, { filter }, context) => {
        const filters = usedFilters(filter);
        const members = await context.prisma.member.findMany({
          ...query,
          where: {
            AND: [
              { erasedAt: null },
              memberWhere(filter),
              ...(await memberFilterConditions(context, filters)),
            ],
          },
          orderBy: { id: 'asc' },
        });
        await recordPartnerFilterReads(context, members, filters);
        return members;
      },
    },
    { name: 'MemberConnection', description: 'メンバーのページ (a page of members)' },
    { name: 'MemberEdge', description: 'メンバーとそのカーソル (a member with its cursor)' },
  ),
  skills: t.field({
    type: [SkillRef],
    description: 'スキル分類 (the skill taxonomy)',
    resolve: () => [...SKILL_TAXONOMY],
  }),
}));

const kick = (context: MembersContext) => context.relay?.kick();

builder.mutationFields((t) => ({
  registerMember: t.prismaField({
    type: 'Member',
    description:
      'アカウントのないメンバーを登録する — 例: コーディネーターが地域のワーカーを登録 (register a member without an account, e.g. a coordinator registering a local worker)',
    args: {
      input: t.arg({
        type: RegisterMemberInput,
        required: true,
        description: '登録内容 (the new member)',
      }),
    },
    authScopes: (_root, { input }, context) =>
      input.organizationId
        ? { admin: true, staffOf: [input.organizationId] }
        : isHubAdmin(context.identity) || staffOrganizationIds(context.identity).length > 0,
    resolve: async (query, _root, { input }, context) => {
      const { id } = await registerMember(context.prisma, { ...input, skills: input.skills ?? [] });
      kick(context);
      return context.prisma.member.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  updateMyProfile: t.prismaField({
    type: 'Member',
    description: '自分のプロフィールを変更する (change your own profile)',
    args: {
      input: t.arg({
        type: UpdateProfileInput,
        required: true,
        description: '変更内容 (the changes)',
      }),
    },
    authScopes: { member: true },
    resolve: async (query, _root, { input }, context) => {
      const { id } = await updateMemberProfile(context.prisma, callerMemberId(context), input);
      kick(context);
      return context.prisma.member.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  updateMemberProfile: t.prismaField({
    type: 'Member',
    description:
      'メンバーのプロフィールを変更する — ハブ管理者 (change a member’s profile; hub admin)',
    args: {
      memberId: t.arg.id({ required: true, description: 'メンバー ID (member id)' }),
      input: t.arg({
        type: UpdateProfileInput,
        required: true,
        description: '変更内容 (the changes)',
      }),
    },
    authScopes: { admin: true },
    resolve: async (query, _root, { memberId, input }, context) => {
      const { id } = await updateMemberProfile(context.prisma, memberId, input);
      kick(context);
      return context.prisma.member.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  setMySkills: t.prismaField({
    type: 'Member',
    description:
      '自分のスキルを置き換える — レベルを上げたスキルは確認済みでなくなる (replace your skills; a raised level loses its verification)',
    args: {
      skills: t.arg({
        type: [SkillLevelInput],
        required: true,
        description: 'スキルの全体 (all your skills)',
      }),
    },
    authScopes: { member: true },
    resolve: async (query, _root, { skills }, context) => {
      const { id } = await setMemberSkills(context.prisma, callerMemberId(context), skills);
      kick(context);
      return context.prisma.member.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  verifyMemberSkill: t.prismaField({
    type: 'Member',
    description:
      'メンバーのスキルを確認済みにする — ハブ管理者、またはメンバーの登録先組織のスタッフ (mark a member’s skill verified by a coordinator)',
    args: {
      memberId: t.arg.id({ required: true, description: 'メンバー ID (member id)' }),
      skillCode: t.arg.string({
        required: true,
        maxLength: 50,
        description: 'スキルコード (skill code)',
      }),
    },
    authScopes: async (_root, { memberId }, context) => ({
      admin: true,
      staffOf: await sharedStaffOrganizations(context, memberId),
    }),
    resolve: async (query, _root, { memberId, skillCode }, context) => {
      const { id } = await verifyMemberSkill(context.prisma, { memberId, skillCode });
      kick(context);
      return context.prisma.member.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  setProfileVisibility: t.prismaField({
    type: 'Member',
    description: '自分のプロフィールの公開範囲を設定する (set who may see your profile)',
    args: {
      visibility: t.arg({
        type: ProfileVisibilityEnum,
        required: true,
        description: '公開範囲 (visibility)',
      }),
    },
    authScopes: { member: true },
    resolve: (query, _root, { visibility }, context) =>
      setProfileVisibility(context.prisma, callerMemberId(context), visibility).then(({ id }) =>
        context.prisma.member.findUniqueOrThrow({ ...query, where: { id } }),
      ),
  }),
  eraseMyAccount: t.field({
    type: ErasureReceiptRef,
    description:
      '退会してアカウントと個人情報を消去する — 取り消せません (erase your account and personal data; cannot be undone)',
    args: {
      confirmation: t.arg.string({
        required: true,
        description: '確認のため「退会します」または ERASE (type 退会します or ERASE to confirm)',
      }),
    },
    authScopes: { member: true },
    resolve: async (_root, { confirmation }, context) => {
      assertErasureConfirmation(confirmation);
      const receipt = await eraseMember(context.prisma, {
        memberId: callerMemberId(context),
        requestedBy: 'member',
        requestId: context.requestId,
      });
      kick(context);
      return receipt;
    },
  }),
  eraseMember: t.field({
    type: ErasureReceiptRef,
    description:
      'メンバーのアカウントと個人情報を消去する — ハブ管理者 (erase a member’s account and personal data; hub admin)',
    args: {
      memberId: t.arg.id({ required: true, description: 'メンバー ID (member id)' }),
      reason: t.arg({
        type: ErasureReasonEnum,
        required: true,
        description: '理由 — 監査記録に残る (reason; kept in the audit log)',
      }),
    },
    authScopes: { admin: true },
    resolve: async (_root, { memberId, reason }, context) => {
      const receipt = await eraseMember(context.prisma, {
        memberId,
        requestedBy: 'admin',
        actorMemberId: callerMemberId(context),
        reason,
        requestId: context.requestId,
      });
      kick(context);
      return receipt;
    },
  }),
}));
