import { SPACE_KINDS, SPACE_STATUSES } from '@hub/contracts';
import {
  ConflictError,
  countedList,
  defineConnection,
  defineMutation,
  graphqlEnumValues,
  InvalidInputError,
  NotFoundError,
  requestLoader,
} from '@hub/service-kit';
import { builder, type InputFields, type SpacesContext } from '../builder.js';
import { createSpace } from '../domain/create-space.js';
import { firstPageOfSpaces } from '../domain/first-page-of-spaces.js';
import { listedHours } from '../domain/opening-hours.js';
import {
  distanceOf,
  type SpaceFilter,
  searchSpaces,
  spacePage,
  storedHoursOf,
} from '../domain/search-spaces.js';
import { updateSpace } from '../domain/update-space.js';
import { AdmissionPolicy, Facility, type Prisma } from '../generated/prisma/client.js';
import { OpeningHoursRef } from './opening-hours.js';
import { OpeningHoursInput } from './opening-hours-input.js';

// Built from the shared vocabulary, as events spell it (@hub/contracts).
export const SpaceKindEnum = builder.enumType('SpaceKind', {
  description: '拠点の種類 (kind of space)',
  values: graphqlEnumValues(SPACE_KINDS),
});

export const SpaceStatusEnum = builder.enumType('SpaceStatus', {
  description: '拠点の状態 (status of a space)',
  values: graphqlEnumValues(SPACE_STATUSES),
});

export const AdmissionPolicyEnum = builder.enumType(AdmissionPolicy, {
  name: 'AdmissionPolicy',
  description: '入会方針 (admission policy)',
  values: {
    OPEN_TO_ALL: { description: '誰でも利用可 (open to all)' },
    SCREENED_BY_ASPIRATION: { description: '志・目的による審査あり (screened by aspiration)' },
    MEMBERS_ONLY: { description: '会員のみ (members only)' },
  },
});

export const FacilityEnum = builder.enumType(Facility, {
  name: 'Facility',
  description: '設備 (facility)',
  values: {
    WIFI: { description: 'Wi-Fi' },
    TV_CONFERENCE: { description: 'テレビ会議 (TV conference)' },
    PROJECTOR: { description: 'プロジェクター (projector)' },
    MEETING_ROOM: { description: '会議室 (meeting room)' },
    BOOTH: { description: '個室ブース (booth)' },
    LOCKERS: { description: 'ロッカー (lockers)' },
    KITCHEN: { description: 'キッチン (kitchen)' },
    ACCESS_CONTROL: { description: '入退室管理 (access control)' },
    SHARED_DESKS: { description: '共有デスク (shared desks)' },
    COWORKING_AREA: { description: 'コワーキングエリア (coworking area)' },
    TRAINING_ROOM: { description: '研修室 (training room)' },
    SATELLITE_OFFICES: { description: 'サテライトオフィス区画 (satellite office units)' },
    PRINTER: { description: '複合機 (printer)' },
    PARKING: { description: '駐車場 (parking)' },
  },
});

