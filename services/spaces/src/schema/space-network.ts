import {
  ConflictError,
  countedList,
  defineConnection,
  defineMutation,
  InvalidInputError,
  NotFoundError,
  requestGroupLoader,
  requestLoader,
} from '@hub/service-kit';
import { builder, type SpacesContext } from '../builder.js';
import { createSpaceNetwork } from '../domain/create-space-network.js';
import { removeSpaceFromNetwork } from '../domain/remove-space-from-network.js';
import { setSpaceNetworkTerms } from '../domain/set-space-network-terms.js';
import { updateSpaceNetwork } from '../domain/update-space-network.js';
import { SpaceRef } from './space.js';
import { SpaceNetworkKindEnum } from './space-network-kind.js';
import {
  SetSpaceNetworkTermsInput,
  SiteTermsInput,
  SpaceNetworkTermsRef,
} from './space-network-terms.js';

// Networks and their terms are directory data: open to anyone, like spaces.

export const SpaceNetworkRef = builder.prismaObject('SpaceNetwork', {
  description:
    '拠点ネットワーク — コワーキングビザ・共通利用券・連携拠点 (a space network: coworking visa, common ticket or linked sites)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'ID (UUID)' }),
    name: t.exposeString('name', { description: '名称 (name)' }),
    nameEn: t.exposeString('nameEn', { nullable: true, description: '英語名 (English name)' }),
    kind: t.expose('kind', { type: SpaceNetworkKindEnum, description: '種類 (kind)' }),
    description: t.exposeString('description', {
      nullable: true,
      description: '説明 (description)',
    }),
    // A handful of spaces per network: a short list, not a connection.
    sites: t.relation('sites', {
      description: '参加拠点と受け入れ条件 (member spaces with their terms)',
      query: { orderBy: [{ createdAt: 'asc' }, { spaceId: 'asc' }] },
    }),
  }),
});

/** Networks by id, one query per request (a pass's network, a site's network). */
export function networkLoader(context: SpacesContext) {
  return requestLoader(context, 'spaceNetworkById', {
    fetch: (ids: readonly string[]) =>
      context.prisma.spaceNetwork.findMany({ where: { id: { in: [...ids] } } }),
    keyOf: (network) => network.id,
  });
}

builder.prismaObjectField(SpaceNetworkTermsRef, 'network', (t) =>
  t.field({
    type: SpaceNetworkRef,
    description: 'ネットワーク (the network)',
    resolve: async (site, _args, context) => (await networkLoader(context).load(site.networkId))!,
  }),
);

// A space belongs to a few networks at most: a short list, one query for every space asked.
builder.prismaObjectField(SpaceRef, 'networks', (t) =>
  t.field({
    type: [SpaceNetworkTermsRef],
    description:
      'この拠点が参加するネットワークと、ここでの受け入れ条件 (networks this space belongs to, with its terms as a host)',
    resolve: (space, _args, context) =>
      requestGroupLoader(context, 'networkSitesBySpace', {
        fetch: (spaceIds: readonly string[]) =>
          context.prisma.spaceNetworkSite.findMany({
            where: { spaceId: { in: [...spaceIds] } },
            orderBy: [{ createdAt: 'asc' }, { networkId: 'asc' }],
          }),
        groupOf: (site) => site.spaceId,
      }).load(space.id),
  }),
);

const SpaceNetworkConnection = defineConnection(builder, SpaceNetworkRef, {
  name: 'SpaceNetworkConnection',
  description: '拠点ネットワークのページ (a page of space networks)',
  edgeDescription: '拠点ネットワークとそのカーソル (a space network with its cursor)',
});

builder.queryFields((t) => ({
  spaceNetwork: t.prismaField({
    type: 'SpaceNetwork',
    nullable: true,
    description: 'ID で拠点ネットワークを取得 (a space network by id)',
    args: { id: t.arg.id({ required: true, description: 'ネットワーク ID (network id)' }) },
    resolve: (query, _root, { id }, context) =>
      context.prisma.spaceNetwork.findUnique({ ...query, where: { id } }),
  }),
  spaceNetworks: t.prismaConnection(
    {
      type: 'SpaceNetwork',
      cursor: 'id',
      description: '拠点ネットワークの一覧 — 名称順 (space networks, by name)',
      ...countedList({
        where: (_args: object) => ({}),
        findMany: (query, context: SpacesContext) =>
          context.prisma.spaceNetwork.findMany({
            ...query,
            orderBy: [{ name: 'asc' }, { id: 'asc' }],
          }),
        count: (where, context: SpacesContext) => context.prisma.spaceNetwork.count({ where }),
      }),
    },
    SpaceNetworkConnection,
  ),
}));

