import {
  callerSpokenFor,
  countedList,
  defineConnection,
  defineMutation,
  InvalidInputError,
  requestLoader,
} from '@hub/service-kit';
import { builder, type EventsContext } from '../builder.js';
import { publishEvent } from '../domain/publish-event.js';
import { nextOccurrence } from '../domain/recurrence.js';
import { EVENT_ORDER, type EventFilter, eventWhere } from '../domain/search-events.js';
import { EventKind, EventStatus } from '../generated/prisma/client.js';

export const EventKindEnum = builder.enumType(EventKind, {
  name: 'EventKind',
  description: 'イベントの種類 (kind of event)',
  values: {
    JELLY: { description: 'Jelly — 気軽に集まって一緒に働く会 (a casual co-working meetup)' },
    FORUM: { description: 'フォーラム (forum)' },
    SEMINAR: { description: 'セミナー (seminar)' },
    WORKSHOP: { description: 'ワークショップ (workshop)' },
    PARTY: { description: '交流会・パーティー (party)' },
    SHOWCASE: { description: '自慢大会 — 成果や取り組みの発表会 (showcase)' },
    CONFERENCE: { description: 'カンファレンス (conference)' },
    TRAINING_SESSION: { description: '研修 (training session)' },
  },
});

export const EventStatusEnum = builder.enumType(EventStatus, {
  name: 'EventStatus',
  description: 'イベントの状態 (status of an event)',
  values: {
    DRAFT: { description: '下書き (draft, not public)' },
    PUBLISHED: { description: '公開中 (published)' },
    CANCELLED: { description: '中止 (cancelled)' },
  },
});

export const EventRef = builder.prismaObject('Event', {
  description:
    'イベント — Jelly・フォーラム・セミナーなどの集まり。日時は UTC で保存し、繰り返しは Asia/Tokyo で解釈 (a gathering; instants in UTC, recurrence evaluated in Asia/Tokyo)',
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
    kind: t.expose('kind', { type: EventKindEnum, description: '種類 (kind)' }),
    status: t.expose('status', { type: EventStatusEnum, description: '状態 (status)' }),
    startsAt: t.expose('startsAt', {
      type: 'DateTime',
      description:
        '開始日時 — 繰り返しイベントでは初回 (start; the first occurrence of a recurring event)',
    }),
    endsAt: t.expose('endsAt', {
      type: 'DateTime',
      description:
        '終了日時 — 繰り返しイベントでは初回 (end; of the first occurrence of a recurring event)',
    }),
    recurrence: t.exposeString('recurrence', {
      nullable: true,
      description:
        '繰り返し規則 (RFC 5545 RRULE, 例 FREQ=MONTHLY;BYDAY=3WE) — startsAt を DTSTART として Asia/Tokyo で解釈 (recurrence rule; DTSTART is startsAt, evaluated in Asia/Tokyo)',
    }),
    seriesEndsAt: t.expose('seriesEndsAt', {
      type: 'DateTime',
      nullable: true,
      description:
        '最終回の終了日時 — 無期限に繰り返す場合は null (end of the last occurrence; null while it repeats indefinitely)',
    }),
    nextOccurrence: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        '次回の開始日時 (現在以降) — 単発なら未来の開始日時、過ぎていれば null、中止なら null (next start at or after now; null when none)',
      resolve: (event) => (event.status === 'CANCELLED' ? null : nextOccurrence(event)),
    }),
    tags: t.exposeStringList('tags', { description: 'タグ (tags, e.g. worldwide-jelly-week)' }),
    // venues: schema/event-venue.ts (filtered per caller).
    createdAt: t.expose('createdAt', { type: 'DateTime', description: '登録日時 (created at)' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: '更新日時 (updated at)' }),
  }),
});

export function eventLoader(context: EventsContext) {
  return requestLoader(context, 'eventById', {
    fetch: (ids: readonly string[]) =>
      context.prisma.event.findMany({ where: { id: { in: [...ids] } } }),
    keyOf: (event) => event.id,
  });
}

builder.asEntity(EventRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (ref, context) => eventLoader(context).load(ref.id),
});

const EventFilterInput = builder.inputType('EventFilter', {
  description: 'イベントの絞り込み条件 (filter for events)',
  fields: (t) => ({
    from: t.field({
      type: 'DateTime',
      required: false,
      description:
        'この日時以降に開催があるもの (held at or after this instant; a recurring event needs an occurrence in the window)',
    }),
    to: t.field({
      type: 'DateTime',
      required: false,
      description: 'この日時より前に始まるもの (starting before this instant)',
    }),
    kind: t.field({ type: EventKindEnum, required: false, description: '種類 (kind)' }),
    tag: t.string({
      required: false,
      maxLength: 50,
      description: 'このタグが付いたもの (having this tag)',
    }),
    municipalityCode: t.string({
      required: false,
      description: '会場の市区町村コード (municipality code of a venue, 6 digits)',
    }),
    status: t.field({
      type: EventStatusEnum,
      required: false,
      description: '状態 (status; default PUBLISHED)',
    }),
  }),
});