export const SpaceRef = builder.prismaObject('Space', {
  description:
    'コワーキングスペース・テレワークセンター・サテライトオフィスなどの拠点 (a coworking space, telework centre or satellite office)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'ID (UUID)' }),
    name: t.exposeString('name', { description: '名称 (name, Japanese)' }),
    nameKana: t.exposeString('nameKana', {
      nullable: true,
      description: '名称かな (name in kana)',
    }),
    nameEn: t.exposeString('nameEn', { nullable: true, description: '英語名 (English name)' }),
    kind: t.expose('kind', { type: SpaceKindEnum, description: '種類 (kind)' }),
    status: t.expose('status', { type: SpaceStatusEnum, description: '状態 (status)' }),
    municipality: t.relation('municipality', { description: '所在市区町村 (municipality)' }),
    postalCode: t.exposeString('postalCode', {
      nullable: true,
      description: '郵便番号 (postal code)',
    }),
    town: t.exposeString('town', {
      nullable: true,
      description: '町字 (town and chōme, after the municipality)',
    }),
    addressLine: t.exposeString('addressLine', {
      nullable: true,
      description: '番地以下 (block and house number, after the town)',
    }),
    building: t.exposeString('building', {
      nullable: true,
      description: '建物名等(方書) (building, floor)',
    }),
    latitude: t.exposeFloat('latitude', { nullable: true, description: '緯度 (latitude, WGS84)' }),
    longitude: t.exposeFloat('longitude', {
      nullable: true,
      description: '経度 (longitude, WGS84)',
    }),
    facilities: t.expose('facilities', { type: [FacilityEnum], description: '設備 (facilities)' }),
    capacity: t.exposeInt('capacity', { nullable: true, description: '定員 (capacity, people)' }),
    admissionPolicy: t.expose('admissionPolicy', {
      type: AdmissionPolicyEnum,
      description: '入会方針 (admission policy)',
    }),
    description: t.exposeString('description', {
      nullable: true,
      description: '紹介文 (description, Japanese)',
    }),
    descriptionEn: t.exposeString('descriptionEn', {
      nullable: true,
      description: '紹介文 英語 (description, English)',
    }),
    houseRules: t.exposeString('houseRules', {
      nullable: true,
      description: 'ハウスルール (house rules)',
    }),
    websiteUrl: t.exposeString('websiteUrl', {
      nullable: true,
      description: 'ウェブサイト (website URL)',
    }),
    phone: t.exposeString('phone', { nullable: true, description: '電話番号 (phone)' }),
    openedOn: t.field({
      type: 'Date',
      nullable: true,
      description: '開設日 (opening date)',
      resolve: (space) => space.openedOn?.toISOString().slice(0, 10) ?? null,
    }),
    dropInPriceYen: t.exposeInt('dropInPriceYen', {
      nullable: true,
      description: 'ドロップイン料金 円・税込 (drop-in price, yen)',
    }),
    monthlyPriceYen: t.exposeInt('monthlyPriceYen', {
      nullable: true,
      description: '月額料金 円・税込 (monthly price, yen)',
    }),
    photoUrls: t.exposeStringList('photoUrls', {
      description: '写真の URL (https) (photo URLs, https)',
    }),
    links: t.exposeStringList('links', {
      description: '関連リンク (https) — SNS など (links, https: social media and others)',
    }),
    openingHours: t.field({
      type: OpeningHoursRef,
      description: '営業時間 — 東京時間 (opening hours, Tokyo time)',
      resolve: (space) => listedHours(storedHoursOf(space)),
    }),
    distanceKm: t.float({
      nullable: true,
      description:
        '検索地点からの距離 km — spaces の near 指定時のみ (distance in km from the point searched with near; null otherwise)',
      resolve: (space) => distanceOf(space),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: '登録日時 (created at)' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: '更新日時 (updated at)' }),
  }),
});

export function spaceLoader(context: SpacesContext) {
  return requestLoader(context, 'spaceById', {
    // Ids are UUIDs by now: the kit refuses other id arguments and representation keys.
    fetch: (ids: readonly string[]) =>
      context.prisma.space.findMany({ where: { id: { in: [...ids] } } }),
    keyOf: (space) => space.id,
  });
}

builder.asEntity(SpaceRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (ref, context) => spaceLoader(context).load(ref.id),
});

const NearInput = builder.inputType('NearInput', {
  description: '地点と半径 (a point and a radius)',
  fields: (t) => ({
    latitude: t.float({ required: true, description: '緯度 (latitude)' }),
    longitude: t.float({ required: true, description: '経度 (longitude)' }),
    radiusKm: t.float({
      required: true,
      description: '半径 km、500 まで (radius in km, up to 500)',
    }),
  }),
});

const SpaceFilterInput = builder.inputType('SpaceFilter', {
  description: '拠点の絞り込み条件 (filter for spaces)',
  fields: (t) => ({
    text: t.string({
      required: false,
      maxLength: 100,
      description:
        '名称(漢字・かな・英語)と紹介文の部分一致。ひらがな・カタカナ・ローマ字どれでも可 (text in names or description; hiragana, katakana or romaji all find a space)',
    }),
    municipalityCode: t.string({
      required: false,
      description: '市区町村コード (municipality code)',
    }),
    prefecture: t.string({ required: false, description: '都道府県 (prefecture)' }),
    kind: t.field({ type: SpaceKindEnum, required: false, description: '種類 (kind)' }),
    status: t.field({ type: SpaceStatusEnum, required: false, description: '状態 (status)' }),
    facilities: t.field({
      type: [FacilityEnum],
      required: false,
      description: 'すべてを備える (has all of these facilities)',
    }),
    admissionPolicy: t.field({
      type: AdmissionPolicyEnum,
      required: false,
      description: '入会方針 (admission policy)',
    }),
    maxDropInPriceYen: t.int({
      required: false,
      min: 0,
      max: 1_000_000,
      description: 'ドロップイン料金の上限 円 (drop-in price at most, yen)',
    }),
    openAt: t.field({
      type: 'DateTime',
      required: false,
      description:
        'この日時に営業中 — 東京時間、祝日・例外を含む (open at this instant: Tokyo time, holidays and exceptions included)',
    }),
    openNow: t.boolean({
      required: false,
      description: '今営業中 (open now; true only)',
    }),
    near: t.field({
      type: NearInput,
      required: false,
      description: 'この地点から半径内 — 近い順に並ぶ (within a radius of a point, nearest first)',
    }),
  }),
});

