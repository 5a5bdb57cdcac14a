import type { MemberIdentity } from '@hub/identity';
import { AppError } from '@hub/service-kit';
import type { Member, PrismaClient } from '../generated/prisma/client.js';
import { memberIdentity } from './access-tokens.js';
import { type AuthPayload, authPayload } from './auth-payload.js';
import {
  hashRefreshToken,
  type IssuedRefreshToken,
  issueRefreshToken,
  isWellFormedRefreshToken,
} from './refresh-tokens.js';
import { cachedSigningKey } from './signing-key-cache.js';

/** Why a session ended (session.revoked_reason). */
export type RevokedReason = 'sign-out' | 'reuse' | 'erasure' | 'admin';

const invalidRefreshToken = () =>
  new AppError(
    'INVALID_REFRESH_TOKEN',
    'リフレッシュトークンが無効です。もう一度サインインしてください (invalid refresh token; sign in again)',
  );

type RefreshOutcome =
  | {
      kind: 'rotated';
      identity: MemberIdentity;
      member: Member;
      issued: IssuedRefreshToken;
    }
  | { kind: 'reused' }
  | { kind: 'invalid' };

/**
 * Rotation: the presented token is marked used and a new pair is issued in the same session.
 * A token presented after it was used — later, or by a concurrent request that lost the race
 * — means two parties hold it, so the whole session is revoked (reason `reuse`).
 */
export async function refreshSession(
  prisma: PrismaClient,
  presented: string,
  now = new Date(),
): Promise<AuthPayload> {
  if (!isWellFormedRefreshToken(presented)) throw invalidRefreshToken();
  const tokenHash = hashRefreshToken(presented);
  // Before the rotation commits: nothing may fail between its commit and the answer (a lost
  // new token would make the client's retry with the old one a "reuse" that revokes it all).
  const key = await cachedSigningKey(prisma, now);
  // Outcomes are returned, not thrown: a reuse revocation must commit.
  const outcome = await prisma.$transaction(async (tx): Promise<RefreshOutcome> => {
    const row = await tx.refreshToken.findUnique({
      where: { tokenHash },
      include: {
        session: {
          include: {
            account: { select: { roles: true, member: { select: { erasedAt: true } } } },
          },
        },
      },
    });
    if (!row) return { kind: 'invalid' };
    const revoke = async (reason: RevokedReason) => {
      await tx.session.updateMany({
        where: { id: row.sessionId, revokedAt: null },
        data: { revokedAt: now, revokedReason: reason },
      });
    };
    if (row.usedAt) {
      await revoke('reuse');
      return { kind: 'reused' };
    }
    if (row.session.revokedAt || row.expiresAt <= now) return { kind: 'invalid' };
    if (row.session.account.member.erasedAt) {
      await revoke('erasure');
      return { kind: 'invalid' };
    }
    // The condition on used_at is re-checked under the row lock, so of two concurrent
    // refreshes exactly one claims the token.
    const claimed = await tx.refreshToken.updateMany({
      where: { id: row.id, usedAt: null },
      data: { usedAt: now },
    });
    if (claimed.count === 0) {
      await revoke('reuse');
      return { kind: 'reused' };
    }
    await tx.session.update({ where: { id: row.sessionId }, data: { lastUsedAt: now } });
    const memberId = row.session.memberId;
    return {
      kind: 'rotated',
      identity: await memberIdentity(tx, {
        memberId,
        sessionId: row.sessionId,
        roles: row.session.account.roles,
        now,
      }),
      member: await tx.member.findUniqueOrThrow({ where: { id: memberId } }),
      issued: await issueRefreshToken(tx, row.sessionId, now),
    };
  });
  if (outcome.kind === 'reused') {
    throw new AppError(
      'REFRESH_TOKEN_REUSED',
      '使用済みのリフレッシュトークンです。安全のためこのセッションを終了しました (refresh token already used; the session was revoked)',
    );
  }
  if (outcome.kind === 'invalid') throw invalidRefreshToken();
  return authPayload(key, { ...outcome, ...outcome.issued, now });
}

/**
 * Ends the session a refresh token belongs to and returns how many ended: 1, or 0 when it had
 * ended already (signing out twice is not an error). A token that was never issued is refused.
 */
export async function signOut(
  prisma: PrismaClient,
  presented: string,
  now = new Date(),
): Promise<number> {
  if (!isWellFormedRefreshToken(presented)) throw invalidRefreshToken();
  const row = await prisma.refreshToken.findUnique({
    where: { tokenHash: hashRefreshToken(presented) },
    select: { sessionId: true },
  });
  if (!row) throw invalidRefreshToken();
  const revoked = await prisma.session.updateMany({
    where: { id: row.sessionId, revokedAt: null },
    data: { revokedAt: now, revokedReason: 'sign-out' satisfies RevokedReason },
  });
  return revoked.count;
}

/** Ends every session of a member (access tokens already issued run out within 15 minutes). */
export async function signOutEverywhere(
  prisma: PrismaClient,
  memberId: string,
  now = new Date(),
): Promise<number> {
  const revoked = await prisma.session.updateMany({
    where: { memberId, revokedAt: null },
    data: { revokedAt: now, revokedReason: 'sign-out' satisfies RevokedReason },
  });
  return revoked.count;
}

/** Sessions that can still be refreshed: not revoked, holding an unused, unexpired token. */
export function activeSessions(prisma: PrismaClient, memberId: string, now = new Date()) {
  return prisma.session.findMany({
    where: {
      memberId,
      revokedAt: null,
      refreshTokens: { some: { usedAt: null, expiresAt: { gt: now } } },
    },
    select: { id: true, createdAt: true, lastUsedAt: true },
    orderBy: { lastUsedAt: 'desc' },
  });
}
