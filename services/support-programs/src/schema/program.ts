import {
  countedList,
  defineConnection,
  defineMutation,
  InvalidInputError,
  requestLoader,
} from '@hub/service-kit';
import { builder, type SupportProgramsContext } from '../builder.js';
import { isAcceptingApplications, publishProgram } from '../domain/publish-program.js';
import { type ProgramFilter, programWhere } from '../domain/search-programs.js';
import { type Prisma, ProgramKind, ProgramStatus } from '../generated/prisma/client.js';

export const ProgramKindEnum = builder.enumType(ProgramKind, {
  name: 'ProgramKind',
  description: '支援メニューの種類 (kind of support program)',
  values: {
    LOAN: { description: '融資 (loan)' },
    SUBSIDY: { description: '補助金・助成金 (subsidy)' },
    EXPERT_DISPATCH: { description: '専門家派遣 (expert dispatch)' },
    CONSULTATION: { description: '相談 (consultation)' },
    TRAINING: { description: '教育研修 (training curriculum)' },
    WELFARE: { description: '福利厚生・補償制度 (welfare / insurance)' },
    SPACE_OPENING_SUPPORT: { description: 'スペース開設・運営支援 (space-opening support)' },
    RELOCATION_SUPPORT: { description: '移住支援 (relocation support)' },
    COMPANY_ATTRACTION_SUPPORT: { description: '企業誘致支援 (company-attraction support)' },
    JOINT_CONTRACTING: { description: '共同受託 (joint contracting)' },
  },
});

export const ProgramStatusEnum = builder.enumType(ProgramStatus, {
  name: 'ProgramStatus',
  description: '支援メニューの状態 (status of a program)',
  values: {
    PUBLISHED: { description: '公開中 (published)' },
    CLOSED: { description: '終了 (closed)' },
  },
});

export const ProgramRef = builder.prismaObject('Program', {
  description:
    '支援メニュー — 融資・補助金・専門家派遣・研修など、支援機関が提供するもの (a support program offered by a provider organization)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'ID (UUID)' }),
    title: t.exposeString('title', { description: '名称 (title, Japanese)' }),
    titleEn: t.exposeString('titleEn', { nullable: true, description: '英語名 (title, English)' }),
    description: t.exposeString('description', {
      nullable: true,
      description: '説明 (description, Japanese)',
    }),
    descriptionEn: t.exposeString('descriptionEn', {
      nullable: true,
      description: '説明 英語 (description, English)',
    }),
    kind: t.expose('kind', { type: ProgramKindEnum, description: '種類 (kind)' }),
    status: t.expose('status', { type: ProgramStatusEnum, description: '状態 (status)' }),
    applicationOpensAt: t.expose('applicationOpensAt', {
      type: 'DateTime',
      nullable: true,
      description: '申込受付開始日時 — null なら随時 (applications open at; null = always open)',
    }),
    applicationClosesAt: t.expose('applicationClosesAt', {
      type: 'DateTime',
      nullable: true,
      description:
        '申込受付終了日時 — null なら期限なし (applications close at; null = no deadline)',
    }),
    isAcceptingApplications: t.boolean({
      description:
        '現在申込を受け付けているか — 公開中かつ受付期間内 (whether applications are taken now: published and inside the window)',
      resolve: (program) => isAcceptingApplications(program),
    }),
    capacity: t.exposeInt('capacity', {
      nullable: true,
      description: '定員・採択予定数 (capacity, people or awards)',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: '登録日時 (created at)' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: '更新日時 (updated at)' }),
  }),
});

export function programLoader(context: SupportProgramsContext) {
  return requestLoader(context, 'programById', {
    fetch: (ids: readonly string[]) =>
      context.prisma.program.findMany({ where: { id: { in: [...ids] } } }),
    keyOf: (program) => program.id,
  });
}

builder.asEntity(ProgramRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (ref, context) => programLoader(context).load(ref.id),
});

