import { AppError, assertMunicipalityCode, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client.js';
import { type AuthPayload, authPayload } from './auth-payload.js';
import { parseEmail } from './email.js';
import { redeemInvitation } from './invitations.js';
import { createRegisteredMember } from './member-registration.js';
import { assertPasswordPolicy } from './password-policy.js';
import { hashPassword } from './passwords.js';
import { isUniqueViolation } from './prisma-errors.js';
import { startSession } from './refresh-tokens.js';

const MEMBER_KINDS = [
  'FREELANCER',
  'SMALL_BUSINESS',
  'STUDENT',
  'FOUNDER',
  'TELEWORKER',
  'EMPLOYEE',
] as const;

export const ZSignUp = z.object({
  email: z.string().max(1000),
  // The policy gives the precise reason; this only keeps absurd input away from argon2.
  password: z.string().max(1000),
  displayName: z.string().trim().min(1).max(100),
  displayNameKana: z.string().trim().max(100).nullish(),
  kind: z.enum(MEMBER_KINDS),
  municipalityCode: z.string().nullish(),
  invitationCode: z.string().trim().max(40).nullish(),
});
export type TSignUp = z.input<typeof ZSignUp>;

const emailTaken = () =>
  new AppError('EMAIL_TAKEN', 'メールアドレスは登録済みです (email already registered)', {
    field: 'email',
  });

/**
 * Creates a member with an account and a first session. Member, account, invitation use,
 * session and the member.registered event commit together or not at all.
 */
export async function signUp(
  prisma: PrismaClient,
  input: unknown,
  now = new Date(),
): Promise<AuthPayload> {
  const fields = parseInput(ZSignUp, input);
  const email = parseEmail(fields.email);
  assertPasswordPolicy(fields.password, email);
  if (fields.municipalityCode != null) assertMunicipalityCode(fields.municipalityCode);
  // Saves an argon2 run in the common case; the unique index decides under concurrency.
  if (await prisma.account.findUnique({ where: { email }, select: { memberId: true } })) {
    throw emailTaken();
  }
  const passwordHash = await hashPassword(fields.password);
  let session: Awaited<ReturnType<typeof startSession>> & { memberId: string };
  try {
    session = await prisma.$transaction(async (tx) => {
      const referredById = fields.invitationCode
        ? await redeemInvitation(tx, fields.invitationCode, now)
        : null;
      const member = await createRegisteredMember(
        tx,
        {
          displayName: fields.displayName,
          displayNameKana: fields.displayNameKana || null,
          kind: fields.kind,
          municipalityCode: fields.municipalityCode ?? null,
          referredById,
        },
        now,
      );
      await tx.account.create({ data: { memberId: member.id, email, passwordHash } });
      return { memberId: member.id, ...(await startSession(tx, member.id, now)) };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
  return authPayload(prisma, { ...session, roles: [], now });
}