/**
 * One connection type for every list of spaces: root `spaces`, `Municipality.spaces`,
 * `Organization.spaces`.
 */
export const SpaceConnection = defineConnection(builder, SpaceRef, {
  name: 'SpaceConnection',
  description: '拠点のページ (a page of spaces)',
  edgeDescription: '拠点とそのカーソル (a space with its cursor)',
});

/** Every list of spaces pages in this order; `id` last makes it total, as cursors need. */
export const SPACE_ORDER = [
  { name: 'asc' },
  { id: 'asc' },
] satisfies Prisma.SpaceOrderByWithRelationInput[];

builder.queryFields((t) => ({
  space: t.prismaField({
    type: 'Space',
    nullable: true,
    description: 'ID で拠点を取得 (a space by id)',
    args: { id: t.arg.id({ required: true, description: '拠点 ID (space id)' }) },
    resolve: (query, _root, { id }, context) =>
      context.prisma.space.findUnique({ ...query, where: { id } }),
  }),
  spaces: t.prismaConnection(
    {
      type: 'Space',
      cursor: 'id',
      description:
        '拠点の一覧・検索 — 名称順、near 指定時は近い順 (spaces, searched and paged: by name, or nearest first with near)',
      args: {
        filter: t.arg({
          type: SpaceFilterInput,
          required: false,
          description: '絞り込み条件 (filter)',
        }),
      },
      // Every space is public: the filter is the whole condition.
      ...countedList({
        where: (args: { filter?: SpaceFilter | null }) => searchSpaces(args.filter),
        findMany: ({ where: search, ...page }, context: SpacesContext) =>
          spacePage(
            context.prisma,
            search,
            page,
            (where) =>
              firstPageOfSpaces(context.prisma, { ...page, where }) ??
              context.prisma.space.findMany({ ...page, where, orderBy: SPACE_ORDER }),
          ),
        count: (search, context: SpacesContext) =>
          search.sql
            ? search.sql.count(context.prisma)
            : context.prisma.space.count({ where: search.where }),
      }),
    },
    SpaceConnection,
  ),
}));

/** The fields of both inputs; only name, kind and municipality are required on create. */
const spaceInputFields = (t: InputFields, isCreate: boolean) => ({
  name: t.string({ required: isCreate, maxLength: 200, description: '名称 (name)' }),
  nameKana: t.string({ required: false, maxLength: 200, description: '名称かな (name in kana)' }),
  nameEn: t.string({ required: false, maxLength: 200, description: '英語名 (English name)' }),
  kind: t.field({ type: SpaceKindEnum, required: isCreate, description: '種類 (kind)' }),
  status: t.field({
    type: SpaceStatusEnum,
    required: false,
    description: '状態 (status; default OPEN)',
  }),
  municipalityCode: t.string({
    required: isCreate,
    description: '市区町村コード 6桁 (municipality code)',
  }),
  postalCode: t.string({ required: false, description: '郵便番号 (postal code)' }),
  town: t.string({ required: false, maxLength: 200, description: '町字 (town and chōme)' }),
  addressLine: t.string({
    required: false,
    maxLength: 300,
    description: '番地以下 (block and house number)',
  }),
  building: t.string({
    required: false,
    maxLength: 200,
    description: '建物名等(方書) (building, floor)',
  }),
  latitude: t.float({ required: false, description: '緯度 20〜46 (latitude, 20–46)' }),
  longitude: t.float({ required: false, description: '経度 122〜154 (longitude, 122–154)' }),
  facilities: t.field({ type: [FacilityEnum], required: false, description: '設備 (facilities)' }),
  capacity: t.int({ required: false, description: '定員 (capacity)' }),
  admissionPolicy: t.field({
    type: AdmissionPolicyEnum,
    required: false,
    description: '入会方針 (admission policy)',
  }),
  description: t.string({ required: false, maxLength: 5000, description: '紹介文 (description)' }),
  descriptionEn: t.string({
    required: false,
    maxLength: 5000,
    description: '紹介文 英語 (description, English)',
  }),
  houseRules: t.string({
    required: false,
    maxLength: 5000,
    description: 'ハウスルール (house rules)',
  }),
  websiteUrl: t.string({
    required: false,
    maxLength: 2048,
    description: 'ウェブサイト (website URL)',
  }),
  phone: t.string({ required: false, description: '電話番号 (phone)' }),
  openedOn: t.field({ type: 'Date', required: false, description: '開設日 (opening date)' }),
  dropInPriceYen: t.int({
    required: false,
    description: 'ドロップイン料金 円、0 以上 (drop-in price, yen, 0 or more)',
  }),
  monthlyPriceYen: t.int({
    required: false,
    description: '月額料金 円、0 以上 (monthly price, yen, 0 or more)',
  }),
  photoUrls: t.stringList({
    required: false,
    maxLength: 2048,
    description: '写真の URL、https のみ、20 件まで (photo URLs, https only, up to 20)',
  }),
  links: t.stringList({
    required: false,
    maxLength: 2048,
    description: '関連リンク、https のみ、20 件まで (links, https only, up to 20)',
  }),
  openingHours: t.field({
    type: OpeningHoursInput,
    required: false,
    description: '営業時間 — 全体を置き換える (opening hours, replaced as a whole)',
  }),
  operatorId: t.id({ required: false, description: '運営組織 ID (Organization id)' }),
});

