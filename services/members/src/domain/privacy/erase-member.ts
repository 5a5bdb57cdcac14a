import { type CommitContext, commit } from '@hub/event-bus';
import { AppError } from '@hub/service-kit';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { referralChangedEvent } from '../member-events.js';
import { CALLER, memberErased, memberNotFound } from '../member-guard.js';
import { writeAuditEntry } from './audit-entries.js';
import { endConsentsOfErasedMember } from './consents.js';

/** What the member types to confirm erasing their own account. */
export const ERASURE_CONFIRMATIONS = ['退会します', 'ERASE'] as const;
export const ERASED_DISPLAY_NAME = '退会済みメンバー (erased member)';

/**
 * Why an administrator erased a member. A closed list, not free text: the reason is kept in
 * the audit log, which must never hold personal data.
 */
export const ERASURE_REASONS = [
  'MEMBER_REQUEST',
  'RETENTION_ENDED',
  'LEGAL_OBLIGATION',
  'DUPLICATE_ACCOUNT',
  'OTHER',
] as const;
export type ErasureReason = (typeof ERASURE_REASONS)[number];

export type EraseMemberInput = {
  memberId: string;
  requestedBy: 'member' | 'admin';
  /** The administrator who erased the member (null when the member erased themself). */
  actorMemberId?: string | null;
  reason?: ErasureReason | null;
  requestId?: string | null;
};

export function assertErasureConfirmation(confirmation: string): void {
  if ((ERASURE_CONFIRMATIONS as readonly string[]).includes(confirmation.trim())) return;
  throw new AppError(
    'BAD_USER_INPUT',
    '確認のため「退会します」と入力してください (type ERASE to confirm)',
    { field: 'confirmation' },
  );
}

/**
 * Erases a member (APPI 利用停止・消去): the row stays as an anonymous tombstone so ids others
 * hold (referral edges of other members, audit entries, other services' rows until they process
 * the event) still point somewhere, and everything personal goes — profile fields, account
 * (sessions and refresh tokens cascade), sign-in failures recorded under their email, skills,
 * links, consents, invitations they created, affiliations and who referred them. Members they
 * referred keep their edge to the tombstone: it is those members' data and reveals nothing.
 * One transaction with the audit entry, `members.referral.changed`, `members.consent.withdrawn`
 * for each live consent and `members.member.erased`.
 */
export async function eraseMember(
  db: CommitContext<PrismaClient>,
  input: EraseMemberInput,
): Promise<{ memberId: string; erasedAt: Date }> {
  const erasedAt = new Date();
  return commit(db, async (tx, emit) => {
    // Conditional on erasedAt null: a concurrent second erasure waits on the row lock, then
    // matches nothing and is told the member is already erased.
    const { count } = await tx.member.updateMany({
      where: { id: input.memberId, erasedAt: null },
      data: {
        displayName: ERASED_DISPLAY_NAME,
        displayNameKana: null,
        bio: null,
        aspiration: null,
        municipalityCode: null,
        homeMunicipalityCode: null,
        interests: [],
        availableHoursPerWeek: null,
        relocationInterest: 'NONE',
        contactPhone: null,
        profileVisibility: 'STAFF',
        referredById: null,
        erasedAt,
      },
    });
    if (count === 0) {
      const exists = await tx.member.findUnique({
        where: { id: input.memberId },
        select: { id: true },
      });
      // Erasing yourself names nobody in the input; a hub admin names the member.
      const field = input.requestedBy === 'member' ? CALLER : 'memberId';
      throw exists ? memberErased(field) : memberNotFound(field);
    }
    const memberId = input.memberId;
    // No referrer and `staff`: the links to the members they introduced stay (theirs), seen
    // only by those members and their organisations' staff.
    emit(referralChangedEvent({ id: memberId, referredById: null, profileVisibility: 'STAFF' }));
    const account = await tx.account.findUnique({ where: { memberId }, select: { email: true } });
    if (account) await tx.signInFailure.deleteMany({ where: { email: account.email } });
    await tx.account.deleteMany({ where: { memberId } });
    await tx.memberSkill.deleteMany({ where: { memberId } });
    await tx.memberLink.deleteMany({ where: { memberId } });
    await endConsentsOfErasedMember(tx, emit, memberId, erasedAt);
    await tx.invitation.deleteMany({ where: { inviterId: memberId } });
    await tx.affiliation.deleteMany({ where: { memberId } });
    await writeAuditEntry(tx, {
      action: 'ERASURE',
      memberId,
      actorMemberId: input.requestedBy === 'admin' ? (input.actorMemberId ?? null) : null,
      fields: input.reason ? [`reason:${input.reason.toLowerCase().replaceAll('_', '-')}`] : [],
      requestId: input.requestId,
    });
    emit('members.member.erased', {
      subject: memberId,
      data: { memberId, erasedAt: erasedAt.toISOString(), requestedBy: input.requestedBy },
    });
    return { memberId, erasedAt };
  });
}
