import {
  AppError,
  ConflictError,
  defineConnection,
  defineMutation,
  InvalidInputError,
  NotFoundError,
  requestLoader,
  unauthorizedError,
} from '@hub/service-kit';
import { readableVisits, visitGuard } from '../authorization/visit-access.js';
import { builder, type SpacesContext } from '../builder.js';
import { checkIn, checkOut, occupancy } from '../domain/presence.js';
import { MemberRef } from './member.js';
import { RoomRef } from './room.js';
import { SpaceRef, spaceLoader } from './space.js';
import { answersFor } from './space-membership.js';
import { visitPage, visitPeriod } from './visit-pages.js';

// A visit says where a member was and when: personal data. Each field has its group in
// authorization/visit-rules.ts and is guarded by the kit's rule — the member, staff of the
// operator of the visited space (never through the member's other spaces), hub admins. Every
// path to a visit — the check-in and check-out payloads, Member.visits and Space.visits — only
// ever holds visits the caller reads, so the guard refuses nothing there; it stands behind them.
// The fields the first release made non-null stay non-null (the contract): a refusal there
// would null the whole visit, not the field. Others read occupancy, a count.

export const VisitRef = builder.prismaObject('Visit', {
  description: '入退室の記録 — 1 回の滞在 (one stay of a member in a space: the entry/exit record)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'ID (UUID)' }),
    memberId: t.exposeID('memberId', {
      nullable: true,
      description: '会員 ID — 会員が削除されたら null (member id; null once the member was erased)',
    }),
    space: t.field({
      type: SpaceRef,
      ...visitGuard.fieldAuth('space'),
      description: '拠点 (the space)',
      resolve: async (visit, _args, context) => (await spaceLoader(context).load(visit.spaceId))!,
    }),
    room: t.field({
      type: RoomRef,
      nullable: true,
      ...visitGuard.fieldAuth('room'),
      description: '部屋 — 共用スペースなら null (the room; null for the common area)',
      resolve: (visit, _args, context) =>
        visit.roomId ? roomLoader(context).load(visit.roomId) : null,
    }),
    checkedInAt: t.expose('checkedInAt', {
      type: 'DateTime',
      ...visitGuard.fieldAuth('checkedInAt'),
      description: '入室時刻 (checked in at)',
    }),
    checkedOutAt: t.expose('checkedOutAt', {
      type: 'DateTime',
      nullable: true,
      ...visitGuard.fieldAuth('checkedOutAt'),
      description: '退室時刻 — 在室中は null (checked out at; null while inside)',
    }),
    automatic: t.exposeBoolean('autoCheckedOut', {
      ...visitGuard.fieldAuth('automatic'),
      description: '閉館時に自動でチェックアウトされた (checked out automatically at closing)',
    }),
    overriddenBy: t.exposeID('overrideBy', {
      nullable: true,
      ...visitGuard.fieldAuth('overriddenBy'),
      description:
        '入室を許可したスタッフ — 通常は null (staff member who overrode a refusal; null normally)',
    }),
    overrideReason: t.exposeString('overrideReason', {
      nullable: true,
      ...visitGuard.fieldAuth('overrideReason'),
      description: 'スタッフが許可した理由 (why staff overrode)',
    }),
  }),
});

export const VisitConnection = defineConnection(builder, VisitRef, {
  name: 'VisitConnection',
  description: '入退室の記録のページ (a page of visits)',
  edgeDescription: '入退室の記録とそのカーソル (a visit with its cursor)',
});

function roomLoader(context: SpacesContext) {
  return requestLoader(context, 'roomById', {
    fetch: (ids: readonly string[]) =>
      context.prisma.room.findMany({ where: { id: { in: [...ids] } } }),
    keyOf: (room) => room.id,
  });
}

builder.prismaObjectField(VisitRef, 'member', (t) =>
  t.field({
    type: MemberRef,
    nullable: true,
    description: '会員 — 会員が削除されたら null (the member; null once the member was erased)',
    resolve: (visit) => (visit.memberId ? { id: visit.memberId } : null),
  }),
);

const PERIOD_ARGS = {
  from: {
    description: 'この日以降の入室 (checked in on or after this day, Asia/Tokyo)',
  },
  to: {
    description:
      'この日までの入室 — from より前は不可 (checked in on or before this day, Asia/Tokyo; not before from)',
  },
} as const;

builder.objectField(MemberRef, 'visits', (t) =>
  t.connection(
    {
      type: VisitRef,
      nullable: true,
      description:
        '入退室の記録 — 入室の新しい順。本人 (すべて)・拠点の運営組織のスタッフ (自組織の拠点の分のみ)・ハブ管理者 (visits, newest check-in first. The member: all; staff: visits at their operators’ spaces only; hub admins: all)',
      args: {
        from: t.arg({ type: 'Date', required: false, ...PERIOD_ARGS.from }),
        to: t.arg({ type: 'Date', required: false, ...PERIOD_ARGS.to }),
      },
      resolve: async (member, args, context) => {
        const period = visitPeriod(args);
        const readable = await readableVisits(context);
        if (readable instanceof AppError) throw readable;
        // A member who is neither this member nor staff anywhere could read none of them.
        const isStranger =
          !('all' in readable) &&
          readable.memberId !== member.id &&
          readable.operatorIds.length === 0;
        if (isStranger) throw unauthorizedError(context);
        return visitPage(context, { kind: 'member', parent: member.id, args, period, readable });
      },
    },
    VisitConnection,
  ),
);

