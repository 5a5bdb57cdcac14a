import {
  ACCESS_TOKEN,
  accessTokenClaims,
  GLOBAL_ROLES,
  type GlobalRole,
  type MemberIdentity,
} from '@hub/identity';
import { SignJWT } from 'jose';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { ActiveSigningKey } from './signing-keys.js';
import { activeStaffOf } from './staff-of.js';

export type AccessToken = { token: string; expiresAt: Date };

/** Only roles the identity schema knows reach a token (a typo in the column grants nothing). */
export function globalRoles(roles: readonly string[]): GlobalRole[] {
  return GLOBAL_ROLES.filter((role) => roles.includes(role));
}

/**
 * Who the token will say the member is: account roles plus today's staff affiliations. Takes a
 * transaction client too, so the identity is read inside the transaction that starts the session.
 */
export async function memberIdentity(
  prisma: Pick<PrismaClient, 'affiliation'>,
  options: { memberId: string; sessionId: string; roles: readonly string[]; now: Date },
): Promise<MemberIdentity> {
  return {
    kind: 'member',
    memberId: options.memberId,
    sessionId: options.sessionId,
    roles: globalRoles(options.roles),
    staffOf: await activeStaffOf(prisma, options.memberId, options.now),
  };
}

/**
 * An EdDSA JWT the gateway verifies against the JWKS (kid in the header picks the key). Reads
 * nothing: the key is fetched before the session's transaction (cachedSigningKey).
 */
export async function signAccessToken(
  key: ActiveSigningKey,
  identity: MemberIdentity,
  now: Date,
): Promise<AccessToken> {
  const { kid, privateKey } = key;
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAt = issuedAt + ACCESS_TOKEN.lifetimeSeconds;
  const token = await new SignJWT(accessTokenClaims(identity))
    .setProtectedHeader({ alg: ACCESS_TOKEN.algorithm, kid, typ: 'JWT' })
    .setIssuer(ACCESS_TOKEN.issuer)
    .setAudience(ACCESS_TOKEN.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(privateKey);
  return { token, expiresAt: new Date(expiresAt * 1000) };
}
