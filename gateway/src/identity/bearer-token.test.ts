import { randomUUID } from 'node:crypto';
import { ACCESS_TOKEN, accessTokenClaims, type MemberIdentity } from '@hub/identity';
import { describe, expect, test } from '@jest/globals';
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTVerifyGetKey, SignJWT } from 'jose';
import { createBearerTokenVerifier } from './bearer-token.js';
import { CallerError, identityUnavailable } from './caller-error.js';

const member: MemberIdentity = {
  kind: 'member',
  memberId: randomUUID(),
  sessionId: randomUUID(),
  roles: [],
  staffOf: [{ organizationId: randomUUID(), role: 'coordinator' }],
};

async function signingKey(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  return { kid, privateKey, jwk };
}

type Key = Awaited<ReturnType<typeof signingKey>>;

function sign(key: Key, overrides: { audience?: string; expiresAt?: number } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(accessTokenClaims(member))
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid })
    .setIssuer(ACCESS_TOKEN.issuer)
    .setAudience(overrides.audience ?? ACCESS_TOKEN.audience)
    .setIssuedAt(now)
    .setExpirationTime(overrides.expiresAt ?? now + ACCESS_TOKEN.lifetimeSeconds)
    .sign(key.privateKey);
}

/** A key source that counts how often a signature had to be checked. */
function countingKeys(keys: Key[]): { getKey: JWTVerifyGetKey; lookups: () => number } {
  const local = createLocalJWKSet({ keys: keys.map((key) => key.jwk) });
  let lookups = 0;
  return {
    getKey: (header, token) => {
      lookups += 1;
      return local(header, token);
    },
    lookups: () => lookups,
  };
}

async function refusal(promise: Promise<unknown>): Promise<CallerError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof CallerError)) throw new Error(`expected a CallerError, got ${error}`);
  return error;
}

describe('bearer token verifier', () => {
  test('a verified token is remembered: repeats skip the signature check', async () => {
    const key = await signingKey('k1');
    const keys = countingKeys([key]);
    const verifier = createBearerTokenVerifier({ keys: keys.getKey, cacheMaxEntries: 100 });
    const token = await sign(key);

    expect(verifier.isCached(token)).toBe(false);
    for (let index = 0; index < 5; index += 1) {
      await expect(verifier.verify(token)).resolves.toEqual(member);
    }
    expect(keys.lookups()).toBe(1);
    expect(verifier.isCached(token)).toBe(true);
  });

  test('a cached token stops being accepted when it expires', async () => {
    const key = await signingKey('k1');
    const verifier = createBearerTokenVerifier({
      keys: countingKeys([key]).getKey,
      cacheMaxEntries: 100,
      clockToleranceSeconds: 0,
    });
    // Two seconds of life (at least one whole), so a busy machine still verifies it before it
    // expires; then wait until just past its expiry, whenever that is.
    const expiresAt = Math.floor(Date.now() / 1000) + 2;
    const token = await sign(key, { expiresAt });

    await verifier.verify(token);
    await new Promise((resolve) => setTimeout(resolve, expiresAt * 1000 - Date.now() + 100));

    expect(verifier.isCached(token)).toBe(false);
    const error = await refusal(verifier.verify(token));
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', reason: 'token expired' });
    expect(error.message).toBe('アクセストークンの有効期限が切れています (access token expired)');
  });

  test('forged, foreign-audience and expired tokens are 401 and never cached', async () => {
    const key = await signingKey('k1');
    const impostor = await signingKey('k1');
    const verifier = createBearerTokenVerifier({
      keys: countingKeys([key]).getKey,
      cacheMaxEntries: 100,
    });
    const past = Math.floor(Date.now() / 1000) - 60;

    const cases = [
      [await sign(impostor), 'bad signature'],
      [await sign(key, { audience: 'urn:somebody-else' }), 'claim aud invalid'],
      [await sign(key, { expiresAt: past }), 'token expired'],
    ] as const;
    for (const [token, reason] of cases) {
      const error = await refusal(verifier.verify(token));
      expect(error).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', reason });
      expect(error.scheme).toBe('bearer');
      expect(verifier.isCached(token)).toBe(false);
    }
  });

  test('a token whose claims are not a member is refused', async () => {
    const key = await signingKey('k1');
    const verifier = createBearerTokenVerifier({
      keys: countingKeys([key]).getKey,
      cacheMaxEntries: 100,
    });
    const token = await new SignJWT({ sub: 'not-a-uuid', roles: ['superuser'] })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'k1' })
      .setIssuer(ACCESS_TOKEN.issuer)
      .setAudience(ACCESS_TOKEN.audience)
      .setExpirationTime('5m')
      .sign(key.privateKey);

    await expect(refusal(verifier.verify(token))).resolves.toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'access token claims do not describe a member',
    });
  });

  test('keys that cannot be obtained make the answer 503, not 401', async () => {
    const key = await signingKey('k1');
    const verifier = createBearerTokenVerifier({
      keys: async () => {
        throw identityUnavailable('members JWKS: connect ECONNREFUSED');
      },
      cacheMaxEntries: 100,
    });

    await expect(refusal(verifier.verify(await sign(key)))).resolves.toMatchObject({
      status: 503,
      code: 'IDENTITY_UNAVAILABLE',
    });
  });

  test('the cache is bounded', async () => {
    const key = await signingKey('k1');
    const keys = countingKeys([key]);
    const verifier = createBearerTokenVerifier({ keys: keys.getKey, cacheMaxEntries: 2 });
    const now = Math.floor(Date.now() / 1000);
    const tokens = await Promise.all(
      [1, 2, 3].map((offset) => sign(key, { expiresAt: now + 600 + offset })),
    );

    for (const token of tokens) await verifier.verify(token);

    expect(tokens.map((token) => verifier.isCached(token))).toEqual([false, true, true]);
  });
});
