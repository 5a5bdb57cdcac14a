import { randomUUID } from 'node:crypto';
import type { Database } from '../../src/db.js';
import { createOrganization } from '../../src/domain/create-organization.js';
import { grantConsent } from '../../src/domain/privacy/consents.js';
import { PRIVACY_NOTICES } from '../../src/domain/privacy/notices.js';
import { registerMember, type TRegisterMember } from '../../src/domain/register-member.js';

type Prisma = Database['prisma'];

/** A member registered through the domain operation (member.registered in the outbox). */
export async function newMember(
  prisma: Prisma,
  fields: Partial<TRegisterMember> = {},
): Promise<string> {
  const member = await registerMember(prisma, {
    displayName: `テスト ${randomUUID().slice(0, 8)}`,
    kind: 'TELEWORKER',
    ...fields,
  });
  return member.id;
}

export async function newOrganization(prisma: Prisma, name?: string): Promise<string> {
  const organization = await createOrganization(prisma, {
    name: name ?? `テスト組織 ${randomUUID().slice(0, 8)}`,
    kind: 'SPACE_OPERATOR',
  });
  return organization.id;
}

/** An account row as sign-up would leave it (the identity schema owns sign-up itself). */
export async function newAccount(
  prisma: Prisma,
  memberId: string,
  email = `${memberId}@example.test`,
): Promise<string> {
  await prisma.account.create({ data: { memberId, email, passwordHash: 'not-a-real-hash' } });
  return email;
}

/** The member's consent to a purpose under its current privacy notice. */
export function consentTo(prisma: Prisma, memberId: string, purpose: keyof typeof PRIVACY_NOTICES) {
  return grantConsent(prisma, {
    memberId,
    purpose,
    noticeVersion: PRIVACY_NOTICES[purpose].version,
  });
}
