import {
  ACCESS_TOKEN,
  describeJoseError,
  identityFromAccessToken,
  JWKS_PATH,
  type MemberIdentity,
} from '@hub/identity';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  errors,
  type FetchImplementation,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { type Dispatcher, fetch as undiciFetch } from 'undici';
import { CallerError, identityUnavailable } from './caller-error.js';
import { ExpiringLru } from './expiring-lru.js';

export type MembersJwksOptions = {
  /** Any URL on the members server (its GraphQL URL will do): the JWKS is at its origin. */
  membersUrl: string;
  /** The gateway's pooled HTTP client. */
  dispatcher: Dispatcher;
  /** Deadline of one JWKS fetch. */
  timeoutMs: number;
  /** Routine refresh (members sends `max-age=300`): a key members withdrew stops working then. */
  maxAgeMs: number;
  /**
   * Least time between two fetches caused by an unknown `kid`. Members signs with a new key as
   * soon as it rotates, so this is also the longest a fresh key can be refused after a fetch;
   * it only has to stop a stream of made-up kids from turning into a stream of fetches.
   */
  cooldownMs: number;
};

/**
 * Members' public keys, fetched through the gateway's own connection pool. When a refresh falls
 * due while members cannot be reached, the keys of the last good fetch keep verifying tokens (a
 * key members rotated meanwhile waits for members to answer again). Failures to obtain any keys
 * (unreachable, timeout, non-200, unusable JSON), or a `kid` only members could know about while
 * it is unreachable, become IDENTITY_UNAVAILABLE; a `kid` not in a set just fetched stays the
 * token's fault.
 */
export function createMembersJwks(options: MembersJwksOptions): JWTVerifyGetKey {
  const fetchThroughPool: FetchImplementation = (url, init) =>
    undiciFetch(url, { ...init, dispatcher: options.dispatcher }) as unknown as Promise<Response>;
  const remote = createRemoteJWKSet(new URL(JWKS_PATH, options.membersUrl), {
    timeoutDuration: options.timeoutMs,
    cacheMaxAge: options.maxAgeMs,
    cooldownDuration: options.cooldownMs,
    [customFetch]: fetchThroughPool,
  });
  return async (protectedHeader, token) => {
    try {
      return await remote(protectedHeader, token);
    } catch (error) {
      if (
        error instanceof errors.JWKSNoMatchingKey ||
        error instanceof errors.JWKSMultipleMatchingKeys
      ) {
        throw error;
      }
      const lastKnown = remote.jwks();
      if (lastKnown) {
        try {
          return await createLocalJWKSet(lastKnown)(protectedHeader, token);
        } catch {
          // Not among the last known keys: only members can say whether it is new or forged.
        }
      }
      throw identityUnavailable(`members JWKS: ${describeFetchError(error)}`, error);
    }
  };
}

export type BearerTokenVerifierOptions = {
  keys: JWTVerifyGetKey;
  /** Most verified tokens remembered (each until its own `exp`). */
  cacheMaxEntries: number;
  /** Accepted difference between members' clock and ours, in seconds. */
  clockToleranceSeconds?: number;
};

export type BearerTokenVerifier = {
  /** The member an access token stands for; throws CallerError (401, or 503 without keys). */
  verify(token: string): Promise<MemberIdentity>;
  /** Whether `verify` would answer from memory, without a signature check. */
  isCached(token: string): boolean;
};

const INVALID_TOKEN = 'アクセストークンが無効です (invalid access token)';
const EXPIRED_TOKEN = 'アクセストークンの有効期限が切れています (access token expired)';

/**
 * Verifies members' access tokens (EdDSA, issuer/audience of ACCESS_TOKEN) and remembers each
 * verified token until it expires: the same token string carries the same signature, so a
 * repeat needs no second check (~110 µs each, TOOLCHAIN.md).
 */
export function createBearerTokenVerifier(
  options: BearerTokenVerifierOptions,
): BearerTokenVerifier {
  const cache = new ExpiringLru<MemberIdentity>(options.cacheMaxEntries);
  const clockTolerance = options.clockToleranceSeconds ?? 5;

  return {
    isCached: (token) => cache.has(token),
    async verify(token) {
      const cached = cache.get(token);
      if (cached) return cached;
      let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
      try {
        ({ payload } = await jwtVerify(token, options.keys, {
          issuer: ACCESS_TOKEN.issuer,
          audience: ACCESS_TOKEN.audience,
          algorithms: [ACCESS_TOKEN.algorithm],
          // A token without an expiry would be valid for ever.
          requiredClaims: ['exp', 'sub'],
          clockTolerance,
        }));
      } catch (error) {
        if (error instanceof CallerError) throw error;
        throw new CallerError('UNAUTHENTICATED', {
          reason: describeJoseError(error),
          message: error instanceof errors.JWTExpired ? EXPIRED_TOKEN : INVALID_TOKEN,
          scheme: 'bearer',
        });
      }
      const identity = identityFromAccessToken(payload);
      if (!identity) {
        throw new CallerError('UNAUTHENTICATED', {
          reason: 'access token claims do not describe a member',
          message: INVALID_TOKEN,
          scheme: 'bearer',
        });
      }
      // `requiredClaims` guarantees exp; the entry dies with the token.
      cache.set(token, identity, (payload.exp as number) * 1000);
      return identity;
    },
  };
}

function describeFetchError(error: unknown): string {
  if (error instanceof errors.JWKSTimeout) return 'timed out';
  if (error instanceof Error) {
    const cause = (error.cause as { code?: string } | undefined)?.code;
    return cause ? `${error.message} (${cause})` : error.message;
  }
  return String(error);
}