/**
 * One connection type for every list of events: root `events`, `Organization.events`,
 * `Organization.pendingEvents`, `Space.upcomingEvents`.
 */
export const EventConnection = defineConnection(builder, EventRef, {
  name: 'EventConnection',
  description: 'イベントのページ (a page of events)',
  edgeDescription: 'ページ内のイベントとそのカーソル (an event in a page, with its cursor)',
});

builder.queryFields((t) => ({
  event: t.prismaField({
    type: 'Event',
    nullable: true,
    description: 'ID でイベントを取得 (an event by id)',
    args: { id: t.arg.id({ required: true, description: 'イベント ID (event id)' }) },
    resolve: (query, _root, { id }, context) =>
      context.prisma.event.findUnique({ ...query, where: { id } }),
  }),
  events: t.prismaConnection(
    {
      type: 'Event',
      cursor: 'startsAt_id',
      description:
        'イベントの一覧・検索 — 初回開始順。期間の絞り込みは繰り返しイベントの全日程に対して判定 (events, searched and paged by first start; the date window matches the whole schedule of a recurring event)',
      args: {
        filter: t.arg({
          type: EventFilterInput,
          required: false,
          description: '絞り込み条件 (filter)',
        }),
      },
      // Published events are public, and other statuses are asked for by name: the filter is
      // the whole condition.
      ...countedList({
        where: (args: { filter?: EventFilter | null }) => eventWhere(args.filter),
        findMany: (query, context: EventsContext) =>
          context.prisma.event.findMany({ ...query, orderBy: EVENT_ORDER }),
        count: (where, context: EventsContext) => context.prisma.event.count({ where }),
      }),
    },
    EventConnection,
  ),
}));

const EventVenueInput = builder.inputType('EventVenueInput', {
  description:
    '会場 — spaceId か placeName のどちらか一方 (a venue: exactly one of spaceId / placeName)',
  fields: (t) => ({
    spaceId: t.id({
      required: false,
      description:
        '拠点 ID — 公開者がその拠点の運営組織のスタッフでなければ、運営組織の管理者が確認するまで確認待ち (Space id; unless the publisher is staff of the space’s operator, the venue stays pending until the operator’s admin confirms)',
    }),
    placeName: t.string({
      required: false,
      maxLength: 200,
      description: '外部会場の名称 (name of an outside place)',
    }),
    municipalityCode: t.string({
      required: false,
      description: '会場の市区町村コード (municipality code, 6 digits)',
    }),
    capacity: t.int({ required: false, description: '定員 (capacity, ≥ 1)' }),
    streamUrl: t.string({
      required: false,
      maxLength: 2048,
      description: '中継 URL (stream URL linking simultaneous venues)',
    }),
  }),
});

const PublishEventInput = builder.inputType('PublishEventInput', {
  description: '公開するイベント (an event to publish)',
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
    kind: t.field({ type: EventKindEnum, required: true, description: '種類 (kind)' }),
    startsAt: t.field({
      type: 'DateTime',
      required: true,
      description: '開始日時 (start, ISO 8601 with offset, e.g. 2026-01-21T19:00:00+09:00)',
    }),
    endsAt: t.field({
      type: 'DateTime',
      required: true,
      description: '終了日時 (end, after startsAt)',
    }),
    recurrence: t.string({
      required: false,
      maxLength: 500,
      description:
        '繰り返し規則 (RRULE without DTSTART, e.g. FREQ=MONTHLY;BYDAY=3WE; at most daily)',
    }),
    tags: t.stringList({ required: false, maxLength: 50, description: 'タグ (tags)' }),
    organizerIds: t.idList({
      required: false,
      description:
        '主催組織 ID — 公開者がスタッフでない組織は、その組織の管理者が確認するまで確認待ちで公開されない (Organization ids; one the publisher is not staff of stays pending, and unlisted, until its admin confirms)',
    }),
    venues: t.field({
      type: [EventVenueInput],
      required: true,
      description: '会場 (venues, at least one)',
    }),
  }),
});

defineMutation(builder, 'publishEvent', {
  description:
    'イベントを公開する。ハブ管理者、または主催組織 (organizerIds) のいずれかのスタッフのみ。公開者がスタッフでない主催組織、公開者が運営組織のスタッフでない拠点の会場は確認待ち (publish an event. Hub admins, or staff of one of its organising organisations; organisers the publisher is not staff of, and venues at spaces whose operator the publisher is not staff of, stay pending until that organisation’s admin confirms)',
  input: { type: PublishEventInput, description: '公開内容 (the event)' },
  success: {
    field: 'event',
    type: EventRef,
    description: '公開したイベント (the published event)',
  },
  // Rules of the input (dates, recurrence, venues, municipality codes); nothing else is looked up.
  errors: [InvalidInputError],
  // An event without organisers is the hub's own: only a hub admin publishes it.
  authScopes: (input) => ({ admin: true, staffOf: input.organizerIds ?? [] }),
  // The domain commits the event with its events and wakes the relay (`commit`).
  resolve: (input, context) =>
    publishEvent(context, input, { spokenFor: callerSpokenFor(context.identity) }),
});
