import { isHubAdmin } from '@hub/identity';
import {
  ConflictError,
  callerSpeaksFor,
  countedList,
  defineConnection,
  defineMutation,
  InvalidInputError,
  NotFoundError,
  requestLoader,
} from '@hub/service-kit';
import { builder, type MembersContext } from '../builder.js';
import { CONFIRMED_MEMBERSHIP } from '../domain/consortium-membership.js';
import { createOrganization } from '../domain/create-organization.js';
import { OrganizationKind, type Prisma } from '../generated/prisma/client.js';
import { callerMemberId } from '../identity/caller.js';

export const OrganizationKindEnum = builder.enumType(OrganizationKind, {
  name: 'OrganizationKind',
  description: '組織の種別 (kind of organization)',
  values: {
    GOVERNMENT_BUREAU: { description: '国の機関 (government bureau)' },
    MUNICIPALITY: { description: '自治体 (municipality)' },
    BANK: { description: '金融機関 (bank)' },
    UNIVERSITY: { description: '大学 (university)' },
    PUBLIC_FINANCE_CORPORATION: { description: '政府系金融機関 (public finance corporation)' },
    COOPERATIVE: { description: '協同組合 (cooperative)' },
    CONSORTIUM: { description: 'コンソーシアム (consortium)' },
    SPACE_OPERATOR: { description: '拠点運営者 (space operator)' },
    CLIENT_COMPANY: { description: '発注企業 (client company)' },
    NONPROFIT: { description: '非営利団体 (nonprofit)' },
  },
});

export const OrganizationRef = builder.prismaObject('Organization', {
  description:
    '組織 — 行政・金融機関・大学・運営者・発注企業・コンソーシアムなど (an organization)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'ID (UUID)' }),
    name: t.exposeString('name', { description: '名称 (name)' }),
    nameKana: t.exposeString('nameKana', { nullable: true, description: '名称かな (kana)' }),
    nameEn: t.exposeString('nameEn', { nullable: true, description: '英語名 (English name)' }),
    kind: t.expose('kind', { type: OrganizationKindEnum, description: '種別 (kind)' }),
    corporateNumber: t.exposeString('corporateNumber', {
      nullable: true,
      description: '法人番号 (corporate number)',
    }),
    description: t.exposeString('description', {
      nullable: true,
      description: '説明 (description)',
    }),
    websiteUrl: t.exposeString('websiteUrl', {
      nullable: true,
      description: 'ウェブサイト (website)',
    }),
  }),
});

// Separate from the object definition: these fields refer back to Organization itself.
builder.prismaObjectFields(OrganizationRef, (t) => ({
  consortia: t.field({
    type: [OrganizationRef],
    description:
      '加盟しているコンソーシアム — 確認済みのもの (consortia this organization belongs to, confirmed memberships only)',
    // Pending memberships are in pendingConsortiumMemberships, for the two sides only.
    select: { memberships: { where: CONFIRMED_MEMBERSHIP, select: { consortium: true } } },
    resolve: (organization) => organization.memberships.map((m) => m.consortium),
  }),
  memberOrganizations: t.field({
    type: [OrganizationRef],
    description:
      'コンソーシアムの構成団体 — 確認済みのもの (for a consortium: its member organizations, confirmed memberships only)',
    select: { consortiumOf: { where: CONFIRMED_MEMBERSHIP, select: { member: true } } },
    resolve: (organization) => organization.consortiumOf.map((m) => m.member),
  }),
}));

export function organizationLoader(context: MembersContext) {
  return requestLoader(context, 'organizationById', {
    fetch: (ids: readonly string[]) =>
      context.prisma.organization.findMany({ where: { id: { in: [...ids] } } }),
    keyOf: (organization) => organization.id,
  });
}

builder.asEntity(OrganizationRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (ref, context) => organizationLoader(context).load(ref.id),
});

const OrganizationFilterInput = builder.inputType('OrganizationFilter', {
  description: '組織の絞り込み (filter for organizations)',
  fields: (t) => ({
    kind: t.field({ type: OrganizationKindEnum, required: false, description: '種別 (kind)' }),
    municipalityCode: t.string({
      required: false,
      description: '市区町村コード (municipality code)',
    }),
    text: t.string({
      required: false,
      maxLength: 200,
      description: '名称の部分一致 (text in the name)',
    }),
  }),
});

