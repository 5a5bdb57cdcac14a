import { createHmac, timingSafeEqual } from 'node:crypto';
import { errors, type JWTPayload } from 'jose';
import { z } from 'zod';
import {
  GLOBAL_ROLES,
  type Identity,
  type MemberIdentity,
  ZIdentity,
  ZStaffOf,
} from './identity.js';

/** Where members serves the public keys of access tokens (no credential needed). */
export const JWKS_PATH = '/.well-known/jwks.json';
/** Members' lookup of a partner API key for the gateway (gateway credential required). */
export const VERIFY_API_KEY_PATH = '/_internal/api-keys/verify';

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

const HEADER = Buffer.from(JSON.stringify({ alg: FORWARDED.algorithm, typ: 'JWT' })).toString(
  'base64url',
);

function hmac(secret: string, input: string): Buffer {
  return createHmac('sha256', secret).update(input).digest();
}

/**
 * Signs the identity the gateway verified, with the gateway's shared secret, so a subgraph can
 * trust it without calling anyone. A compact HS256 JWT built on node:crypto: jose's generic
 * path costs ~300 µs per token here, this ~10 µs, and it runs on every subgraph call.
 */
export function signForwardedIdentity(forwarded: ForwardedIdentity, secret: string): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = Buffer.from(
    JSON.stringify({
      identity: forwarded.identity,
      clientAddress: forwarded.clientAddress,
      iss: FORWARDED.issuer,
      aud: FORWARDED.audience,
      iat: now,
      exp: now + FORWARDED.lifetimeSeconds,
    }),
  ).toString('base64url');
  const signingInput = `${HEADER}.${payload}`;
  return `${signingInput}.${hmac(secret, signingInput).toString('base64url')}`;
}

export class InvalidIdentityError extends Error {
  override name = 'InvalidIdentityError';
}

const ZForwardedHeader = z.object({ alg: z.literal(FORWARDED.algorithm) });
const ZRegisteredClaims = z.object({
  iss: z.literal(FORWARDED.issuer),
  aud: z.literal(FORWARDED.audience),
  exp: z.number(),
});
// Gateway and subgraph clocks may differ a little.
const CLOCK_TOLERANCE_SECONDS = 5;

/** Verifies a forwarded identity header; throws InvalidIdentityError on any defect. */
export function verifyForwardedIdentity(token: string, secret: string): ForwardedIdentity {
  const parts = token.split('.');
  if (parts.length !== 3) throw new InvalidIdentityError('unreadable token');
  const [header, payload, signature] = parts as [string, string, string];
  const expected = hmac(secret, `${header}.${payload}`);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new InvalidIdentityError('bad signature');
  }
  const decoded = (part: string): unknown => {
    try {
      return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    } catch {
      throw new InvalidIdentityError('unreadable token');
    }
  };
  if (!ZForwardedHeader.safeParse(decoded(header)).success) {
    throw new InvalidIdentityError('unexpected algorithm');
  }
  const claims = decoded(payload);
  const registered = ZRegisteredClaims.safeParse(claims);
  if (!registered.success) throw new InvalidIdentityError('claim iss, aud or exp invalid');
  if (registered.data.exp + CLOCK_TOLERANCE_SECONDS < Date.now() / 1000) {
    throw new InvalidIdentityError('token expired');
  }
  const parsed = ZForwardedClaims.safeParse(claims);
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
