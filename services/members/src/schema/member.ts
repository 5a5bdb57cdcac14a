import { isHubAdmin, isPartner, staffOrganizationIds } from '@hub/identity';
import {
  assertMunicipalityCode,
  countedList,
  defineConnection,
  defineMutation,
  InvalidInputError,
  NotFoundError,
  requestLoader,
} from '@hub/service-kit';
import {
  memberFieldAuth,
  memberFilterConditions,
  recordPartnerFilterReads,
  sharedStaffOrganizations,
} from '../authorization/access.js';
import type { MemberFilterName } from '../authorization/rules.js';
import { builder, type MembersContext } from '../builder.js';
import { CALLER } from '../domain/member-guard.js';
import { registerMember } from '../domain/register-member.js';
import { setMemberSkills } from '../domain/set-member-skills.js';
import { setProfileVisibility } from '../domain/set-profile-visibility.js';
import { updateMemberProfile } from '../domain/update-member-profile.js';
import { verifyMemberSkill } from '../domain/verify-member-skill.js';
import type { MemberKind, Prisma, RelocationInterest } from '../generated/prisma/client.js';
import { callerMemberId } from '../identity/caller.js';
import { MemberKindEnum } from './member-kind.js';
import {
  RegisterMemberInput,
  UpdateMemberProfileInput,
  UpdateMyProfileInput,
} from './profile-input.js';
import { ProfileVisibilityEnum } from './profile-visibility.js';
import { RelocationInterestEnum } from './relocation-interest.js';
import { SkillLevelInput } from './skill-level-input.js';

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

/** The members list's condition, and the filters it used (a partner's are audited). */
type MemberListCondition = { where: Prisma.MemberWhereInput; filters: MemberFilterName[] };

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

/** One page of members: the root list and a member's referrals. */
export const MemberConnection = defineConnection(builder, MemberRef, {
  name: 'MemberConnection',
  description: 'メンバーのページ (a page of members)',
  edgeDescription: 'メンバーとそのカーソル (a member with its cursor)',
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
      ...countedList({
        where: async (
          { filter }: { filter?: TMemberFilter | null },
          context: MembersContext,
        ): Promise<MemberListCondition> => {
          const filters = usedFilters(filter);
          const conditions = await memberFilterConditions(context, filters);
          return {
            filters,
            where: { AND: [{ erasedAt: null }, memberWhere(filter), ...conditions] },
          };
        },
        findMany: async ({ where: { where, filters }, ...query }, context: MembersContext) => {
          const members = await context.prisma.member.findMany({
            ...query,
            where,
            orderBy: { id: 'asc' },
          });
          await recordPartnerFilterReads(context, members, filters);
          return members;
        },
        count: async ({ where, filters }, context: MembersContext) => {
          // A partner's filtered count tells, of every member counted, that the filtered field
          // matched: it is logged like the page would be (the condition already keeps it to
          // members whose field the partner may read).
          if (!isPartner(context.identity) || filters.length === 0) {
            return context.prisma.member.count({ where });
          }
          const counted = await context.prisma.member.findMany({
            where,
            select: { id: true, profileVisibility: true },
          });
          await recordPartnerFilterReads(context, counted, filters);
          return counted.length;
        },
      }),
    },
    MemberConnection,
  ),
}));

// Every mutation that answers with the member lives here, beside its type.
const MEMBER_SUCCESS = { field: 'member', type: MemberRef } as const;

defineMutation(builder, 'registerMember', {
  description:
    'アカウントのないメンバーを登録する — 例: コーディネーターが地域のワーカーを登録 (register a member without an account, e.g. a coordinator registering a local worker)',
  input: { type: RegisterMemberInput, description: '登録内容 (the new member)' },
  success: { ...MEMBER_SUCCESS, description: '登録したメンバー (the new member)' },
  errors: [InvalidInputError, NotFoundError],
  authScopes: (input, context) =>
    input.organizationId
      ? { admin: true, staffOf: [input.organizationId] }
      : isHubAdmin(context.identity) || staffOrganizationIds(context.identity).length > 0,
  resolve: (input, context) => registerMember(context, { ...input, skills: input.skills ?? [] }),
});