const CreateSpaceInput = builder.inputType('CreateSpaceInput', {
  description: '拠点の登録内容 (a new space)',
  fields: (t) => spaceInputFields(t, true),
});

const UpdateSpaceInput = builder.inputType('UpdateSpaceInput', {
  description:
    '変更する拠点と変更内容 — 指定した項目だけ変わる (the space and the fields to change; omitted fields stay)',
  fields: (t) => ({
    id: t.id({ required: true, description: '拠点 ID (space id)' }),
    ...spaceInputFields(t, false),
  }),
});

defineMutation(builder, 'createSpace', {
  description:
    '拠点を登録する。ハブ管理者、または運営組織 (operatorId) のスタッフのみ (register a space. Hub admins, or staff of the operating organisation)',
  input: { type: CreateSpaceInput, description: '登録内容 (the new space)' },
  success: { field: 'space', type: SpaceRef, description: '登録した拠点 (the new space)' },
  errors: [InvalidInputError, NotFoundError],
  // Without an operator nobody but a hub admin answers for the space.
  authScopes: (input) => ({ admin: true, staffOf: input.operatorId ? [input.operatorId] : [] }),
  resolve: (input, context) => createSpace(context, input),
});

defineMutation(builder, 'updateSpace', {
  description:
    '拠点の情報を変更する。ハブ管理者、または現在の運営組織のスタッフのみ。運営組織を別の組織に変えるには両方のスタッフであること (update a space. Hub admins, or staff of its current operator; moving it to another operator also needs staff of that one)',
  input: { type: UpdateSpaceInput, description: '変更内容 (the space and the fields to change)' },
  success: { field: 'space', type: SpaceRef, description: '変更後の拠点 (the space as changed)' },
  // ConflictError: a capacity below the people inside now (CAPACITY_BELOW_OCCUPANCY).
  errors: [InvalidInputError, NotFoundError, ConflictError],
  authScopes: (input, context) => updateSpaceScopes(context, input.id, input.operatorId),
  resolve: ({ id, ...fields }, context) => updateSpace(context, id, fields),
});

/**
 * Who may update a space: decided by its operator as stored now, not by the input (otherwise
 * staff of any organisation could claim a space by naming themselves its operator).
 */
async function updateSpaceScopes(
  context: SpacesContext,
  id: string,
  nextOperatorId: string | null | undefined,
) {
  const current = (await spaceLoader(context).load(id))?.operatorId ?? null;
  // Unknown space or no operator: only a hub admin (who then gets NOT_FOUND if it is unknown).
  if (!current) return { admin: true };
  if (nextOperatorId === undefined || nextOperatorId === current) {
    return { admin: true, staffOf: [current] };
  }
  // Handing the space to another organisation needs a say on both sides; leaving it without
  // an operator would lock every staff member out, so only an admin does that.
  if (nextOperatorId === null) return { admin: true };
  return { admin: true, $all: { staffOf: [current], $any: { staffOf: [nextOperatorId] } } };
}
