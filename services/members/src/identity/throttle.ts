import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '@hub/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';

/** The numbers docs/identity.md quotes; change both together. */
export const THROTTLE = {
  /** Consecutive failures after which each further attempt waits before it is checked. */
  slowDownAfter: 3,
  firstDelayMs: 500,
  maxDelayMs: 2_000,
  /** Consecutive failures that lock the account. */
  lockAfter: 5,
  lockMs: 15 * 60_000,
  /** Failures from one client address (any emails) within the window that refuse it. */
  addressLimit: 20,
  addressWindowMs: 15 * 60_000,
  /** How long failures are kept (and, for emails without an account, remembered). */
  retentionMs: 24 * 60 * 60_000,
} as const;

/** Consecutive failures and lock of one email (an account's columns, or derived for unknown ones). */
export type FailureState = { failedCount: number; lockedUntil: Date | null };

const locked = (retryAt: Date, now: Date, message: string) =>
  new AppError('ACCOUNT_LOCKED', message, {
    retryAfterSeconds: Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000)),
  });

/** Refuses every sign-in from an address that failed too often lately, whatever the email. */
export async function assertAddressNotLocked(
  prisma: PrismaClient,
  clientAddress: string | null,
  now: Date,
): Promise<void> {
  if (!clientAddress) return;
  // The address is refused while its addressLimit-th newest failure is inside the window.
  const [limiting] = await prisma.signInFailure.findMany({
    where: { clientAddress, at: { gt: new Date(now.getTime() - THROTTLE.addressWindowMs) } },
    orderBy: { at: 'desc' },
    skip: THROTTLE.addressLimit - 1,
    take: 1,
    select: { at: true },
  });
  if (limiting) {
    throw locked(
      new Date(limiting.at.getTime() + THROTTLE.addressWindowMs),
      now,
      'この接続元からのサインインの失敗が多すぎます。しばらくしてからお試しください (too many failed sign-ins from this address; try again later)',
    );
  }
}

/**
 * An email without an account is throttled like one, from its recorded failures, so that
 * being slowed or locked never tells an attacker which emails are registered.
 */
export async function unknownEmailState(
  prisma: PrismaClient,
  email: string,
  now: Date,
): Promise<FailureState> {
  const failures = await prisma.signInFailure.findMany({
    where: { email, at: { gt: new Date(now.getTime() - THROTTLE.retentionMs) } },
    orderBy: { at: 'desc' },
    take: THROTTLE.lockAfter,
    select: { at: true },
  });
  const newest = failures[0];
  return {
    failedCount: failures.length,
    lockedUntil:
      newest && failures.length >= THROTTLE.lockAfter
        ? new Date(newest.at.getTime() + THROTTLE.lockMs)
        : null,
  };
}

/** A locked account refuses even the right password until the lock ends. */
export function assertNotLocked(state: FailureState, now: Date): void {
  if (state.lockedUntil && state.lockedUntil > now) {
    throw locked(
      state.lockedUntil,
      now,
      'サインインの失敗が続いたため、アカウントを一時的にロックしています。しばらくしてからお試しください (account temporarily locked after failed sign-ins; try again later)',
    );
  }
}

/** 0 before slowDownAfter failures, then doubling from firstDelayMs up to maxDelayMs. */
export function slowDownMs(failedCount: number): number {
  if (failedCount < THROTTLE.slowDownAfter) return 0;
  return Math.min(
    THROTTLE.maxDelayMs,
    THROTTLE.firstDelayMs * 2 ** (failedCount - THROTTLE.slowDownAfter),
  );
}

/** Makes guessing expensive before the lock: the attempt waits before the password is checked. */
export async function slowDown(state: FailureState): Promise<void> {
  const delayMs = slowDownMs(state.failedCount);
  if (delayMs > 0) await sleep(delayMs);
}

/**
 * The email a failure is recorded under when the given one cannot be stored or cannot belong
 * to an account (NUL, too long). Upper case: no normalised address ever looks it up.
 */
export const REFUSED_EMAIL = 'REFUSED-INPUT';

/**
 * A sign-in whose input was refused still counts against its client address, so no input can
 * make a failed attempt go unrecorded; a locked address is told so, as for any other attempt.
 */
export async function recordRefusedSignIn(
  prisma: PrismaClient,
  clientAddress: string | null,
  now = new Date(),
): Promise<void> {
  await assertAddressNotLocked(prisma, clientAddress, now);
  await recordFailure(prisma, { email: REFUSED_EMAIL, clientAddress, memberId: null }, now);
}

/** Records a failed attempt; the account's consecutive count grows and locks at lockAfter. */
export async function recordFailure(
  prisma: PrismaClient,
  attempt: { email: string; clientAddress: string | null; memberId: string | null },
  now: Date,
): Promise<void> {
  await prisma.signInFailure.create({
    data: { email: attempt.email, clientAddress: attempt.clientAddress, at: now },
  });
  if (attempt.memberId) {
    const account = await prisma.account.update({
      where: { memberId: attempt.memberId },
      data: { failedCount: { increment: 1 } },
      select: { failedCount: true },
    });
    if (account.failedCount >= THROTTLE.lockAfter) {
      await prisma.account.update({
        where: { memberId: attempt.memberId },
        data: { lockedUntil: new Date(now.getTime() + THROTTLE.lockMs) },
      });
    }
  }
  await pruneFailures(prisma, attempt, now);
}

// Old rows of the same email and address go on each failure (indexed deletes), which keeps the
// table to roughly a day of failures of whoever is still trying.
async function pruneFailures(
  prisma: PrismaClient,
  attempt: { email: string; clientAddress: string | null },
  now: Date,
): Promise<void> {
  const before = new Date(now.getTime() - THROTTLE.retentionMs);
  await prisma.signInFailure.deleteMany({
    where: {
      OR: [
        { email: attempt.email, at: { lt: before } },
        ...(attempt.clientAddress
          ? [{ clientAddress: attempt.clientAddress, at: { lt: before } }]
          : []),
      ],
    },
  });
}

/** A successful sign-in ends the run of failures (the address's count is left alone). */
export async function resetFailures(
  prisma: PrismaClient,
  memberId: string,
  state: FailureState,
): Promise<void> {
  if (state.failedCount === 0 && !state.lockedUntil) return;
  await prisma.account.update({
    where: { memberId },
    data: { failedCount: 0, lockedUntil: null },
  });
}
