import { builder } from '../builder.js';
import type { ERASURE_REASONS } from '../domain/privacy/erase-member.js';

export const ErasureReasonEnum = builder.enumType('ErasureReason', {
  description:
    '管理者による消去の理由 — 監査記録に残る (why an admin erased a member; kept in the audit log)',
  values: {
    MEMBER_REQUEST: { description: '本人からの依頼 (the member asked, e.g. at the counter)' },
    RETENTION_ENDED: { description: '保存期間の終了 (retention period ended)' },
    LEGAL_OBLIGATION: { description: '法令・命令による (legal obligation)' },
    DUPLICATE_ACCOUNT: { description: '重複登録 (duplicate registration)' },
    OTHER: { description: 'その他 (other)' },
  } satisfies Record<(typeof ERASURE_REASONS)[number], { description: string }>,
});
