import { builder, type MembersContext } from '../builder.js';
import { assertErasureConfirmation, eraseMember } from '../domain/privacy/erase-member.js';
import { callerMemberId } from '../identity/caller.js';
import { ErasureReasonEnum } from './erasure-reason.js';

const ErasureReceiptRef = builder
  .objectRef<{ memberId: string; erasedAt: Date }>('ErasureReceipt')
  .implement({
    description: 'アカウント消去の受付 (receipt of an account erasure)',
    fields: (t) => ({
      memberId: t.exposeID('memberId', { description: '消去したメンバーの ID (member id)' }),
      erasedAt: t.expose('erasedAt', { type: 'DateTime', description: '消去日時 (erased at)' }),
    }),
  });

const kick = (context: MembersContext) => context.relay?.kick();

builder.mutationFields((t) => ({
  eraseMyAccount: t.field({
    type: ErasureReceiptRef,
    description:
      '退会してアカウントと個人情報を消去する — 取り消せません (erase your account and personal data; cannot be undone)',
    args: {
      confirmation: t.arg.string({
        required: true,
        description: '確認のため「退会します」または ERASE (type 退会します or ERASE to confirm)',
      }),
    },
    authScopes: { member: true },
    resolve: async (_root, { confirmation }, context) => {
      assertErasureConfirmation(confirmation);
      const receipt = await eraseMember(context.prisma, {
        memberId: callerMemberId(context),
        requestedBy: 'member',
        requestId: context.requestId,
      });
      kick(context);
      return receipt;
    },
  }),
  eraseMember: t.field({
    type: ErasureReceiptRef,
    description:
      'メンバーのアカウントと個人情報を消去する — ハブ管理者 (erase a member’s account and personal data; hub admin)',
    args: {
      memberId: t.arg.id({ required: true, description: 'メンバー ID (member id)' }),
      reason: t.arg({
        type: ErasureReasonEnum,
        required: true,
        description: '理由 — 監査記録に残る (reason; kept in the audit log)',
      }),
    },
    authScopes: { admin: true },
    resolve: async (_root, { memberId, reason }, context) => {
      const receipt = await eraseMember(context.prisma, {
        memberId,
        requestedBy: 'admin',
        actorMemberId: callerMemberId(context),
        reason,
        requestId: context.requestId,
      });
      kick(context);
      return receipt;
    },
  }),
}));
