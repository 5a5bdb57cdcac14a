/**
 * Why a member may or may not enter a space or room (canEnter, and later check-in refusals):
 * stable codes, each with its message `日本語 (English)`. Clients key on the code.
 */
export const ENTRY_REASONS = {
  SPACE_STAFF: '拠点の運営スタッフです (staff of the space’s operator)',
  TENANT_AFFILIATE:
    'このサテライトオフィスを借りている組織の所属者です (an affiliate of the tenant of this satellite office)',
  SPACE_MEMBER: 'この拠点の会員です (a member of this space)',
  PASS_REDEEMED:
    'この日この拠点で利用したパスがあります (holds a pass redeemed at this space for the day)',
  NOT_TENANT_AFFILIATE:
    'このサテライトオフィスは借りている組織の所属者とスタッフのみ入室できます (only the tenant’s affiliates and staff may enter this satellite office)',
  ROOM_NOT_LET:
    'このサテライトオフィスは現在貸し出されていません。スタッフのみ入室できます (this satellite office is not let now; staff only)',
  NO_MEMBERSHIP_OR_PASS:
    'この拠点の会員資格もこの日のパスもありません (neither a membership of this space nor a pass redeemed here for the day)',
  SPACE_NOT_OPEN: 'この拠点は営業していません (the space is not open)',
} as const;

export type EntryReason = keyof typeof ENTRY_REASONS;
export const ENTRY_REASON_CODES = Object.keys(ENTRY_REASONS) as EntryReason[];
