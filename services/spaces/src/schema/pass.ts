import { isoDate } from '@hub/contracts';
import {
  ConflictError,
  defineConnection,
  defineMutation,
  InvalidInputError,
  NotFoundError,
  requestLoader,
  resolveGroupedConnection,
} from '@hub/service-kit';
import { passGuard } from '../authorization/membership-access.js';
import { builder, type SpacesContext } from '../builder.js';
import { cancelPassRedemption } from '../domain/cancel-pass-redemption.js';
import { issuePass } from '../domain/issue-pass.js';
import { redeemPass } from '../domain/redeem-pass.js';
import { PassRedemptionConnection, PassRedemptionRef } from './pass-redemption.js';
import { SpaceRef, spaceLoader } from './space.js';
import { answersFor, membershipLoader } from './space-membership.js';
import { networkLoader, SpaceNetworkRef } from './space-network.js';

// A pass is personal data: each field has its group in authorization/rules.ts and is guarded
// by the kit's rule (nullable); Member.passes is narrowed to what the caller may read.

export const PassRef = builder.prismaObject('Pass', {
  description:
    'パス — コワーキングビザ・共通利用券。ネットワーク内の他の拠点を条件どおりに利用できる (a pass of a visa or common ticket: use of the network’s other spaces under their terms)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'ID (UUID)' }),
    memberId: t.exposeID('memberId', { description: '会員 ID (holder’s member id)' }),
    network: t.field({
      type: SpaceNetworkRef,
      nullable: true,
      ...passGuard.fieldAuth('network'),
      description: 'ネットワーク (network)',
      resolve: async (pass, _args, context) => (await networkLoader(context).load(pass.networkId))!,
    }),
    homeSpace: t.field({
      type: SpaceRef,
      nullable: true,
      ...passGuard.fieldAuth('homeSpace'),
      description:
        'ホーム拠点 — 発行の根拠となった会員資格の拠点 (home space of the membership it was issued on)',
      resolve: async (pass, _args, context) => {
        const membership = await membershipSpaceLoader(context).load(pass.membershipId);
        return (await spaceLoader(context).load(membership!.spaceId))!;
      },
    }),
    validFrom: t.field({
      type: 'Date',
      nullable: true,
      ...passGuard.fieldAuth('validFrom'),
      description: '有効開始日 (valid from)',
      resolve: (pass) => isoDate(pass.validFrom),
    }),
    validUntil: t.field({
      type: 'Date',
      nullable: true,
      ...passGuard.fieldAuth('validUntil'),
      description: '有効期限 — この日まで (valid until, inclusive)',
      resolve: (pass) => isoDate(pass.validUntil),
    }),
    redemptions: t.connection(
      {
        type: PassRedemptionRef,
        nullable: true,
        ...passGuard.fieldAuth('redemptions'),
        description: '利用 — 日付順 (days used, by date)',
        resolve: (pass, args, context) =>
          resolveGroupedConnection(context, 'redemptionsByPass', {
            parent: pass.id,
            args,
            fetch: (passIds) =>
              context.prisma.passRedemption.findMany({
                where: { passId: { in: [...passIds] } },
                orderBy: [{ date: 'asc' }, { id: 'asc' }],
              }),
            groupOf: (redemption) => redemption.passId,
          }),
      },
      PassRedemptionConnection,
    ),
  }),
});

export const PassConnection = defineConnection(builder, PassRef, {
  name: 'PassConnection',
  description: 'パスのページ (a page of passes)',
  edgeDescription: 'パスとそのカーソル (a pass with its cursor)',
});

/** The space of each pass's membership, in one query (the spaces then from spaceLoader). */
function membershipSpaceLoader(context: SpacesContext) {
  return requestLoader(context, 'membershipSpaceId', {
    fetch: (ids: readonly string[]) =>
      context.prisma.spaceMembership.findMany({
        where: { id: { in: [...ids] } },
        select: { id: true, spaceId: true },
      }),
    keyOf: (membership) => membership.id,
  });
}

function passLoader(context: SpacesContext) {
  return requestLoader(context, 'passById', {
    fetch: (ids: readonly string[]) =>
      context.prisma.pass.findMany({
        where: { id: { in: [...ids] } },
        select: { id: true, memberId: true },
      }),
    keyOf: (pass) => pass.id,
  });
}

const IssuePassInput = builder.inputType('IssuePassInput', {
  description: 'パスの発行内容 (a pass to issue)',
  fields: (t) => ({
    networkId: t.id({ required: true, description: 'ネットワーク ID (network id)' }),
    membershipId: t.id({
      required: true,
      description:
        'ネットワーク内のホーム拠点の会員資格 ID (membership of a home space in the network)',
    }),
    validFrom: t.field({ type: 'Date', required: true, description: '有効開始日 (valid from)' }),
    validUntil: t.field({
      type: 'Date',
      required: true,
      description: '有効期限 — 会員資格の期間内 (valid until, within the membership)',
    }),
  }),
});

