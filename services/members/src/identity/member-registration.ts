import { createEvent, writeOutbox } from '@hub/event-bus';
import type { Member, MemberKind, Prisma } from '../generated/prisma/client.js';

export type NewMember = {
  displayName: string;
  displayNameKana: string | null;
  kind: MemberKind;
  municipalityCode: string | null;
  referredById: string | null;
};

/**
 * Creates a member and its `members.member.registered` event inside the caller's transaction,
 * the same event domain/register-member.ts publishes (that function opens its own
 * transaction, so sign-up cannot pass it one and commit the account with it).
 */
export async function createRegisteredMember(
  tx: Prisma.TransactionClient,
  fields: NewMember,
  now: Date,
): Promise<Member> {
  const member = await tx.member.create({ data: { ...fields, createdAt: now } });
  await writeOutbox(tx, [
    createEvent('members.member.registered', {
      source: 'members',
      subject: member.id,
      data: {
        memberId: member.id,
        displayName: member.displayName,
        displayNameKana: member.displayNameKana,
        kind: kindForEvent(member.kind),
        municipalityCode: member.municipalityCode,
        skills: [],
      },
    }),
  ]);
  return member;
}

function kindForEvent(kind: MemberKind) {
  return kind.toLowerCase().replaceAll('_', '-') as
    | 'freelancer'
    | 'small-business'
    | 'student'
    | 'founder'
    | 'teleworker'
    | 'employee';
}
