import {
  CONSENT_PURPOSES,
  type ConsentPurpose,
  isMember,
  PARTNER_SCOPES,
  type PartnerScope,
} from '@hub/identity';
import {
  countedList,
  defineConnection,
  defineMutation,
  InvalidInputError,
  NotFoundError,
} from '@hub/service-kit';
import { partnershipLoader } from '../authorization/partner-standing.js';
import { builder, type MembersContext } from '../builder.js';
import { keyRefusal } from '../domain/partners/partner-ceiling.js';
import type { ApiKey, Prisma } from '../generated/prisma/client.js';
import {
  API_KEY_ORDER,
  apiKeyOrganizationId,
  createApiKey,
  isApiKeyActive,
  revokeApiKey,
} from '../identity/api-keys.js';

/** `public:read` → `PUBLIC_READ`, `municipal-relocation-support` → `MUNICIPAL_RELOCATION_SUPPORT`. */
const enumName = (value: string) => value.toUpperCase().replace(/[^A-Z0-9]+/g, '_');

function enumValues<T extends string>(values: readonly T[], descriptions: Record<T, string>) {
  return Object.fromEntries(
    values.map((value) => [enumName(value), { value, description: descriptions[value] }]),
  ) as Record<string, { value: T; description: string }>;
}

export const PartnerScopeEnum = builder.enumType('PartnerScope', {
  description: 'パートナー API キーの権限 (what a partner API key may do)',
  values: enumValues<PartnerScope>(PARTNER_SCOPES, {
    'public:read':
      '公開情報の閲覧 — 拠点・イベント・制度・公開プロフィール (public directory data)',
    'statistics:read': '自治体単位の集計値 (aggregated figures for the partner’s municipality)',
    'members:personal:read':
      '利用目的に同意したメンバーの個人データ (personal data of members who consented to the purpose)',
  }),
});

/** Reused by consent fields: the purposes of use a member can consent to. */
export const ConsentPurposeEnum = builder.enumType('ConsentPurpose', {
  description: '個人データの利用目的 (purpose of use of personal data)',
  values: enumValues<ConsentPurpose>(CONSENT_PURPOSES, {
    'municipal-relocation-support':
      '自治体への移住・定住支援のための情報提供 (sharing with partner municipalities for relocation support)',
    'work-matching': '仕事の紹介・マッチング (work introductions and matching)',
    'program-guidance': '支援制度の案内 (support program guidance)',
  }),
});

export const ApiKeyRef = builder.prismaObject('ApiKey', {
  description:
    'パートナー組織の API キー — 秘密の値は作成時に一度だけ表示 (a partner organisation’s API key; the secret is shown once)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'ID (UUID)' }),
    name: t.exposeString('name', { description: '名前 (name)' }),
    prefix: t.exposeString('prefix', {
      description: 'キーの先頭8文字 (hub_ の後) — 見分けるため (first 8 characters after hub_)',
    }),
    scopes: t.field({
      type: [PartnerScopeEnum],
      description: '権限 (scopes)',
      resolve: (key) => key.scopes as PartnerScope[],
    }),
    purpose: t.field({
      type: ConsentPurposeEnum,
      nullable: true,
      description: '個人データの利用目的 (purpose of use of personal data)',
      resolve: (key) => key.purpose as ConsentPurpose | null,
    }),
    rateLimitPerMinute: t.exposeInt('rateLimitPerMinute', {
      description: '1分あたりの上限リクエスト数 (requests allowed per minute)',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: '作成日時 (created at)' }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      nullable: true,
      description: '有効期限 — null は無期限 (expiry; null = none)',
    }),
    revokedAt: t.expose('revokedAt', {
      type: 'DateTime',
      nullable: true,
      description: '失効日時 (revoked at)',
    }),
    lastUsedAt: t.expose('lastUsedAt', {
      type: 'DateTime',
      nullable: true,
      description: '最終利用日時 — 1分単位 (last used at, to the minute)',
    }),
    isActive: t.boolean({
      description:
        '利用可能 — 未失効・期限内で、組織がパートナーかつ範囲内 (usable: not revoked, not expired, and its organisation is a partner whose ceiling covers the key)',
      resolve: async (key, _args, context) =>
        isApiKeyActive(key) &&
        keyRefusal(await partnershipLoader(context).load(key.organizationId), key) === null,
    }),
  }),
});