const CreateSpaceNetworkInput = builder.inputType('CreateSpaceNetworkInput', {
  description: '拠点ネットワークの登録内容 (a new space network)',
  fields: (t) => ({
    name: t.string({ required: true, maxLength: 200, description: '名称 (name)' }),
    nameEn: t.string({ required: false, maxLength: 200, description: '英語名 (English name)' }),
    kind: t.field({ type: SpaceNetworkKindEnum, required: true, description: '種類 (kind)' }),
    description: t.string({ required: false, maxLength: 5000, description: '説明 (description)' }),
    sites: t.field({
      type: [SiteTermsInput],
      required: true,
      description: '参加拠点と条件 — 1〜200 (member spaces with their terms, 1–200)',
    }),
  }),
});

defineMutation(builder, 'createSpaceNetwork', {
  description:
    '拠点ネットワークを登録する。ハブ管理者のみ — 複数の運営組織にまたがるため (register a space network. Hub admins only: a network spans several operators)',
  input: { type: CreateSpaceNetworkInput, description: '登録内容 (the new network)' },
  success: {
    field: 'network',
    type: SpaceNetworkRef,
    description: '登録したネットワーク (the new network)',
  },
  errors: [InvalidInputError, NotFoundError],
  authScopes: () => ({ admin: true }),
  resolve: (input, context) => createSpaceNetwork(context, input),
});

// Changing a network is for hub admins, as creating one is: its terms bind several operators.
const NETWORK_EDITORS = () => ({ admin: true });
const NETWORK_PAYLOAD = {
  field: 'network',
  type: SpaceNetworkRef,
  description: '変更後のネットワーク (the network as it now is)',
} as const;

const UpdateSpaceNetworkInput = builder.inputType('UpdateSpaceNetworkInput', {
  description:
    '拠点ネットワークの名称・説明の変更 — 省略した項目はそのまま (changes to a network’s name or description; fields left out stay)',
  fields: (t) => ({
    networkId: t.id({ required: true, description: 'ネットワーク ID (network id)' }),
    name: t.string({ required: false, maxLength: 200, description: '名称 (name)' }),
    nameEn: t.string({ required: false, maxLength: 200, description: '英語名 (English name)' }),
    description: t.string({ required: false, maxLength: 5000, description: '説明 (description)' }),
  }),
});

defineMutation(builder, 'updateSpaceNetwork', {
  description:
    '拠点ネットワークの名称・説明を変更する。ハブ管理者のみ (rename a space network or change its description. Hub admins only)',
  input: { type: UpdateSpaceNetworkInput, description: '変更内容 (the changes)' },
  success: NETWORK_PAYLOAD,
  errors: [InvalidInputError, NotFoundError],
  authScopes: NETWORK_EDITORS,
  resolve: (input, context) => updateSpaceNetwork(context, input),
});

defineMutation(builder, 'setSpaceNetworkTerms', {
  description:
    'ネットワークに拠点を加える、または参加拠点の受け入れ条件を改める。これからの利用に適用され、済んだ利用はそのまま。ハブ管理者のみ (add a space to a network or change a member space’s terms as a host; later uses follow them, past ones stay. Hub admins only)',
  input: { type: SetSpaceNetworkTermsInput, description: '拠点と条件 (the space and its terms)' },
  success: NETWORK_PAYLOAD,
  errors: [InvalidInputError, NotFoundError],
  authScopes: NETWORK_EDITORS,
  resolve: (input, context) => setSpaceNetworkTerms(context, input),
});

const RemoveSpaceFromNetworkInput = builder.inputType('RemoveSpaceFromNetworkInput', {
  description: 'ネットワークから外す拠点 (a space to take out of a network)',
  fields: (t) => ({
    networkId: t.id({ required: true, description: 'ネットワーク ID (network id)' }),
    spaceId: t.id({ required: true, description: '拠点 ID (space id)' }),
  }),
});

defineMutation(builder, 'removeSpaceFromNetwork', {
  description:
    'ネットワークから拠点を外す。以後その拠点ではパスを使えず、その拠点の会員もパスの対象外になる。済んだ利用はそのまま。最後の1拠点は外せない (CONFLICT)。ハブ管理者のみ (take a space out of a network: passes no longer admit anyone there and its members are no longer eligible; past uses stay. The last space cannot be removed (CONFLICT). Hub admins only)',
  input: {
    type: RemoveSpaceFromNetworkInput,
    description: 'ネットワークと拠点 (the network and space)',
  },
  success: NETWORK_PAYLOAD,
  errors: [InvalidInputError, NotFoundError, ConflictError],
  authScopes: NETWORK_EDITORS,
  resolve: (input, context) => removeSpaceFromNetwork(context, input),
});
