import type { webcrypto } from 'node:crypto';
import { ACCESS_TOKEN } from '@hub/identity';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { PrismaClient } from '../generated/prisma/client.js';

/** How long a key signs before a new one takes over (rotation). */
export const SIGNING_KEY_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
// A retired key stays in the JWKS until every token it signed has expired (plus clock skew).
const RETIRED_KEY_GRACE_MS = (ACCESS_TOKEN.lifetimeSeconds + 300) * 1000;
// Serialises key creation across instances of the service sharing one database.
const KEY_ROTATION_LOCK = 7_301_001;

export type ActiveSigningKey = { kid: string; privateKey: webcrypto.CryptoKey };

/**
 * The key access tokens are signed with now: the newest unretired key, created (and the old
 * one retired) when there is none or it is older than SIGNING_KEY_LIFETIME_MS.
 */
export async function activeSigningKey(
  prisma: PrismaClient,
  now = new Date(),
): Promise<ActiveSigningKey> {
  const current = await newestActiveKey(prisma);
  if (current && now.getTime() - current.createdAt.getTime() < SIGNING_KEY_LIFETIME_MS) {
    return toActive(current);
  }
  return rotateSigningKey(prisma, now, { unlessFresh: true });
}

/**
 * Creates a new signing key and retires the others (they stay published for a grace period).
 * `unlessFresh`: the rotation is due because the key expired — if another instance has just
 * done it (checked under the lock), use its key instead of rotating twice. An explicit rotation
 * (an admin's) always creates a new key.
 */
export async function rotateSigningKey(
  prisma: PrismaClient,
  now = new Date(),
  options: { unlessFresh?: boolean } = {},
): Promise<ActiveSigningKey> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', {
    crv: 'Ed25519',
    extractable: true,
  });
  const kid = crypto.randomUUID();
  const publicJwk = {
    ...(await exportJWK(publicKey)),
    kid,
    alg: ACCESS_TOKEN.algorithm,
    use: 'sig',
  };
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: ACCESS_TOKEN.algorithm };
  const created = await prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', KEY_ROTATION_LOCK);
    if (options.unlessFresh) {
      const newest = await tx.signingKey.findFirst({
        where: { retiredAt: null },
        orderBy: { createdAt: 'desc' },
      });
      if (newest && now.getTime() - newest.createdAt.getTime() < SIGNING_KEY_LIFETIME_MS) {
        return newest;
      }
    }
    await tx.signingKey.updateMany({ where: { retiredAt: null }, data: { retiredAt: now } });
    return tx.signingKey.create({ data: { kid, publicJwk, privateJwk, createdAt: now } });
  });
  return toActive(created);
}

/** The public keys a verifier needs now: the active key and recently retired ones. */
export async function publicJwks(prisma: PrismaClient, now = new Date()): Promise<{ keys: JWK[] }> {
  const keys = await prisma.signingKey.findMany({
    where: {
      OR: [
        { retiredAt: null },
        { retiredAt: { gt: new Date(now.getTime() - RETIRED_KEY_GRACE_MS) } },
      ],
    },
    orderBy: { createdAt: 'desc' },
  });
  return { keys: keys.map((key) => key.publicJwk as JWK) };
}

function newestActiveKey(prisma: PrismaClient) {
  return prisma.signingKey.findFirst({
    where: { retiredAt: null },
    orderBy: { createdAt: 'desc' },
  });
}

async function toActive(row: { kid: string; privateJwk: unknown }): Promise<ActiveSigningKey> {
  const privateKey = (await importJWK(
    row.privateJwk as JWK,
    ACCESS_TOKEN.algorithm,
  )) as webcrypto.CryptoKey;
  return { kid: row.kid, privateKey };
}
