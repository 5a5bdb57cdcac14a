import { isHubAdmin } from '@hub/identity';
import { builder } from '../builder.js';
import { callerMemberId } from '../identity/caller.js';
import { createInvitation, myInvitations, revokeInvitation } from '../identity/invitations.js';

builder.prismaObject('Invitation', {
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

builder.queryFields((t) => ({
  myInvitations: t.prismaField({
    type: ['Invitation'],
    description: '自分が作成した招待 (invitations I created, newest first)',
    authScopes: { member: true },
    resolve: (_query, _root, _args, context) =>
      myInvitations(context.prisma, callerMemberId(context)),
  }),
}));

builder.mutationFields((t) => ({
  createInvitation: t.prismaField({
    type: 'Invitation',
    description: '招待コードを作成 (create an invitation code)',
    args: {
      maxUses: t.arg.int({
        required: true,
        defaultValue: 1,
        description: '利用できる回数 1〜50 (how many sign-ups, 1–50)',
      }),
      expiresInDays: t.arg.int({
        required: true,
        defaultValue: 14,
        description: '有効日数 1〜90 (days until it expires, 1–90)',
      }),
    },
    authScopes: { member: true },
    resolve: (_query, _root, { maxUses, expiresInDays }, context) =>
      createInvitation(context.prisma, {
        inviterId: callerMemberId(context),
        maxUses,
        expiresInDays,
      }),
  }),
  revokeInvitation: t.prismaField({
    type: 'Invitation',
    description: '招待コードを取り消す (revoke an invitation code)',
    args: { id: t.arg.id({ required: true, description: '招待 ID (invitation id)' }) },
    authScopes: { member: true },
    resolve: (_query, _root, { id }, context) => {
      return revokeInvitation(context.prisma, {
        id,
        memberId: callerMemberId(context),
        isAdmin: isHubAdmin(context.identity),
      });
    },
  }),
}));
