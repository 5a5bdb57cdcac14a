import { requestLoader } from '@hub/service-kit';
import { builder, type MembersContext } from '../builder.js';
import { registerMember } from '../domain/register-member.js';
import { findSkill, SKILL_TAXONOMY } from '../domain/skill-taxonomy.js';
import { MemberKind } from '../generated/prisma/client.js';

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

export const SkillRef = builder.objectRef<(typeof SKILL_TAXONOMY)[number]>('Skill').implement({
  description: 'スキル分類の項目 (a skill in the taxonomy)',
  fields: (t) => ({
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
  }),
});

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
    bio: t.exposeString('bio', { nullable: true, description: '自己紹介 (bio)' }),
    aspiration: t.exposeString('aspiration', {
      nullable: true,
      description: '志 — ここでやりたいこと (aspiration)',
    }),
    skills: t.relation('skills', {
      description: 'スキル (skills)',
      query: { orderBy: { level: 'desc' } },
    }),
    affiliations: t.relation('affiliations', {
      description: '所属の履歴 (affiliation history, newest first)',
      query: { orderBy: { startsOn: 'desc' } },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: '登録日時 (registered at)' }),
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
  description: 'メンバーの絞り込み (filter for members)',
  fields: (t) => ({
    kind: t.field({ type: MemberKindEnum, required: false, description: '種別 (kind)' }),
    municipalityCode: t.string({
      required: false,
      description: '市区町村コード (municipality code)',
    }),
    skill: t.string({ required: false, description: 'スキルコード (skill code)' }),
  }),
});

const memberWhere = (
  filter:
    | { kind?: MemberKind | null; municipalityCode?: string | null; skill?: string | null }
    | null
    | undefined,
) => ({
  ...(filter?.kind ? { kind: filter.kind } : {}),
  ...(filter?.municipalityCode ? { municipalityCode: filter.municipalityCode } : {}),
  ...(filter?.skill ? { skills: { some: { skillCode: filter.skill } } } : {}),
});

const SkillLevelInput = builder.inputType('SkillLevelInput', {
  description: 'スキルとレベル (a skill with its level)',
  fields: (t) => ({
    code: t.string({ required: true, description: 'スキルコード (skill code)' }),
    level: t.int({ required: true, description: 'レベル 1〜5 (level 1–5)' }),
  }),
});

const RegisterMemberInput = builder.inputType('RegisterMemberInput', {
  description: 'メンバー登録の内容 (a new member)',
  fields: (t) => ({
    displayName: t.string({ required: true, description: '表示名 (display name)' }),
    displayNameKana: t.string({ required: false, description: '表示名かな (kana)' }),
    kind: t.field({ type: MemberKindEnum, required: true, description: '種別 (kind)' }),
    bio: t.string({ required: false, description: '自己紹介 (bio)' }),
    aspiration: t.string({ required: false, description: '志 (aspiration)' }),
    municipalityCode: t.string({
      required: false,
      description: '市区町村コード (municipality code)',
    }),
    skills: t.field({ type: [SkillLevelInput], required: false, description: 'スキル (skills)' }),
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
      maxSize: 200,
      description: 'メンバーの一覧 (members, cursor-paginated)',
      args: {
        filter: t.arg({
          type: MemberFilterInput,
          required: false,
          description: '絞り込み条件 (filter)',
        }),
      },
      resolve: (query, _root, { filter }, context) =>
        context.prisma.member.findMany({
          ...query,
          where: memberWhere(filter),
          orderBy: { id: 'asc' },
        }),
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

builder.mutationFields((t) => ({
  registerMember: t.prismaField({
    type: 'Member',
    description:
      'メンバーを登録する — member.registered を発行 (register a member; publishes member.registered)',
    args: {
      input: t.arg({
        type: RegisterMemberInput,
        required: true,
        description: '登録内容 (the new member)',
      }),
    },
    resolve: async (_query, _root, { input }, context) => {
      const member = await registerMember(context.prisma, { ...input, skills: input.skills ?? [] });
      context.relay?.kick();
      return member;
    },
  }),
}));
