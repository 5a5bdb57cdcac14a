import { createHash, randomBytes } from 'node:crypto';
import type { Prisma } from '../generated/prisma/client.js';

export const REFRESH_TOKEN_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
const REFRESH_TOKEN_BYTES = 32;
// base64url of 32 bytes; anything else cannot be one of ours and is not worth a lookup.
const REFRESH_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export type IssuedRefreshToken = { refreshToken: string; refreshTokenExpiresAt: Date };

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function isWellFormedRefreshToken(token: string): boolean {
  return REFRESH_TOKEN_PATTERN.test(token);
}

/** Adds a fresh token to a session; only its hash is stored. */
export async function issueRefreshToken(
  tx: Prisma.TransactionClient,
  sessionId: string,
  now: Date,
): Promise<IssuedRefreshToken> {
  const refreshToken = randomBytes(REFRESH_TOKEN_BYTES).toString('base64url');
  const refreshTokenExpiresAt = new Date(now.getTime() + REFRESH_TOKEN_LIFETIME_MS);
  await tx.refreshToken.create({
    data: {
      sessionId,
      tokenHash: hashRefreshToken(refreshToken),
      issuedAt: now,
      expiresAt: refreshTokenExpiresAt,
    },
  });
  return { refreshToken, refreshTokenExpiresAt };
}

/** A new session (one signed-in device) with its first refresh token. */
export async function startSession(
  tx: Prisma.TransactionClient,
  memberId: string,
  now: Date,
): Promise<IssuedRefreshToken & { sessionId: string }> {
  const session = await tx.session.create({
    data: { memberId, createdAt: now, lastUsedAt: now },
    select: { id: true },
  });
  return { sessionId: session.id, ...(await issueRefreshToken(tx, session.id, now)) };
}