defineMutation(builder, 'issuePass', {
  description:
    'パスを発行する。ホーム拠点の運営組織のスタッフまたはハブ管理者のみ (issue a pass. Staff of the home space’s operator or hub admins)',
  input: { type: IssuePassInput, description: '発行内容 (the pass)' },
  success: { field: 'pass', type: PassRef, description: '発行したパス (the new pass)' },
  errors: [InvalidInputError, NotFoundError, ConflictError],
  authScopes: async (input, context) => {
    const operatorId = (await membershipLoader(context).load(input.membershipId))?.space.operatorId;
    return operatorId ? { admin: true, staffOf: [operatorId] } : { admin: true };
  },
  resolve: (input, context) => issuePass(context, input),
});

const RedeemPassInput = builder.inputType('RedeemPassInput', {
  description: 'パスの利用 (a pass to use at a host on a day)',
  fields: (t) => ({
    passId: t.id({ required: true, description: 'パス ID (pass id)' }),
    hostSpaceId: t.id({ required: true, description: '利用先の拠点 ID (host space id)' }),
    date: t.field({ type: 'Date', required: true, description: '利用日 (day of use, Asia/Tokyo)' }),
  }),
});

defineMutation(builder, 'redeemPass', {
  description:
    'パスを利用する。利用先の条件 (無料日数・事前連絡・対象プラン) とパスの有効期間で判断し、断るときは理由をコードで返す。本人、利用先の運営組織のスタッフ、ハブ管理者のみ (use a pass at a host on a day, under the host’s terms and the pass’s validity; a refusal says why by its code. The holder, staff of the host’s operator, or hub admins)',
  input: { type: RedeemPassInput, description: '利用内容 (the pass, host and day)' },
  success: {
    field: 'redemption',
    type: PassRedemptionRef,
    description: '記録した利用 (the recorded use)',
  },
  errors: [InvalidInputError, NotFoundError, ConflictError],
  authScopes: async (input, context) => {
    const pass = await passLoader(context).load(input.passId);
    const host = (await spaceLoader(context).load(input.hostSpaceId))?.operatorId;
    if (!pass) return { admin: true };
    return { admin: true, self: pass.memberId, staffOf: host ? [host] : [] };
  },
  resolve: (input, context) => redeemPass(context, input),
});

/**
 * The holder of each redemption's pass, with the operators of its host and of the holder's home
 * space: who may cancel it (one query per request, shared by the scope check and the resolver).
 */
function redemptionPartiesLoader(context: SpacesContext) {
  return requestLoader(context, 'redemptionParties', {
    fetch: async (ids: readonly string[]) => {
      const rows = await context.prisma.passRedemption.findMany({
        where: { id: { in: [...ids] } },
        select: {
          id: true,
          hostSpace: { select: { operatorId: true } },
          pass: {
            select: {
              memberId: true,
              membership: { select: { space: { select: { operatorId: true } } } },
            },
          },
        },
      });
      return rows.map((row) => ({
        id: row.id,
        memberId: row.pass.memberId,
        operatorIds: [row.hostSpace.operatorId, row.pass.membership.space.operatorId].filter(
          (id): id is string => id !== null,
        ),
      }));
    },
    keyOf: (parties) => parties.id,
  });
}

const CancelPassRedemptionInput = builder.inputType('CancelPassRedemptionInput', {
  description: 'パスの利用の取り消し (a pass redemption to cancel)',
  fields: (t) => ({
    redemptionId: t.id({ required: true, description: 'パスの利用 ID (redemption id)' }),
  }),
});

defineMutation(builder, 'cancelPassRedemption', {
  description:
    'パスの利用を取り消す。その日はその月の無料利用日数に数えなくなり、また予約できる。本人は利用日の前日まで (当日以降は PASS_REDEMPTION_TOO_LATE)、利用先・ホーム拠点の運営組織のスタッフとハブ管理者はいつでも (cancel a pass redemption: the day no longer counts against the month’s free days and can be booked again. The holder before the day (PASS_REDEMPTION_TOO_LATE from the day on); staff of the host’s or home space’s operator and hub admins at any time)',
  input: { type: CancelPassRedemptionInput, description: '取り消す利用 (the redemption)' },
  success: {
    field: 'redemption',
    type: PassRedemptionRef,
    description: '取り消した利用 — もう記録にない (the cancelled redemption, no longer recorded)',
  },
  errors: [InvalidInputError, NotFoundError, ConflictError],
  authScopes: async (input, context) => {
    const parties = await redemptionPartiesLoader(context).load(String(input.redemptionId));
    // Unknown (or already cancelled): any member may learn that, as PASS_REDEMPTION_NOT_FOUND —
    // ids are random, so it reveals nothing about anyone's passes.
    if (!parties) return { admin: true, member: true };
    return { admin: true, self: parties.memberId, staffOf: parties.operatorIds };
  },
  resolve: async (input, context) => {
    const parties = await redemptionPartiesLoader(context).load(String(input.redemptionId));
    // answersFor(context, null) is true for hub admins only.
    const isStaff = [...(parties?.operatorIds ?? []), null].some((operatorId) =>
      answersFor(context, operatorId),
    );
    return cancelPassRedemption(context, input, { isStaff });
  },
});
