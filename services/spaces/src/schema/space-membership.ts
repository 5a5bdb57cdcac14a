import { isoDate } from '@hub/contracts';
import {
  ConflictError,
  defineConnection,
  defineMutation,
  InvalidInputError,
  NotFoundError,
  requestLoader,
  resolveGroupedConnection,
  unauthorizedError,
} from '@hub/service-kit';
import { membershipGuard } from '../authorization/membership-access.js';
import { builder, type SpacesContext } from '../builder.js';
import { endSpaceMembership } from '../domain/end-space-membership.js';
import { startSpaceMembership } from '../domain/start-space-membership.js';
import { SpaceRef, spaceLoader } from './space.js';
import { SpaceMembershipPlanEnum } from './space-membership-plan.js';

// A membership is personal data: each field has its group in authorization/rules.ts and is
// guarded by the kit's rule (nullable: a refusal is null plus an error at the field). Lists
// are narrowed to what the caller may read before that (Member.homeSpaces).

export const SpaceMembershipRef = builder.prismaObject('SpaceMembership', {
  description:
    '拠点の会員資格 — 会員のホーム拠点 (a member’s membership of a space: their home space)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'ID (UUID)' }),
    memberId: t.exposeID('memberId', { description: '会員 ID (member id)' }),
    space: t.field({
      type: SpaceRef,
      nullable: true,
      ...membershipGuard.fieldAuth('space'),
      description: '拠点 (the space)',
      resolve: async (membership, _args, context) =>
        (await spaceLoader(context).load(membership.spaceId))!,
    }),
    plan: t.expose('plan', {
      type: SpaceMembershipPlanEnum,
      nullable: true,
      ...membershipGuard.fieldAuth('plan'),
      description: 'プラン (plan)',
    }),
    startsOn: t.field({
      type: 'Date',
      nullable: true,
      ...membershipGuard.fieldAuth('startsOn'),
      description: '開始日 (first day, Asia/Tokyo)',
      resolve: (membership) => isoDate(membership.startsOn),
    }),
    endsOn: t.field({
      type: 'Date',
      nullable: true,
      ...membershipGuard.fieldAuth('endsOn'),
      description:
        '終了日 — この日まで有効。未定なら null (last day, inclusive; null while open-ended)',
      resolve: (membership) => (membership.endsOn ? isoDate(membership.endsOn) : null),
    }),
  }),
});

export const SpaceMembershipConnection = defineConnection(builder, SpaceMembershipRef, {
  name: 'SpaceMembershipConnection',
  description: '会員資格のページ (a page of memberships)',
  edgeDescription: '会員資格とそのカーソル (a membership with its cursor)',
});

/** Whether the caller answers for a space: a hub admin, or staff of its operator. */
export function answersFor(context: SpacesContext, operatorId: string | null): boolean {
  const { identity } = context;
  if (identity?.kind !== 'member') return false;
  if (identity.roles.includes('admin')) return true;
  return (
    operatorId !== null && identity.staffOf.some((entry) => entry.organizationId === operatorId)
  );
}

// The space's own register of members, for its staff: every row is of their space, so the rule
// (authorization/rules.ts: staff of the operator read them) holds for the whole list.
builder.prismaObjectField(SpaceRef, 'memberships', (t) =>
  t.connection(
    {
      type: SpaceMembershipRef,
      nullable: true,
      description:
        'この拠点の会員資格 — 開始日の新しい順。拠点の運営組織のスタッフとハブ管理者のみ (memberships of this space, newest first. Staff of its operator and hub admins only)',
      resolve: (space, args, context) => {
        if (!answersFor(context, space.operatorId)) throw unauthorizedError(context);
        return resolveGroupedConnection(context, 'membershipsBySpace', {
          parent: space.id,
          args,
          fetch: (spaceIds) =>
            context.prisma.spaceMembership.findMany({
              where: { spaceId: { in: [...spaceIds] } },
              orderBy: [{ startsOn: 'desc' }, { id: 'asc' }],
            }),
          groupOf: (membership) => membership.spaceId,
        });
      },
    },
    SpaceMembershipConnection,
  ),
);

export function membershipLoader(context: SpacesContext) {
  return requestLoader(context, 'spaceMembershipById', {
    fetch: (ids: readonly string[]) =>
      context.prisma.spaceMembership.findMany({
        where: { id: { in: [...ids] } },
        include: { space: { select: { operatorId: true } } },
      }),
    keyOf: (membership) => membership.id,
  });
}

const StartSpaceMembershipInput = builder.inputType('StartSpaceMembershipInput', {
  description: '会員資格の登録内容 (a new membership)',
  fields: (t) => ({
    memberId: t.id({ required: true, description: '会員 ID (member id)' }),
    spaceId: t.id({ required: true, description: '拠点 ID (space id)' }),
    plan: t.field({ type: SpaceMembershipPlanEnum, required: true, description: 'プラン (plan)' }),
    startsOn: t.field({ type: 'Date', required: true, description: '開始日 (first day)' }),
    endsOn: t.field({
      type: 'Date',
      required: false,
      description: '終了日 — 未定なら省略 (last day, inclusive; omit while open-ended)',
    }),
  }),
});

defineMutation(builder, 'startSpaceMembership', {
  description:
    '会員資格を登録する。拠点の運営組織のスタッフまたはハブ管理者のみ。同じ拠点で期間が重なる会員資格は登録できない (record a membership. Staff of the space’s operator or hub admins; periods at one space must not overlap)',
  input: { type: StartSpaceMembershipInput, description: '登録内容 (the new membership)' },
  success: {
    field: 'membership',
    type: SpaceMembershipRef,
    description: '登録した会員資格 (the new membership)',
  },
  errors: [InvalidInputError, NotFoundError, ConflictError],
  // Decided by the space's stored operator; an unknown space is an admin's NOT_FOUND.
  authScopes: async (input, context) => {
    const operatorId = (await spaceLoader(context).load(input.spaceId))?.operatorId;
    return operatorId ? { admin: true, staffOf: [operatorId] } : { admin: true };
  },
  resolve: (input, context) => startSpaceMembership(context, input),
});

const EndSpaceMembershipInput = builder.inputType('EndSpaceMembershipInput', {
  description: '終了する会員資格と最終日 (the membership to end and its last day)',
  fields: (t) => ({
    id: t.id({ required: true, description: '会員資格 ID (membership id)' }),
    endsOn: t.field({
      type: 'Date',
      required: true,
      description: '最終日 — この日まで有効 (last day, inclusive)',
    }),
  }),
});

defineMutation(builder, 'endSpaceMembership', {
  description:
    '会員資格を終了する。拠点の運営組織のスタッフまたはハブ管理者のみ。すでに決まった終了日より後には延ばせない (end a membership. Staff of the space’s operator or hub admins; an end already set can be brought forward, not pushed back)',
  input: {
    type: EndSpaceMembershipInput,
    description: '終了内容 (the membership and its last day)',
  },
  success: {
    field: 'membership',
    type: SpaceMembershipRef,
    description: '終了した会員資格 (the membership as ended)',
  },
  errors: [InvalidInputError, NotFoundError, ConflictError],
  authScopes: async (input, context) => {
    const operatorId = (await membershipLoader(context).load(input.id))?.space.operatorId;
    return operatorId ? { admin: true, staffOf: [operatorId] } : { admin: true };
  },
  resolve: (input, context) => endSpaceMembership(context, input),
});
