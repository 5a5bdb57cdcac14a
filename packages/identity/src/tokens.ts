import { errors, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import {
  GLOBAL_ROLES,
  type Identity,
  type MemberIdentity,
  ZIdentity,
  ZStaffOf,
} from './identity.js';

/** The header carrying the gateway-signed identity on every subgraph call. */
export const IDENTITY_HEADER = 'x-hub-identity';

/** Access tokens: issued by members, verified by the gateway against members' JWKS. */
export const ACCESS_TOKEN = {
  issuer: 'urn:coworking-hub:members',
  audience: 'urn:coworking-hub:api',
  algorithm: 'EdDSA',
  lifetimeSeconds: 15 * 60,
} as const;

const FORWARDED = {
  issuer: 'urn:coworking-hub:gateway',
  audience: 'urn:coworking-hub:subgraphs',
  algorithm: 'HS256',
  // Long enough for one federated request's slowest subgraph call, short enough that a
  // captured header is useless soon after.
  lifetimeSeconds: 60,
} as const;

/** What the gateway forwards: the caller (or null for anonymous) and the client's address. */
export type ForwardedIdentity = { identity: Identity | null; clientAddress: string | null };

const ZForwardedClaims = z.object({
  identity: ZIdentity.nullable(),
  clientAddress: z.string().max(64).nullable(),
});

const encoder = new TextEncoder();
const keyCache = new Map<string, Uint8Array>();
function hmacKey(secret: string): Uint8Array {
  let key = keyCache.get(secret);
  if (!key) {
    key = encoder.encode(secret);
    keyCache.set(secret, key);
  }
  return key;
}

/**
 * Signs the identity the gateway verified, with the gateway's shared secret, so a subgraph can
 * trust it without calling anyone (HS256; the secret already proves the call is the gateway's).
 */
export function signForwardedIdentity(
  forwarded: ForwardedIdentity,
  secret: string,
): Promise<string> {
  return new SignJWT({ identity: forwarded.identity, clientAddress: forwarded.clientAddress })
    .setProtectedHeader({ alg: FORWARDED.algorithm })
    .setIssuer(FORWARDED.issuer)
    .setAudience(FORWARDED.audience)
    .setIssuedAt()
    .setExpirationTime(`${FORWARDED.lifetimeSeconds}s`)
    .sign(hmacKey(secret));
}

export class InvalidIdentityError extends Error {
  override name = 'InvalidIdentityError';
}

/** Verifies a forwarded identity header; throws InvalidIdentityError on any defect. */
export async function verifyForwardedIdentity(
  token: string,
  secret: string,
): Promise<ForwardedIdentity> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, hmacKey(secret), {
      issuer: FORWARDED.issuer,
      audience: FORWARDED.audience,
      algorithms: [FORWARDED.algorithm],
    }));
  } catch (error) {
    throw new InvalidIdentityError(describeJoseError(error));
  }
  const parsed = ZForwardedClaims.safeParse(payload);
  if (!parsed.success) throw new InvalidIdentityError('malformed identity claims');
  return parsed.data;
}

/** The claims of an access token beyond the registered ones (sub = member id, sid = session). */
export const ZAccessTokenClaims = z.object({
  sub: z.uuid(),
  sid: z.uuid(),
  roles: z.array(z.enum(GLOBAL_ROLES)),
  staffOf: z.array(ZStaffOf),
});
export type AccessTokenClaims = z.infer<typeof ZAccessTokenClaims>;

export function accessTokenClaims(identity: MemberIdentity): AccessTokenClaims {
  return {
    sub: identity.memberId,
    sid: identity.sessionId,
    roles: identity.roles,
    staffOf: identity.staffOf,
  };
}

/** The identity an access token's (already verified) payload stands for; null if malformed. */
export function identityFromAccessToken(payload: JWTPayload): MemberIdentity | null {
  const parsed = ZAccessTokenClaims.safeParse(payload);
  if (!parsed.success) return null;
  return {
    kind: 'member',
    memberId: parsed.data.sub,
    sessionId: parsed.data.sid,
    roles: parsed.data.roles,
    staffOf: parsed.data.staffOf,
  };
}

/** A short, non-sensitive reason for logs (never the token). */
export function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad signature';
  if (error instanceof errors.JWTClaimValidationFailed) return `claim ${error.claim} invalid`;
  if (error instanceof errors.JOSEError) return error.code;
  return 'unreadable token';
}
