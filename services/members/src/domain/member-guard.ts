import { AppError } from '@hub/service-kit';
import type { Prisma } from '../generated/prisma/client.js';

/**
 * Where a member's absence or erasure is reported: the input field naming the member, or
 * `null` when the member is the caller (nothing in the input is at fault).
 */
export type MemberField = string | null;

/** The caller's own member: an erased caller is no input field's fault. */
export const CALLER: MemberField = null;

const fieldOf = (field: MemberField) => (field === null ? {} : { field });

export function memberNotFound(field: MemberField = 'memberId'): AppError {
  return new AppError('NOT_FOUND', 'メンバーが見つかりません (member not found)', fieldOf(field));
}

export function memberErased(field: MemberField = 'memberId'): AppError {
  return new AppError(
    'MEMBER_ERASED',
    'このメンバーは退会済みです (the member’s account was erased)',
    fieldOf(field),
  );
}

/**
 * Locks the member's row for the rest of the transaction and checks it may still change:
 * concurrent profile changes and an erasure then run one after the other, so an event's
 * `changed` list is computed against the row it replaces and nothing is written after erasure.
 */
export async function lockLiveMember(
  tx: Prisma.TransactionClient,
  memberId: string,
  field: MemberField = 'memberId',
): Promise<void> {
  const rows = await tx.$queryRaw<{ erased_at: Date | null }[]>`
    SELECT erased_at FROM member WHERE id = ${memberId}::uuid FOR UPDATE`;
  const row = rows[0];
  if (!row) throw memberNotFound(field);
  if (row.erased_at) throw memberErased(field);
}