const ProgramFilterInput = builder.inputType('ProgramFilter', {
  description: '支援メニューの絞り込み条件 (filter for programs)',
  fields: (t) => ({
    kind: t.field({ type: ProgramKindEnum, required: false, description: '種類 (kind)' }),
    providerId: t.id({ required: false, description: '提供組織 ID (provider Organization id)' }),
    spaceId: t.id({ required: false, description: '実施拠点 ID (Space id)' }),
    status: t.field({ type: ProgramStatusEnum, required: false, description: '状態 (status)' }),
  }),
});

/** One connection type for every list of programs: root `programs`, `Organization.programs`. */
export const ProgramConnection = defineConnection(builder, ProgramRef, {
  name: 'ProgramConnection',
  description: '支援メニューのページ (a page of programs)',
  edgeDescription: 'ページ内の支援メニューとそのカーソル (a program in a page, with its cursor)',
});

/** Root lists page by kind, then title; `id` last makes the order total, as cursors need. */
const PROGRAM_ORDER = [
  { kind: 'asc' },
  { title: 'asc' },
  { id: 'asc' },
] satisfies Prisma.ProgramOrderByWithRelationInput[];

builder.queryFields((t) => ({
  program: t.prismaField({
    type: 'Program',
    nullable: true,
    description: 'ID で支援メニューを取得 (a program by id)',
    args: { id: t.arg.id({ required: true, description: '支援メニュー ID (program id)' }) },
    resolve: (query, _root, { id }, context) =>
      context.prisma.program.findUnique({ ...query, where: { id } }),
  }),
  programs: t.prismaConnection(
    {
      type: 'Program',
      cursor: 'id',
      description:
        '支援メニューの一覧・検索 — 種類・名称順 (programs, searched and paged, by kind and title)',
      args: {
        filter: t.arg({
          type: ProgramFilterInput,
          required: false,
          description: '絞り込み条件 (filter)',
        }),
      },
      // Every program is public: the filter is the whole condition.
      ...countedList({
        where: (args: { filter?: ProgramFilter | null }) => programWhere(args.filter),
        findMany: (query, context: SupportProgramsContext) =>
          context.prisma.program.findMany({ ...query, orderBy: PROGRAM_ORDER }),
        count: (where, context: SupportProgramsContext) => context.prisma.program.count({ where }),
      }),
    },
    ProgramConnection,
  ),
}));

const PublishProgramInput = builder.inputType('PublishProgramInput', {
  description: '公開する支援メニュー (a program to publish)',
  fields: (t) => ({
    title: t.string({
      required: true,
      maxLength: 200,
      description: '名称 (title, 1–200 characters)',
    }),
    titleEn: t.string({ required: false, maxLength: 200, description: '英語名 (English title)' }),
    description: t.string({
      required: false,
      maxLength: 10_000,
      description: '説明 (description)',
    }),
    descriptionEn: t.string({
      required: false,
      maxLength: 10_000,
      description: '説明 英語 (English description)',
    }),
    kind: t.field({ type: ProgramKindEnum, required: true, description: '種類 (kind)' }),
    providerId: t.id({ required: true, description: '提供組織 ID (provider Organization id)' }),
    spaceId: t.id({ required: false, description: '実施拠点 ID (Space id, where it takes place)' }),
    applicationOpensAt: t.field({
      type: 'DateTime',
      required: false,
      description: '申込受付開始 (applications open, ISO 8601 with offset)',
    }),
    applicationClosesAt: t.field({
      type: 'DateTime',
      required: false,
      description: '申込受付終了 (applications close, after they open)',
    }),
    capacity: t.int({ required: false, description: '定員 (capacity, ≥ 1)' }),
  }),
});

defineMutation(builder, 'publishProgram', {
  description:
    '支援メニューを公開する。ハブ管理者、または提供組織 (providerId) のスタッフのみ (publish a program. Hub admins, or staff of the providing organisation)',
  input: { type: PublishProgramInput, description: '公開内容 (the program)' },
  success: {
    field: 'program',
    type: ProgramRef,
    description: '公開した支援メニュー (the program)',
  },
  errors: [InvalidInputError],
  authScopes: (input) => ({ admin: true, staffOf: [input.providerId] }),
  resolve: (input, context) => publishProgram(context, input),
});
