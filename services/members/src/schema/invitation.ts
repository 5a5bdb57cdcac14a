import { isHubAdmin } from '@hub/identity';
import {
  countedList,
  defineConnection,
  defineMutation,
  InvalidInputError,
  NotFoundError,
} from '@hub/service-kit';
import { builder, type MembersContext } from '../builder.js';
import type { Prisma } from '../generated/prisma/client.js';
import { callerMemberId } from '../identity/caller.js';
import {
  createInvitation,
  INVITATION_LIMITS,
  INVITATION_ORDER,
  revokeInvitation,
} from '../identity/invitations.js';

const InvitationRef = builder.prismaObject('Invitation', {
  description:
    '招待コード — 使って登録した人は招待者の紹介として記録 (an invitation code; sign-ups with it are referred by the inviter)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'ID (UUID)' }),
    code: t.exposeString('code', {
      description:
        '招待コード 10文字 — 招待者にのみ表示 (the 10-character code; shown to the inviter)',
    }),
    maxUses: t.exposeInt('maxUses', {
      description: '利用できる回数 (how many sign-ups it allows)',
    }),
    uses: t.exposeInt('uses', { description: '利用された回数 (sign-ups so far)' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: '作成日時 (created at)' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', description: '有効期限 (expiry)' }),
    revokedAt: t.expose('revokedAt', {
      type: 'DateTime',
      nullable: true,
      description: '取り消し日時 (revoked at)',
    }),
  }),
});

const InvitationConnection = defineConnection(builder, InvitationRef, {
  name: 'InvitationConnection',
  description: '招待のページ (a page of invitations)',
  edgeDescription: '招待とそのカーソル (an invitation with its cursor)',
});

builder.queryFields((t) => ({
  myInvitations: t.prismaConnection(
    {
      type: 'Invitation',
      cursor: 'id',
      description: '自分が作成した招待、新しい順 (invitations I created, newest first)',
      authScopes: { member: true },
      // Only the caller's own: the condition is the whole list, counted as paged.
      ...countedList({
        where: (_args: object, context: MembersContext): Prisma.InvitationWhereInput => ({
          inviterId: callerMemberId(context),
        }),
        findMany: (query, context: MembersContext) =>
          context.prisma.invitation.findMany({ ...query, orderBy: INVITATION_ORDER }),
        count: (where, context: MembersContext) => context.prisma.invitation.count({ where }),
      }),
    },
    InvitationConnection,
  ),
}));

const CreateInvitationInput = builder.inputType('CreateInvitationInput', {
  description: '招待コードの作成内容 (a new invitation code)',
  fields: (t) => ({
    maxUses: t.int({
      required: false,
      defaultValue: 1,
      description: `利用できる回数 ${INVITATION_LIMITS.maxUses.min}〜${INVITATION_LIMITS.maxUses.max}、既定 1 (how many sign-ups it allows; default 1)`,
    }),
    expiresInDays: t.int({
      required: false,
      defaultValue: 14,
      description: `有効日数 ${INVITATION_LIMITS.expiresInDays.min}〜${INVITATION_LIMITS.expiresInDays.max}、既定 14 (days until it expires; default 14)`,
    }),
  }),
});

defineMutation(builder, 'createInvitation', {
  description: '招待コードを作成 (create an invitation code)',
  input: { type: CreateInvitationInput, description: '作成内容 (the invitation)' },
  success: {
    field: 'invitation',
    type: InvitationRef,
    description: '作成した招待 (the invitation)',
  },
  // A count or a number of days out of range.
  errors: [InvalidInputError],
  authScopes: () => ({ member: true }),
  resolve: (input, context) =>
    createInvitation(context.prisma, {
      inviterId: callerMemberId(context),
      maxUses: input.maxUses ?? 1,
      expiresInDays: input.expiresInDays ?? 14,
    }),
});

const RevokeInvitationInput = builder.inputType('RevokeInvitationInput', {
  description: '取り消す招待 (the invitation to revoke)',
  fields: (t) => ({
    id: t.id({ required: true, description: '招待 ID (invitation id)' }),
  }),
});

defineMutation(builder, 'revokeInvitation', {
  description:
    '招待コードを取り消す — 作成者またはハブ管理者、取り消し済みならそのまま (revoke an invitation code; its inviter or a hub admin; revoking again changes nothing)',
  input: { type: RevokeInvitationInput, description: '取り消す招待 (the invitation)' },
  success: {
    field: 'invitation',
    type: InvitationRef,
    description: '取り消した招待 (the revoked invitation)',
  },
  // NOT_FOUND also for someone else's invitation: whether it exists is not theirs to know.
  errors: [NotFoundError],
  authScopes: () => ({ member: true }),
  resolve: ({ id }, context) =>
    revokeInvitation(context.prisma, {
      id,
      memberId: callerMemberId(context),
      isAdmin: isHubAdmin(context.identity),
    }),
});
