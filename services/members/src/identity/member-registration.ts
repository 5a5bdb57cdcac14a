import type { Emit } from '@hub/event-bus';
import { memberRegisteredEvent, referralChangedEvent } from '../domain/member-events.js';
import type { Member, MemberKind, Prisma } from '../generated/prisma/client.js';

export type NewMember = {
  displayName: string;
  displayNameKana: string | null;
  kind: MemberKind;
  municipalityCode: string | null;
  referredById: string | null;
};

/**
 * Creates a member and emits its `members.member.registered` and `members.referral.changed`
 * inside the caller's commit, the same events domain/register-member.ts publishes (that function commits on its own, so
 * sign-up cannot have it commit the account with the member).
 */
export async function createRegisteredMember(
  tx: Prisma.TransactionClient,
  emit: Emit,
  fields: NewMember,
  now: Date,
): Promise<Member> {
  const member = await tx.member.create({ data: { ...fields, createdAt: now } });
  emit(memberRegisteredEvent(member, []));
  emit(referralChangedEvent(member));
  return member;
}
