import type { PrismaClient } from '../generated/prisma/client.js';
import {
  type ActiveSigningKey,
  activeSigningKey,
  rotateSigningKey,
  SIGNING_KEY_LIFETIME_MS,
} from './signing-keys.js';

// How long this instance trusts its cached key before asking the database whether another
// instance rotated. A just-retired key stays in the JWKS far longer than this, so tokens signed
// with it in the meantime still verify.
const RECHECK_MS = 60_000;

type CachedKey = { key: ActiveSigningKey; createdAt: Date; checkedAt: number };

// Per Prisma client: tests run several services (databases) in one process.
const cache = new WeakMap<PrismaClient, CachedKey>();

/** The signing key, imported once and reused until it rotates or ages out. */
export async function cachedSigningKey(
  prisma: PrismaClient,
  now = new Date(),
): Promise<ActiveSigningKey> {
  const cached = cache.get(prisma);
  const isYoung = (createdAt: Date) =>
    now.getTime() - createdAt.getTime() < SIGNING_KEY_LIFETIME_MS;
  if (cached && now.getTime() - cached.checkedAt < RECHECK_MS && isYoung(cached.createdAt)) {
    return cached.key;
  }
  const newest = await prisma.signingKey.findFirst({
    where: { retiredAt: null },
    orderBy: { createdAt: 'desc' },
    select: { kid: true, createdAt: true },
  });
  if (cached && newest?.kid === cached.key.kid && isYoung(newest.createdAt)) {
    cache.set(prisma, { ...cached, checkedAt: now.getTime() });
    return cached.key;
  }
  // No key, a key another instance made, or one past its lifetime (activeSigningKey rotates).
  const key = await activeSigningKey(prisma, now);
  const createdAt = newest?.kid === key.kid ? newest.createdAt : now;
  cache.set(prisma, { key, createdAt, checkedAt: now.getTime() });
  return key;
}

/** Rotates now (an admin's request) and signs with the new key from the next token on. */
export async function rotateCachedSigningKey(
  prisma: PrismaClient,
  now = new Date(),
): Promise<ActiveSigningKey> {
  const key = await rotateSigningKey(prisma, now);
  cache.set(prisma, { key, createdAt: now, checkedAt: now.getTime() });
  return key;
}
