import {
  ConflictError,
  defineMutation,
  InvalidInputError,
  NotFoundError,
  unauthorizedError,
} from '@hub/service-kit';
import { builder, type SpacesContext } from '../builder.js';
import { canEnter } from '../domain/can-enter.js';
import { createRoom } from '../domain/create-room.js';
import { ENTRY_REASON_CODES, ENTRY_REASONS } from '../domain/entry-reasons.js';
import { updateRoom } from '../domain/update-room.js';
import { SpaceRef, spaceLoader } from './space.js';
import { answersFor } from './space-membership.js';

export const RoomKindEnum = builder.enumType('RoomKind', {
  description: '部屋の種類 (kind of room)',
  values: {
    COMMON_AREA: { description: '共用スペース (common area)' },
    MEETING_ROOM: { description: '会議室 (meeting room)' },
    SATELLITE_OFFICE: {
      description:
        'サテライトオフィス — 企業ごとに貸し出す区画 (satellite office let to a company)',
    },
  } as const,
});

export const EntryReasonEnum = builder.enumType('EntryReason', {
  description: '入室の可否の理由 (why entry is allowed or refused)',
  values: Object.fromEntries(
    ENTRY_REASON_CODES.map((code) => [code, { description: ENTRY_REASONS[code] }]),
  ),
});

export const RoomRef = builder.prismaObject('Room', {
  description: '拠点の部屋 — 共用スペース・会議室・サテライトオフィス (a room of a space)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'ID (UUID)' }),
    name: t.exposeString('name', { description: '名称 (name)' }),
    nameEn: t.exposeString('nameEn', { nullable: true, description: '英語名 (name in English)' }),
    kind: t.expose('kind', { type: RoomKindEnum, description: '種類 (kind)' }),
    capacity: t.exposeInt('capacity', { nullable: true, description: '定員 (capacity)' }),
    space: t.field({
      type: SpaceRef,
      description: '拠点 (the space)',
      resolve: async (room, _args, context) => (await spaceLoader(context).load(room.spaceId))!,
    }),
  }),
});

// Rooms are part of the public directory, like the space itself.
builder.prismaObjectField(SpaceRef, 'rooms', (t) =>
  t.relation('rooms', {
    description: '部屋 — 名称順 (rooms, by name)',
    query: { orderBy: [{ name: 'asc' }, { id: 'asc' }] },
  }),
);

const EntryDecisionRef = builder
  .objectRef<{ allowed: boolean; reason: keyof typeof ENTRY_REASONS; message: string }>(
    'EntryDecision',
  )
  .implement({
    description: '入室の可否と理由 (whether a member may enter, and why)',
    fields: (t) => ({
      allowed: t.exposeBoolean('allowed', { description: '入室できるか (may enter)' }),
      reason: t.expose('reason', { type: EntryReasonEnum, description: '理由 (reason code)' }),
      message: t.exposeString('message', { description: '理由の説明 (reason, 日本語 (English))' }),
    }),
  });

builder.queryField('canEnter', (t) =>
  t.field({
    type: EntryDecisionRef,
    description:
      '会員が拠点(または部屋)に入れるかと、その理由。本人・拠点の運営スタッフ・ハブ管理者のみ (whether a member may enter a space or one of its rooms now, and why. The member, the space’s staff and hub admins only)',
    args: {
      memberId: t.arg.id({ required: true, description: '会員 ID (member id)' }),
      spaceId: t.arg.id({ required: true, description: '拠点 ID (space id)' }),
      roomId: t.arg.id({
        required: false,
        description: '部屋 ID — 省略時は共用スペース (room id; the common area when omitted)',
      }),
    },
    // The answer tells whether the member holds a membership, a pass or an affiliation:
    // personal data, so only the member and the space's staff may ask.
    resolve: async (_root, args, context) => {
      const space = await spaceLoader(context).load(String(args.spaceId));
      const self =
        context.identity?.kind === 'member' && context.identity.memberId === args.memberId;
      if (!self && !answersFor(context, space?.operatorId ?? null))
        throw unauthorizedError(context);
      return canEnter(context.prisma, args);
    },
  }),
);

const CreateRoomInput = builder.inputType('CreateRoomInput', {
  description: '新しい部屋 (a new room)',
  fields: (t) => ({
    spaceId: t.id({ required: true, description: '拠点 ID (space id)' }),
    name: t.string({ required: true, description: '名称 (name)' }),
    nameEn: t.string({ required: false, description: '英語名 (name in English)' }),
    kind: t.field({ type: RoomKindEnum, required: true, description: '種類 (kind)' }),
    capacity: t.int({ required: false, description: '定員 (capacity)' }),
  }),
});

defineMutation(builder, 'createRoom', {
  description:
    '拠点に部屋を追加する。拠点の運営組織のスタッフまたはハブ管理者のみ (add a room to a space. Staff of the space’s operator or hub admins)',
  input: { type: CreateRoomInput, description: '新しい部屋 (the new room)' },
  success: { field: 'room', type: RoomRef, description: '追加した部屋 (the new room)' },
  errors: [InvalidInputError, NotFoundError],
  authScopes: async (input, context) => {
    const operatorId = (await spaceLoader(context).load(input.spaceId))?.operatorId;
    return operatorId ? { admin: true, staffOf: [operatorId] } : { admin: true };
  },
  resolve: (input, context) => createRoom(context, input),
});

/** Staff of the operator of a space (null: none), and hub admins: who manages its rooms. */
export function operatorStaffScopes(operatorId: string | null | undefined) {
  return operatorId ? { admin: true, staffOf: [operatorId] } : { admin: true };
}

/** Staff of the operator of the room's space, and hub admins (rooms and satellite leases). */
export async function roomStaffScopes(roomId: string | null | undefined, context: SpacesContext) {
  const room = roomId
    ? await context.prisma.room.findUnique({
        where: { id: roomId },
        select: { space: { select: { operatorId: true } } },
      })
    : null;
  return operatorStaffScopes(room?.space.operatorId);
}

const UpdateRoomInput = builder.inputType('UpdateRoomInput', {
  description: '部屋の変更 — 省略した項目はそのまま (changes to a room; fields left out stay)',
  fields: (t) => ({
    roomId: t.id({ required: true, description: '部屋 ID (room id)' }),
    name: t.string({ required: false, description: '名称 (name)' }),
    nameEn: t.string({ required: false, description: '英語名 (name in English)' }),
    capacity: t.int({
      required: false,
      description:
        '定員 — 現在の在室人数より少なくはできない (capacity; not below the people inside now)',
    }),
  }),
});

defineMutation(builder, 'updateRoom', {
  description:
    '部屋の名称・定員を変更する。拠点の運営組織のスタッフまたはハブ管理者のみ (change a room’s name or capacity. Staff of the space’s operator or hub admins)',
  input: { type: UpdateRoomInput, description: '変更内容 (the changes)' },
  success: { field: 'room', type: RoomRef, description: '変更後の部屋 (the room changed)' },
  errors: [InvalidInputError, NotFoundError, ConflictError],
  authScopes: (input, context) => roomStaffScopes(String(input.roomId), context),
  resolve: (input, context) => updateRoom(context, input),
});
