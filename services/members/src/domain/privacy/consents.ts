import { CONSENT_PURPOSES, type ConsentPurpose } from '@hub/identity';
import { AppError } from '@hub/service-kit';
import type { Consent, PrismaClient } from '../../generated/prisma/client.js';
import { lockLiveMember } from '../member-guard.js';
import { writeAuditEntry } from './audit-entries.js';
import { isConsentPurpose, PRIVACY_NOTICES } from './notices.js';

export type ConsentChange = {
  memberId: string;
  purpose: string;
  /** Request the change came with, kept in the audit entry to trace it. */
  requestId?: string | null;
};

function checkedPurpose(purpose: string): ConsentPurpose {
  if (isConsentPurpose(purpose)) return purpose;
  throw new AppError(
    'BAD_USER_INPUT',
    `利用目的が正しくありません: ${purpose} (unknown purpose; one of ${CONSENT_PURPOSES.join(', ')})`,
    { field: 'purpose' },
  );
}

/**
 * Records the member's consent to a purpose under the notice version they read. Only the
 * current version is accepted: consent to text the member was not shown is no consent.
 * Consenting again to the same version changes nothing; consenting to a newer version
 * supersedes the older consent. The grant is audited (the purpose in `fields`).
 */
export async function grantConsent(
  prisma: PrismaClient,
  input: ConsentChange & { noticeVersion: string },
): Promise<Consent> {
  const purpose = checkedPurpose(input.purpose);
  const notice = PRIVACY_NOTICES[purpose];
  if (input.noticeVersion !== notice.version) {
    throw new AppError(
      'BAD_USER_INPUT',
      `通知の版が最新ではありません。最新の版 ${notice.version} を確認してください (notice version ${input.noticeVersion} is not the current one, ${notice.version})`,
      { field: 'noticeVersion' },
    );
  }
  return prisma.$transaction(async (tx) => {
    await lockLiveMember(tx, input.memberId);
    const active = await tx.consent.findFirst({
      where: { memberId: input.memberId, purpose, withdrawnAt: null },
      orderBy: { grantedAt: 'desc' },
    });
    if (active?.noticeVersion === notice.version) return active;
    const now = new Date();
    await tx.consent.updateMany({
      where: { memberId: input.memberId, purpose, withdrawnAt: null },
      data: { withdrawnAt: now },
    });
    const consent = await tx.consent.create({
      data: { memberId: input.memberId, purpose, noticeVersion: notice.version, grantedAt: now },
    });
    await writeAuditEntry(tx, {
      action: 'CONSENT_GRANTED',
      memberId: input.memberId,
      actorMemberId: input.memberId,
      fields: [purpose],
      requestId: input.requestId,
    });
    return consent;
  });
}

/**
 * Withdraws the member's consent to a purpose. Partners are refused from the next request on:
 * access checks read consent per request, nothing caches it.
 */
export async function withdrawConsent(
  prisma: PrismaClient,
  input: ConsentChange,
): Promise<Consent> {
  const purpose = checkedPurpose(input.purpose);
  return prisma.$transaction(async (tx) => {
    await lockLiveMember(tx, input.memberId);
    const active = await tx.consent.findMany({
      where: { memberId: input.memberId, purpose, withdrawnAt: null },
      orderBy: { grantedAt: 'desc' },
    });
    const latest = active[0];
    if (!latest) {
      throw new AppError(
        'NOT_FOUND',
        'この利用目的への有効な同意はありません (no active consent to this purpose)',
        { field: 'purpose' },
      );
    }
    const now = new Date();
    await tx.consent.updateMany({
      where: { id: { in: active.map((consent) => consent.id) } },
      data: { withdrawnAt: now },
    });
    await writeAuditEntry(tx, {
      action: 'CONSENT_WITHDRAWN',
      memberId: input.memberId,
      actorMemberId: input.memberId,
      fields: [purpose],
      requestId: input.requestId,
    });
    return { ...latest, withdrawnAt: now };
  });
}
