import { AppError } from '@hub/service-kit';
import { lockLiveMember } from '../domain/member-guard.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { memberIdentity } from './access-tokens.js';
import { type AuthPayload, authPayload } from './auth-payload.js';
import { MAX_EMAIL_LENGTH, normaliseEmail } from './email.js';
import { verifyPassword } from './passwords.js';
import { startSession } from './refresh-tokens.js';
import { cachedSigningKey } from './signing-key-cache.js';
import {
  assertAddressNotLocked,
  assertNotLocked,
  REFUSED_EMAIL,
  recordFailure,
  resetFailures,
  slowDown,
  unknownEmailState,
} from './throttle.js';

export type SignInAttempt = { email: string; password: string; clientAddress: string | null };

// Longer than any password the policy accepts: not worth an argon2 run.
const MAX_PASSWORD_LENGTH = 1024;

const invalidCredentials = () =>
  new AppError(
    'INVALID_CREDENTIALS',
    'メールアドレスまたはパスワードが正しくありません (wrong email or password)',
  );

/**
 * Email + password sign-in. A wrong password and an unknown email look the same (same code,
 * same argon2 cost, same slow-down and lock); see throttle.ts for the limits.
 */
export async function signIn(
  prisma: PrismaClient,
  attempt: SignInAttempt,
  now = new Date(),
): Promise<AuthPayload> {
  const email = normaliseEmail(attempt.email);
  await assertAddressNotLocked(prisma, attempt.clientAddress, now);
  // NFKC can lengthen what the schema let through (one character can become eighteen): such an
  // address belongs to no account and would not fit the failure index, yet it must be counted.
  if (email.length > MAX_EMAIL_LENGTH) {
    await recordFailure(
      prisma,
      { email: REFUSED_EMAIL, clientAddress: attempt.clientAddress, memberId: null },
      now,
    );
    throw invalidCredentials();
  }
  const account = await prisma.account.findUnique({
    where: { email },
    select: {
      memberId: true,
      passwordHash: true,
      roles: true,
      failedCount: true,
      lockedUntil: true,
      member: { select: { erasedAt: true } },
    },
  });
  const state = account ?? (await unknownEmailState(prisma, email, now));
  assertNotLocked(state, now);
  await slowDown(state);
  const isMatch =
    attempt.password.length <= MAX_PASSWORD_LENGTH &&
    (await verifyPassword(account?.passwordHash ?? null, attempt.password));
  if (!account || !isMatch) {
    await recordFailure(
      prisma,
      { email, clientAddress: attempt.clientAddress, memberId: account?.memberId ?? null },
      now,
    );
    throw invalidCredentials();
  }
  if (account.member.erasedAt) {
    throw new AppError(
      'MEMBER_ERASED',
      'このアカウントは削除されています (this account has been erased)',
    );
  }
  await resetFailures(prisma, account.memberId, account);
  const key = await cachedSigningKey(prisma, now);
  const session = await prisma.$transaction(async (tx) => {
    // An erasure may have committed since the account was read: its row lock orders the two,
    // so a session is never started for an account that is gone.
    await lockLiveMember(tx, account.memberId);
    const started = await startSession(tx, account.memberId, now);
    return {
      ...started,
      identity: await memberIdentity(tx, {
        ...started,
        memberId: account.memberId,
        roles: account.roles,
        now,
      }),
      member: await tx.member.findUniqueOrThrow({ where: { id: account.memberId } }),
    };
  });
  return authPayload(key, { ...session, now });
}
