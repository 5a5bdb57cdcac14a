import { MEMBER_KINDS } from '@hub/contracts';
import { type CommitContext, commit } from '@hub/event-bus';
import { AppError, assertMunicipalityCode, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { Member, PrismaClient } from '../generated/prisma/client.js';
import { type AuthPayload, authPayload } from './auth-payload.js';
import { parseEmail } from './email.js';
import { redeemInvitation } from './invitations.js';
import { createRegisteredMember } from './member-registration.js';
import { assertPasswordPolicy } from './password-policy.js';
import { hashPassword } from './passwords.js';
import { isUniqueViolation } from './prisma-errors.js';
import { startSession } from './refresh-tokens.js';
import { signIn } from './sign-in.js';
import { cachedSigningKey } from './signing-key-cache.js';

export const ZSignUp = z.object({
  email: z.string().max(1000),
  // The policy gives the precise reason; this only keeps absurd input away from argon2.
  password: z.string().max(1000),
  displayName: z.string().trim().min(1).max(100),
  displayNameKana: z.string().trim().max(100).nullish(),
  kind: MEMBER_KINDS.keySchema,
  municipalityCode: z.string().nullish(),
  invitationCode: z.string().trim().max(40).nullish(),
});
export type TSignUp = z.input<typeof ZSignUp>;

const emailTaken = () =>
  new AppError('EMAIL_TAKEN', 'メールアドレスは登録済みです (email already registered)', {
    field: 'email',
  });

/**
 * How long after an account's creation a sign-up with its email and its password counts as a
 * retry of that sign-up (whose answer the client lost) and signs the caller in.
 */
export const SIGN_UP_RETRY_WINDOW_MS = 60 * 60_000;

/**
 * Creates a member with an account and a first session. Member, account, invitation use,
 * session and the member.registered event commit together or not at all, and nothing is read
 * after the commit (see authPayload): the answer says what was committed.
 *
 * A retry of the same sign-up — the same email and password, within SIGN_UP_RETRY_WINDOW_MS
 * of the account's creation, e.g. after a lost answer or a SERVICE_UNAVAILABLE on the way —
 * signs the caller in to the account it created (a new session) instead of answering
 * EMAIL_TAKEN. It goes through signIn, so it is throttled and recorded like any sign-in: a
 * wrong password there counts as a failed sign-in and answers EMAIL_TAKEN, as does any email
 * registered longer ago (without touching its throttle).
 */
export async function signUp(
  db: CommitContext<PrismaClient>,
  input: unknown,
  options: { now?: Date; clientAddress?: string | null } = {},
): Promise<AuthPayload> {
  const { prisma } = db;
  const now = options.now ?? new Date();
  const fields = parseInput(ZSignUp, input);
  const email = parseEmail(fields.email);
  assertPasswordPolicy(fields.password, email);
  if (fields.municipalityCode != null) assertMunicipalityCode(fields.municipalityCode);
  const retry = () =>
    signUpAgain(
      prisma,
      { email, password: fields.password, clientAddress: options.clientAddress ?? null },
      now,
    );
  // Saves an argon2 run in the common case; the unique index decides under concurrency.
  if (await prisma.account.findUnique({ where: { email }, select: { memberId: true } })) {
    return retry();
  }
  const passwordHash = await hashPassword(fields.password);
  const key = await cachedSigningKey(prisma, now);
  let session: Awaited<ReturnType<typeof startSession>> & { member: Member };
  try {
    session = await commit(db, async (tx, emit) => {
      const referredById = fields.invitationCode
        ? await redeemInvitation(tx, fields.invitationCode, now)
        : null;
      const member = await createRegisteredMember(
        tx,
        emit,
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
      return { member, ...(await startSession(tx, member.id, now)) };
    });
  } catch (error) {
    // A concurrent sign-up with this email committed first: the same sign-up sent twice?
    if (isUniqueViolation(error)) return retry();
    throw error;
  }
  // A member created in this transaction has no affiliations yet: no staff claims.
  const identity = {
    kind: 'member' as const,
    memberId: session.member.id,
    sessionId: session.sessionId,
    roles: [],
    staffOf: [],
  };
  return authPayload(key, { ...session, identity, now });
}

/** The email has an account: a retry of its sign-up signs in, anything else is EMAIL_TAKEN. */
async function signUpAgain(
  prisma: PrismaClient,
  attempt: { email: string; password: string; clientAddress: string | null },
  now: Date,
): Promise<AuthPayload> {
  const account = await prisma.account.findUnique({
    where: { email: attempt.email },
    select: { createdAt: true },
  });
  if (!account || now.getTime() - account.createdAt.getTime() > SIGN_UP_RETRY_WINDOW_MS) {
    throw emailTaken();
  }
  try {
    return await signIn(prisma, attempt, now);
  } catch (error) {
    // A wrong password (now recorded as a failed sign-in), a lock, an erasure: registered.
    if (error instanceof AppError && error.code !== 'SERVICE_UNAVAILABLE') throw emailTaken();
    throw error;
  }
}
