import { defineMutation, InvalidInputError, NotFoundError } from '@hub/service-kit';
import { builder } from '../builder.js';
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

const EraseMyAccountInput = builder.inputType('EraseMyAccountInput', {
  description: '退会の確認 (confirming the erasure of your account)',
  fields: (t) => ({
    confirmation: t.string({
      required: true,
      description: '確認のため「退会します」または ERASE (type 退会します or ERASE to confirm)',
    }),
  }),
});

defineMutation(builder, 'eraseMyAccount', {
  description:
    '退会してアカウントと個人情報を消去する — 取り消せません (erase your account and personal data; cannot be undone)',
  input: { type: EraseMyAccountInput, description: '退会の確認 (the confirmation)' },
  success: { field: 'receipt', type: ErasureReceiptRef, description: '消去の受付 (the receipt)' },
  errors: [InvalidInputError, NotFoundError],
  authScopes: () => ({ member: true }),
  resolve: ({ confirmation }, context) => {
    assertErasureConfirmation(confirmation);
    return eraseMember(context, {
      memberId: callerMemberId(context),
      requestedBy: 'member',
      requestId: context.requestId,
    });
  },
});

const EraseMemberInput = builder.inputType('EraseMemberInput', {
  description: '消去するメンバーと理由 (the member to erase and why)',
  fields: (t) => ({
    memberId: t.id({ required: true, description: 'メンバー ID (member id)' }),
    reason: t.field({
      type: ErasureReasonEnum,
      required: true,
      description: '理由 — 監査記録に残る (reason; kept in the audit log)',
    }),
  }),
});

defineMutation(builder, 'eraseMember', {
  description:
    'メンバーのアカウントと個人情報を消去する — ハブ管理者 (erase a member’s account and personal data; hub admin)',
  input: { type: EraseMemberInput, description: 'メンバーと理由 (the member and the reason)' },
  success: { field: 'receipt', type: ErasureReceiptRef, description: '消去の受付 (the receipt)' },
  errors: [NotFoundError],
  authScopes: () => ({ admin: true }),
  resolve: ({ memberId, reason }, context) =>
    eraseMember(context, {
      memberId,
      requestedBy: 'admin',
      actorMemberId: callerMemberId(context),
      reason,
      requestId: context.requestId,
    }),
});