defineMutation(builder, 'updateMyProfile', {
  description: '自分のプロフィールを変更する (change your own profile)',
  input: { type: UpdateMyProfileInput, description: '変更内容 (the changes)' },
  success: { ...MEMBER_SUCCESS, description: '変更後の自分 (your profile as changed)' },
  errors: [InvalidInputError, NotFoundError],
  authScopes: () => ({ member: true }),
  resolve: (input, context) => updateMemberProfile(context, callerMemberId(context), input, CALLER),
});

defineMutation(builder, 'updateMemberProfile', {
  description:
    'メンバーのプロフィールを変更する — ハブ管理者 (change a member’s profile; hub admin)',
  input: {
    type: UpdateMemberProfileInput,
    description: 'メンバーと変更内容 (the member and the changes)',
  },
  success: { ...MEMBER_SUCCESS, description: '変更後のメンバー (the member as changed)' },
  errors: [InvalidInputError, NotFoundError],
  authScopes: () => ({ admin: true }),
  resolve: ({ memberId, ...changes }, context) => updateMemberProfile(context, memberId, changes),
});

const SetMySkillsInput = builder.inputType('SetMySkillsInput', {
  description: '自分のスキルの全体 (all your skills)',
  fields: (t) => ({
    skills: t.field({
      type: [SkillLevelInput],
      required: true,
      description: 'スキルの全体 — これで置き換え (all your skills; they replace the current ones)',
    }),
  }),
});

defineMutation(builder, 'setMySkills', {
  description:
    '自分のスキルを置き換える — レベルを上げたスキルは確認済みでなくなる (replace your skills; a raised level loses its verification)',
  input: { type: SetMySkillsInput, description: 'スキルの全体 (all your skills)' },
  success: { ...MEMBER_SUCCESS, description: '変更後の自分 (your profile as changed)' },
  errors: [InvalidInputError, NotFoundError],
  authScopes: () => ({ member: true }),
  resolve: ({ skills }, context) => setMemberSkills(context, callerMemberId(context), skills),
});

const VerifyMemberSkillInput = builder.inputType('VerifyMemberSkillInput', {
  description: '確認するメンバーのスキル (the member’s skill to verify)',
  fields: (t) => ({
    memberId: t.id({ required: true, description: 'メンバー ID (member id)' }),
    skillCode: t.string({
      required: true,
      maxLength: 50,
      description: 'スキルコード (skill code)',
    }),
  }),
});

defineMutation(builder, 'verifyMemberSkill', {
  description:
    'メンバーのスキルを確認済みにする — ハブ管理者、またはメンバーの登録先組織のスタッフ (mark a member’s skill verified by a coordinator)',
  input: {
    type: VerifyMemberSkillInput,
    description: 'メンバーとスキル (the member and the skill)',
  },
  success: { ...MEMBER_SUCCESS, description: '変更後のメンバー (the member as changed)' },
  errors: [NotFoundError],
  authScopes: async (input, context) => ({
    admin: true,
    staffOf: await sharedStaffOrganizations(context, input.memberId),
  }),
  resolve: (input, context) => verifyMemberSkill(context, input),
});

const SetProfileVisibilityInput = builder.inputType('SetProfileVisibilityInput', {
  description: 'プロフィールの公開範囲 (who may see your profile)',
  fields: (t) => ({
    visibility: t.field({
      type: ProfileVisibilityEnum,
      required: true,
      description: '公開範囲 (visibility)',
    }),
  }),
});

defineMutation(builder, 'setProfileVisibility', {
  description: '自分のプロフィールの公開範囲を設定する (set who may see your profile)',
  input: { type: SetProfileVisibilityInput, description: '公開範囲 (visibility)' },
  success: { ...MEMBER_SUCCESS, description: '変更後の自分 (your profile as changed)' },
  errors: [InvalidInputError, NotFoundError],
  authScopes: () => ({ member: true }),
  resolve: ({ visibility }, context) =>
    setProfileVisibility(context, callerMemberId(context), visibility),
});