builder.prismaObjectField(SpaceRef, 'visits', (t) =>
  t.connection(
    {
      type: VisitRef,
      nullable: true,
      description:
        'この拠点の入退室の記録 — 入室の新しい順。削除された会員の分は memberId が null。拠点の運営組織のスタッフとハブ管理者のみ (visits to this space, newest check-in first; erased members’ with memberId null. Staff of its operator and hub admins only)',
      args: {
        from: t.arg({ type: 'Date', required: false, ...PERIOD_ARGS.from }),
        to: t.arg({ type: 'Date', required: false, ...PERIOD_ARGS.to }),
      },
      resolve: (space, args, context) => {
        if (!answersFor(context, space.operatorId)) throw unauthorizedError(context);
        const period = visitPeriod(args);
        return visitPage(context, {
          kind: 'space',
          parent: space.id,
          args,
          period,
          readable: { all: true },
        });
      },
    },
    VisitConnection,
  ),
);

/** The space's staff, hub admins and partner keys read how many are inside, never who. */
function readsOccupancy(context: SpacesContext, operatorId: string | null) {
  return context.identity?.kind === 'partner' || answersFor(context, operatorId);
}

builder.prismaObjectField(SpaceRef, 'occupancy', (t) =>
  t.int({
    nullable: true,
    description:
      '在室人数 — 拠点の運営スタッフ・ハブ管理者・パートナーのみ、人数だけ (people inside now. Staff of the operator, hub admins and partners; a count only)',
    resolve: (space, _args, context) => {
      if (!readsOccupancy(context, space.operatorId)) throw unauthorizedError(context);
      return occupancy(context.prisma, { spaceId: space.id });
    },
  }),
);

builder.prismaObjectField(RoomRef, 'occupancy', (t) =>
  t.int({
    nullable: true,
    description:
      '在室人数 — 拠点の運営スタッフ・ハブ管理者・パートナーのみ、人数だけ (people inside now. Staff of the operator, hub admins and partners; a count only)',
    resolve: async (room, _args, context) => {
      const space = await spaceLoader(context).load(room.spaceId);
      if (!readsOccupancy(context, space?.operatorId ?? null)) throw unauthorizedError(context);
      return occupancy(context.prisma, { roomId: room.id });
    },
  }),
);

/** Self: the member at the door. Staff of the operator and hub admins: for anyone. */
async function presenceScopes(
  input: { memberId: string | number; spaceId: string | number },
  context: SpacesContext,
) {
  const operatorId = (await spaceLoader(context).load(String(input.spaceId)))?.operatorId;
  const identity = context.identity;
  if (identity?.kind === 'member' && identity.memberId === String(input.memberId)) {
    return true;
  }
  return operatorId ? { admin: true, staffOf: [operatorId] } : { admin: true };
}

const CheckInInput = builder.inputType('CheckInInput', {
  description: 'チェックインの内容 (a check-in)',
  fields: (t) => ({
    memberId: t.id({ required: true, description: '会員 ID (member id)' }),
    spaceId: t.id({ required: true, description: '拠点 ID (space id)' }),
    roomId: t.id({
      required: false,
      description: '部屋 ID — 省略時は共用スペース (room id; the common area when omitted)',
    }),
    overrideReason: t.string({
      required: false,
      description:
        'スタッフが入室を許可する理由 — 入室不可・満室でも記録して入室させる。スタッフのみ (why staff let the member in although refused or full; staff only)',
    }),
  }),
});

defineMutation(builder, 'checkIn', {
  description:
    'チェックイン(入室記録)。入室できない・満室なら拒否、スタッフは理由を付けて許可できる。本人・拠点の運営スタッフ・ハブ管理者 (check in: refused when not allowed or full unless staff override with a reason. The member, the space’s staff, hub admins)',
  input: { type: CheckInInput, description: 'チェックイン (the check-in)' },
  success: { field: 'visit', type: VisitRef, description: '始まった滞在 (the stay begun)' },
  errors: [InvalidInputError, NotFoundError, ConflictError],
  authScopes: presenceScopes,
  resolve: async (input, context) => {
    const space = await spaceLoader(context).load(String(input.spaceId));
    const identity = context.identity;
    return checkIn(context, input, {
      memberId: identity?.kind === 'member' ? identity.memberId : null,
      isSpaceStaff: answersFor(context, space?.operatorId ?? null),
    });
  },
});

const CheckOutInput = builder.inputType('CheckOutInput', {
  description: 'チェックアウトの内容 (a check-out)',
  fields: (t) => ({
    memberId: t.id({ required: true, description: '会員 ID (member id)' }),
    spaceId: t.id({ required: true, description: '拠点 ID (space id)' }),
  }),
});

defineMutation(builder, 'checkOut', {
  description:
    'チェックアウト(退室記録)。チェックインしていなければ NOT_CHECKED_IN。本人・拠点の運営スタッフ・ハブ管理者 (check out; NOT_CHECKED_IN without a check-in. The member, the space’s staff, hub admins)',
  input: { type: CheckOutInput, description: 'チェックアウト (the check-out)' },
  success: { field: 'visit', type: VisitRef, description: '終わった滞在 (the stay ended)' },
  errors: [InvalidInputError, ConflictError],
  authScopes: presenceScopes,
  resolve: (input, context) => checkOut(context, input),
});
