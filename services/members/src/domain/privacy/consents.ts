import { type CommitContext, commit, type Emit, type EventDraft } from '@hub/event-bus';
import { CONSENT_PURPOSES, type ConsentPurpose } from '@hub/identity';
import { AppError, assertUuid } from '@hub/service-kit';
import type { Consent, Prisma, PrismaClient } from '../../generated/prisma/client.js';
import { CALLER, lockLiveMember } from '../member-guard.js';
import {
  notAPartner,
  outsideCeiling,
  receivesPersonalDataFor,
} from '../partners/partner-ceiling.js';
import { writeAuditEntry } from './audit-entries.js';
import { isConsentPurpose, PRIVACY_NOTICES } from './notices.js';

// APPI art. 27: consent to providing personal data to a third party is consent to a named
// recipient, for a purpose. Every consent names both; a partner reads only under a consent
// naming itself and its key's purpose. Other services holding personal data decide partner
// reads too, so every change is published (members.consent.granted / withdrawn) in the same
// transaction.

export type ConsentChange = {
  memberId: string;
  /** The partner organisation the member agrees may (or may no longer) receive their data. */
  recipientOrganizationId: string;
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
 * Records the member's consent to a partner receiving their data for a purpose, under the
 * notice version they read. The recipient must be a partner allowed that purpose (its
 * ceiling), and only the current notice version is accepted: consent to text the member was
 * not shown is no consent. Consenting again to the same recipient, purpose and version
 * changes nothing; a newer version supersedes the older consent. The grant is audited (the
 * recipient in `organizationId`, the purpose in `fields`) and published.
 */
export async function grantConsent(
  db: CommitContext<PrismaClient>,
  input: ConsentChange & { noticeVersion: string },
): Promise<Consent> {
  const purpose = checkedPurpose(input.purpose);
  const recipientOrganizationId = input.recipientOrganizationId;
  assertUuid(recipientOrganizationId, 'recipientOrganizationId');
  const notice = PRIVACY_NOTICES[purpose];
  if (input.noticeVersion !== notice.version) {
    throw new AppError(
      'BAD_USER_INPUT',
      `通知の版が最新ではありません。最新の版 ${notice.version} を確認してください (notice version ${input.noticeVersion} is not the current one, ${notice.version})`,
      { field: 'noticeVersion' },
    );
  }
  return commit(db, async (tx, emit) => {
    await lockLiveMember(tx, input.memberId, CALLER);
    const recipient = await tx.organization.findUnique({
      where: { id: recipientOrganizationId },
      select: { partnership: true },
    });
    if (!recipient) {
      throw new AppError('NOT_FOUND', '組織が見つかりません (organization not found)', {
        field: 'recipientOrganizationId',
      });
    }
    if (!recipient.partnership || recipient.partnership.withdrawnAt) {
      throw notAPartner('recipientOrganizationId');
    }
    if (!receivesPersonalDataFor(recipient.partnership, purpose)) {
      throw outsideCeiling('purpose', purpose);
    }
    const same = { memberId: input.memberId, recipientOrganizationId, purpose };
    const active = await tx.consent.findFirst({
      where: { ...same, withdrawnAt: null },
      orderBy: { grantedAt: 'desc' },
    });
    if (active?.noticeVersion === notice.version) return active;
    const now = new Date();
    await tx.consent.updateMany({
      where: { ...same, withdrawnAt: null },
      data: { withdrawnAt: now },
    });
    const consent = await tx.consent.create({
      data: { ...same, noticeVersion: notice.version, grantedAt: now },
    });
    await writeAuditEntry(tx, {
      action: 'CONSENT_GRANTED',
      memberId: input.memberId,
      organizationId: recipientOrganizationId,
      actorMemberId: input.memberId,
      fields: [purpose],
      requestId: input.requestId,
    });
    emit('members.consent.granted', {
      subject: input.memberId,
      data: {
        memberId: input.memberId,
        recipientOrganizationId,
        purpose,
        noticeVersion: consent.noticeVersion,
        grantedAt: consent.grantedAt.toISOString(),
      },
    });
    return consent;
  });
}

/**
 * Withdraws the member's consent to a recipient for a purpose — whatever the recipient's
 * standing now. That partner is refused from the next request on: access checks read consent
 * per request, nothing caches it. Other services learn it from members.consent.withdrawn, a
 * moment after the commit.
 */
export async function withdrawConsent(
  db: CommitContext<PrismaClient>,
  input: ConsentChange,
): Promise<Consent> {
  const purpose = checkedPurpose(input.purpose);
  assertUuid(input.recipientOrganizationId, 'recipientOrganizationId');
  return commit(db, async (tx, emit) => {
    await lockLiveMember(tx, input.memberId, CALLER);
    const active = await tx.consent.findMany({
      where: {
        memberId: input.memberId,
        recipientOrganizationId: input.recipientOrganizationId,
        purpose,
        withdrawnAt: null,
      },
      orderBy: { grantedAt: 'desc' },
    });
    const latest = active[0];
    if (!latest) {
      throw new AppError(
        'NOT_FOUND',
        'この組織とこの利用目的への有効な同意はありません (no active consent to this recipient for this purpose)',
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
      organizationId: input.recipientOrganizationId,
      actorMemberId: input.memberId,
      fields: [purpose],
      requestId: input.requestId,
    });
    emit(
      consentWithdrawnEvent(
        {
          memberId: input.memberId,
          recipientOrganizationId: input.recipientOrganizationId,
          purpose,
        },
        now,
        'withdrawal',
      ),
    );
    return { ...latest, withdrawnAt: now };
  });
}

function consentWithdrawnEvent(
  consent: { memberId: string; recipientOrganizationId: string; purpose: ConsentPurpose },
  withdrawnAt: Date,
  cause: 'withdrawal' | 'erasure',
): EventDraft {
  return {
    type: 'members.consent.withdrawn',
    subject: consent.memberId,
    data: { ...consent, withdrawnAt: withdrawnAt.toISOString(), cause },
  };
}

/**
 * Ends every live consent of a member being erased, in the erasure's commit: deletes the
 * rows and publishes each (recipient, purpose) as withdrawn, so a service keeping consents
 * stops that partner even before it handles members.member.erased. Consents that name no
 * recipient were never published and let no partner read.
 */
export async function endConsentsOfErasedMember(
  tx: Prisma.TransactionClient,
  emit: Emit,
  memberId: string,
  erasedAt: Date,
): Promise<void> {
  const live = await tx.consent.findMany({
    where: { memberId, withdrawnAt: null, recipientOrganizationId: { not: null } },
    select: { recipientOrganizationId: true, purpose: true },
    distinct: ['recipientOrganizationId', 'purpose'],
  });
  await tx.consent.deleteMany({ where: { memberId } });
  for (const { recipientOrganizationId, purpose } of live) {
    if (recipientOrganizationId && isConsentPurpose(purpose)) {
      emit(
        consentWithdrawnEvent({ memberId, recipientOrganizationId, purpose }, erasedAt, 'erasure'),
      );
    }
  }
}