const CreateOrganizationInput = builder.inputType('CreateOrganizationInput', {
  description: '組織の登録内容 (a new organization)',
  fields: (t) => ({
    name: t.string({ required: true, maxLength: 200, description: '名称 (name)' }),
    nameKana: t.string({ required: false, maxLength: 200, description: '名称かな (kana)' }),
    nameEn: t.string({ required: false, maxLength: 200, description: '英語名 (English name)' }),
    kind: t.field({ type: OrganizationKindEnum, required: true, description: '種別 (kind)' }),
    municipalityCode: t.string({
      required: false,
      description: '市区町村コード (municipality code)',
    }),
    corporateNumber: t.string({ required: false, description: '法人番号 13桁 (corporate number)' }),
    description: t.string({ required: false, maxLength: 5000, description: '説明 (description)' }),
    websiteUrl: t.string({
      required: false,
      maxLength: 2048,
      description: 'ウェブサイト (website)',
    }),
    memberOrganizationIds: t.idList({
      required: false,
      description:
        'コンソーシアムの構成団体 — 作成者がスタッフでない組織は、その組織の管理者が確認するまで確認待ちで公開されない (consortium members; one you are not staff of stays pending, and unlisted, until its admin confirms)',
    }),
  }),
});

export const OrganizationConnection = defineConnection(builder, OrganizationRef, {
  name: 'OrganizationConnection',
  description: '組織のページ (a page of organizations)',
  edgeDescription: '組織とそのカーソル (an organization with its cursor)',
});

/** Every list of organisations pages in this order; `id` last makes it total, as cursors need. */
const ORGANIZATION_ORDER = [
  { name: 'asc' },
  { id: 'asc' },
] satisfies Prisma.OrganizationOrderByWithRelationInput[];

type TOrganizationFilter = {
  kind?: OrganizationKind | null;
  municipalityCode?: string | null;
  text?: string | null;
};

function organizationWhere(
  filter: TOrganizationFilter | null | undefined,
): Prisma.OrganizationWhereInput {
  return {
    ...(filter?.kind ? { kind: filter.kind } : {}),
    ...(filter?.municipalityCode ? { municipalityCode: filter.municipalityCode } : {}),
    // Prisma passes `contains` into LIKE as is: `%` and `_` typed by a caller are escaped so
    // they match themselves (a search for "%" must not list every organisation).
    ...(filter?.text
      ? {
          name: {
            contains: filter.text.replace(/[\\%_]/g, '\\$&'),
            mode: 'insensitive' as const,
          },
        }
      : {}),
  };
}

builder.queryFields((t) => ({
  organization: t.prismaField({
    type: 'Organization',
    nullable: true,
    description: 'ID で組織を取得 (an organization by id)',
    args: { id: t.arg.id({ required: true, description: '組織 ID (organization id)' }) },
    resolve: (query, _root, { id }, context) =>
      context.prisma.organization.findUnique({ ...query, where: { id } }),
  }),
  organizations: t.prismaConnection(
    {
      type: 'Organization',
      cursor: 'id',
      description: '組織の一覧 — 名称順 (organizations, paged, by name)',
      args: {
        filter: t.arg({
          type: OrganizationFilterInput,
          required: false,
          description: '絞り込み条件 (filter)',
        }),
      },
      ...countedList({
        where: (args: { filter?: TOrganizationFilter | null }) => organizationWhere(args.filter),
        findMany: (query, context: MembersContext) =>
          context.prisma.organization.findMany({ ...query, orderBy: ORGANIZATION_ORDER }),
        count: (where, context: MembersContext) => context.prisma.organization.count({ where }),
      }),
    },
    OrganizationConnection,
  ),
}));

defineMutation(builder, 'createOrganization', {
  description:
    '組織を登録する — ハブ管理者以外の作成者はその ADMIN になる。作成者がスタッフでない構成団体は確認待ち (create an organization; a creator who is not a hub admin becomes its ADMIN; consortium members the creator is not staff of stay pending until their admin confirms)',
  input: { type: CreateOrganizationInput, description: '登録内容 (the new organization)' },
  success: {
    field: 'organization',
    type: OrganizationRef,
    description: '登録した組織 (the new organization)',
  },
  errors: [InvalidInputError, NotFoundError, ConflictError],
  authScopes: () => ({ admin: true, member: true }),
  resolve: (input, context) =>
    createOrganization(
      context,
      { ...input, memberOrganizationIds: input.memberOrganizationIds ?? [] },
      // Hub admins create organisations on others' behalf; a member creates their own.
      {
        adminMemberId: isHubAdmin(context.identity) ? null : callerMemberId(context),
        speaksFor: callerSpeaksFor(context.identity),
      },
    ),
});