const IssuedApiKeyRef = builder
  .objectRef<{ apiKey: ApiKey; secret: string }>('IssuedApiKey')
  .implement({
    description: '作成した API キーとその秘密の値 (the new key and its secret)',
    fields: (t) => ({
      apiKey: t.field({
        type: ApiKeyRef,
        description: '作成した API キー (the new key)',
        resolve: (payload) => payload.apiKey,
      }),
      secret: t.exposeString('secret', {
        description:
          'キーの値 hub_… — この応答でのみ表示、保管は呼び出し側で (the key; shown only here)',
      }),
    }),
  });

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  description: 'API キーの作成内容 (a new API key)',
  fields: (t) => ({
    organizationId: t.id({ required: true, description: '組織 ID (organization id)' }),
    name: t.string({
      required: true,
      maxLength: 100,
      description: '名前 — 用途がわかるように (name)',
    }),
    scopes: t.field({
      type: [PartnerScopeEnum],
      required: true,
      description: '権限 (scopes)',
    }),
    purpose: t.field({
      type: ConsentPurposeEnum,
      required: false,
      description:
        '個人データの利用目的 — members:personal:read では必須 (purpose; required with members:personal:read)',
    }),
    expiresAt: t.field({
      type: 'DateTime',
      required: false,
      description: '有効期限 — 省略時は無期限 (expiry; none if omitted)',
    }),
    rateLimitPerMinute: t.int({
      required: false,
      description: '1分あたりの上限 — 既定 600 (requests per minute; default 600)',
    }),
  }),
});

const actorOf = (context: MembersContext) => ({
  memberId: isMember(context.identity) ? context.identity.memberId : null,
  requestId: context.requestId,
});

const ApiKeyConnection = defineConnection(builder, ApiKeyRef, {
  name: 'ApiKeyConnection',
  description: 'API キーのページ (a page of API keys)',
  edgeDescription: 'API キーとそのカーソル (an API key with its cursor)',
});

builder.queryFields((t) => ({
  apiKeys: t.prismaConnection(
    {
      type: 'ApiKey',
      cursor: 'id',
      description: '組織の API キー一覧、新しい順 (an organisation’s API keys, newest first)',
      args: {
        organizationId: t.arg.id({ required: true, description: '組織 ID (organization id)' }),
      },
      authScopes: (_root, { organizationId }) => ({ admin: true, orgAdmin: organizationId }),
      // Whoever may read one key of the organisation may read them all: the argument is the list.
      ...countedList({
        where: ({ organizationId }: { organizationId: string }): Prisma.ApiKeyWhereInput => ({
          organizationId,
        }),
        findMany: (query, context: MembersContext) =>
          context.prisma.apiKey.findMany({ ...query, orderBy: API_KEY_ORDER }),
        count: (where, context: MembersContext) => context.prisma.apiKey.count({ where }),
      }),
    },
    ApiKeyConnection,
  ),
}));

defineMutation(builder, 'createApiKey', {
  description:
    'API キーを作成 — パートナー組織の管理者またはハブ管理者、パートナーの範囲内のみ (NOT_A_PARTNER / OUTSIDE_PARTNER_CEILING は errors[]) (create an API key for a partner organisation, within its ceiling; the organisation’s admin or a hub admin; NOT_A_PARTNER and OUTSIDE_PARTNER_CEILING come in errors[])',
  input: { type: CreateApiKeyInput, description: '作成内容 (the key)' },
  success: {
    field: 'issuedKey',
    type: IssuedApiKeyRef,
    description: '作成したキーと秘密の値 (the new key and its secret)',
  },
  // Input rules (a purpose for personal data, a future expiry); an unknown organisation.
  errors: [InvalidInputError, NotFoundError],
  authScopes: (input) => ({ admin: true, orgAdmin: input.organizationId }),
  resolve: (input, context) => createApiKey(context.prisma, input, actorOf(context)),
});

const RevokeApiKeyInput = builder.inputType('RevokeApiKeyInput', {
  description: '失効させる API キー (the API key to revoke)',
  fields: (t) => ({
    id: t.id({ required: true, description: 'API キー ID (API key id)' }),
  }),
});

defineMutation(builder, 'revokeApiKey', {
  description:
    'API キーを失効 — 失効済みならそのまま (revoke an API key; revoking again changes nothing)',
  input: { type: RevokeApiKeyInput, description: '失効させるキー (the key)' },
  success: { field: 'apiKey', type: ApiKeyRef, description: '失効したキー (the revoked key)' },
  errors: [NotFoundError],
  // The key's organisation decides; an unknown key is only for hub admins to be told about.
  authScopes: async ({ id }, context) => {
    const organizationId = await apiKeyOrganizationId(context.prisma, id);
    return organizationId ? { admin: true, orgAdmin: organizationId } : { admin: true };
  },
  resolve: ({ id }, context) => revokeApiKey(context.prisma, id, actorOf(context)),
});
