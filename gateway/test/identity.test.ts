import { ACCESS_TOKEN, type PartnerScope } from '@hub/identity';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { generateKeyPair } from 'jose';
import {
  activeSigningKey,
  aMember,
  createApiKey,
  createOrganization,
  type MembersStack,
  ORGANIZATION_QUERY,
  rotateSigningKey,
  signAccessToken,
  startGatewayOverMembers,
  startMembersStack,
  UNUSED_URL,
} from './support/members-stack.js';
import { postGraphQL, type TestGateway } from './support/test-gateway.js';

// Callers through the real gateway against the real members subgraph: members' JWKS verifies
// access tokens, members' internal route verifies API keys, and members' service kit refuses
// any call whose forwarded identity does not verify (so a 200 proves the header was accepted).
const KEY_CACHE_TTL_MS = 300;

let members: MembersStack;
let gateway: TestGateway;
let organizationId: string;

beforeAll(async () => {
  members = await startMembersStack();
  organizationId = await createOrganization(members.db, '試験市 (Test City)');
  gateway = await startGatewayOverMembers(members.membersUrl, {
    // Refetch at once on an unknown key id, and forget key verdicts quickly: fast tests.
    identity: { jwksCooldownMs: 0, apiKeyCacheTtlMs: KEY_CACHE_TTL_MS },
  });
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await members?.stop();
});

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
const queryOrganization = (options: { headers?: Record<string, string> } = {}) =>
  postGraphQL(gateway, ORGANIZATION_QUERY, { ...options, variables: { id: organizationId } });
const EXPECTED_DATA = { organization: { id: expect.any(String), name: '試験市 (Test City)' } };

describe('members (access tokens)', () => {
  test('a valid token is verified and the subgraph accepts the identity forwarded with it', async () => {
    const token = await signAccessToken(await activeSigningKey(members.db), aMember());

    const { status, body, headers } = await queryOrganization(bearer(token));

    expect(status).toBe(200);
    expect(body).toEqual({ data: EXPECTED_DATA });
    expect(headers.get('ratelimit-limit')).toBe('1200');
    const line = gateway.logs.find(
      (log) => log.msg === 'graphql request' && log.requestId === headers.get('x-request-id'),
    );
    expect(line).toMatchObject({ caller: 'member', status: 200 });
  });

  test('a client cannot pass its own x-hub-identity to the subgraphs', async () => {
    const { status, body } = await queryOrganization({
      headers: { 'x-hub-identity': 'eyJhbGciOiJIUzI1NiJ9.eyJpZGVudGl0eSI6bnVsbH0.forged' },
    });

    // Forwarded as sent, members' service kit would have refused the call.
    expect(status).toBe(200);
    expect(body).toEqual({ data: EXPECTED_DATA });
  });

  test.each([
    [
      'a forged signature',
      async () => {
        const { kid } = await activeSigningKey(members.db);
        const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
        return signAccessToken({ kid, privateKey }, aMember());
      },
      'アクセストークンが無効です (invalid access token)',
    ],
    [
      'an expired token',
      async () =>
        signAccessToken(await activeSigningKey(members.db), aMember(), {
          expiresAt: Math.floor(Date.now() / 1000) - 60,
        }),
      'アクセストークンの有効期限が切れています (access token expired)',
    ],
    [
      'a token for another audience',
      async () =>
        signAccessToken(await activeSigningKey(members.db), aMember(), {
          audience: 'urn:coworking-hub:somewhere-else',
        }),
      'アクセストークンが無効です (invalid access token)',
    ],
    [
      'a token from another issuer',
      async () =>
        signAccessToken(await activeSigningKey(members.db), aMember(), {
          issuer: 'urn:coworking-hub:gateway',
        }),
      'アクセストークンが無効です (invalid access token)',
    ],
    [
      'an unknown key id',
      async () =>
        signAccessToken(await activeSigningKey(members.db), aMember(), { kid: 'no-such-key' }),
      'アクセストークンが無効です (invalid access token)',
    ],
    ['garbage', async () => 'not.a.jwt', 'アクセストークンが無効です (invalid access token)'],
  ])('%s is a 401 UNAUTHENTICATED, never a 500 or anonymous', async (_name, makeToken, message) => {
    const before = members.queryCount();

    const { status, body, headers } = await queryOrganization(bearer(await makeToken()));

    expect(status).toBe(401);
    expect(body).toEqual({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(headers.get('ratelimit-limit')).not.toBeNull();
    expect(members.queryCount()).toBe(before);
  });

  test('an Authorization header of another scheme is refused, not ignored', async () => {
    const { status, body } = await queryOrganization({
      headers: { authorization: 'Basic dXNlcjpwYXNzd29yZA==' },
    });

    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' });
  });

  test('after a key rotation the gateway refetches the JWKS and accepts the new key', async () => {
    const oldKey = await activeSigningKey(members.db);
    expect((await queryOrganization(bearer(await signAccessToken(oldKey, aMember())))).status).toBe(
      200,
    );

    const newKey = await rotateSigningKey(members.db);
    const fresh = await queryOrganization(bearer(await signAccessToken(newKey, aMember())));
    // The retired key stays published until its tokens have expired.
    const old = await queryOrganization(bearer(await signAccessToken(oldKey, aMember())));

    expect(newKey.kid).not.toBe(oldKey.kid);
    expect(fresh.status).toBe(200);
    expect(fresh.body).toEqual({ data: EXPECTED_DATA });
    expect(old.status).toBe(200);
  });
});

describe('partners (API keys)', () => {
  test('a valid key is accepted as X-Api-Key and as Authorization: ApiKey', async () => {
    const { key, keyId } = await createApiKey(members.db, {
      organizationId,
      scopes: ['public:read', 'statistics:read'],
      purpose: 'municipal-relocation-support',
    });

    const viaHeader = await queryOrganization({ headers: { 'x-api-key': key } });
    const viaAuthorization = await queryOrganization({
      headers: { authorization: `ApiKey ${key}` },
    });

    expect(viaHeader.status).toBe(200);
    expect(viaHeader.body).toEqual({ data: EXPECTED_DATA });
    expect(viaHeader.headers.get('ratelimit-limit')).toBe('600');
    expect(viaAuthorization.status).toBe(200);
    const line = gateway.logs.find(
      (log) =>
        log.msg === 'graphql request' && log.requestId === viaHeader.headers.get('x-request-id'),
    );
    expect(line).toMatchObject({ caller: 'partner', keyId });
  });

  test.each([
    [
      'a revoked key',
      { revokedAt: new Date(Date.now() - 60_000) },
      'API_KEY_REVOKED',
      'API キーは失効しています (API key revoked)',
    ],
    [
      'an expired key',
      { expiresAt: new Date(Date.now() - 60_000) },
      'API_KEY_EXPIRED',
      'API キーの有効期限が切れています (API key expired)',
    ],
  ])('%s is a 401 with members’ code', async (_name, row, code, message) => {
    const { key } = await createApiKey(members.db, { organizationId, ...row });

    const { status, body } = await queryOrganization({ headers: { 'x-api-key': key } });

    expect(status).toBe(401);
    expect(body).toEqual({ errors: [{ message, extensions: { code } }] });
  });

  test.each([
    [
      'a key of an organisation that is not a partner',
      null,
      'NOT_A_PARTNER',
      'API キーの組織はパートナーではありません (the key’s organisation is not a partner)',
    ],
    [
      'a key beyond its partner’s ceiling',
      { scopes: ['public:read'] as PartnerScope[], purposes: [] },
      'OUTSIDE_PARTNER_CEILING',
      'API キーの権限・利用目的がパートナーの範囲を超えています (the key is beyond its partner’s ceiling)',
    ],
  ])('%s is a 401 with members’ code', async (_name, partner, code, message) => {
    const organization = await createOrganization(members.db, '別の市 (another city)', partner);
    const { key } = await createApiKey(members.db, {
      organizationId: organization,
      scopes: ['public:read', 'members:personal:read'],
      purpose: 'municipal-relocation-support',
    });

    const { status, body } = await queryOrganization({ headers: { 'x-api-key': key } });

    expect(status).toBe(401);
    expect(body).toEqual({ errors: [{ message, extensions: { code } }] });
  });

  test('an unknown or malformed key is a 401 UNAUTHENTICATED', async () => {
    for (const key of [`hub_${'x'.repeat(43)}`, 'sk_live_not_ours']) {
      const { status, body } = await queryOrganization({ headers: { 'x-api-key': key } });

      expect(status).toBe(401);
      expect(body).toEqual({
        errors: [
          {
            message: 'API キーが無効です (invalid API key)',
            extensions: { code: 'UNAUTHENTICATED' },
          },
        ],
      });
    }
  });

  test('a revoked key keeps working from the cache, then is refused once the TTL has passed', async () => {
    const { key, keyId } = await createApiKey(members.db, { organizationId });
    expect((await queryOrganization({ headers: { 'x-api-key': key } })).status).toBe(200);

    await members.db.query('UPDATE api_key SET revoked_at = now() WHERE id = $1', [keyId]);
    const cached = await queryOrganization({ headers: { 'x-api-key': key } });
    await new Promise((resolve) => setTimeout(resolve, KEY_CACHE_TTL_MS + 50));
    const refused = await queryOrganization({ headers: { 'x-api-key': key } });

    expect(cached.status).toBe(200);
    expect(refused.status).toBe(401);
    expect(refused.body.errors?.[0]?.extensions).toEqual({ code: 'API_KEY_REVOKED' });
  });
});

describe('members unavailable', () => {
  test('a token or key that must be checked is a 503 IDENTITY_UNAVAILABLE; anonymous still runs', async () => {
    const orphan = await startGatewayOverMembers(UNUSED_URL, { identity: { timeoutMs: 500 } });
    try {
      const token = await signAccessToken(await activeSigningKey(members.db), aMember());
      const { key } = await createApiKey(members.db, { organizationId });

      const credentials: Record<string, string>[] = [
        { authorization: `Bearer ${token}` },
        { 'x-api-key': key },
      ];
      for (const headers of credentials) {
        const answer = await postGraphQL(orphan, '{ __typename }', { headers });
        const { status, body } = answer;
        expect(status).toBe(503);
        expect(body).toEqual({
          errors: [
            {
              message:
                '認証サービスに接続できません。しばらくしてから再試行してください (identity service unavailable)',
              // Our failure, not the caller's: the id to quote, as on every 5xx.
              extensions: {
                code: 'IDENTITY_UNAVAILABLE',
                requestId: answer.headers.get('x-request-id'),
              },
            },
          ],
        });
        expect(answer.headers.get('retry-after')).toBe('5');
      }
      const anonymous = await postGraphQL(orphan, '{ __typename }');
      expect(anonymous.status).toBe(200);
      expect(orphan.logs.some((log) => log.msg === 'cannot verify the caller')).toBe(true);
    } finally {
      await orphan.stop();
    }
  });

  test('members gone when a JWKS refresh falls due: the last keys still verify new tokens', async () => {
    const other = await startMembersStack();
    const gateway = await startGatewayOverMembers(other.membersUrl, {
      identity: { jwksMaxAgeMs: 50, timeoutMs: 500 },
    });
    try {
      const key = await activeSigningKey(other.db);
      const first = await postGraphQL(
        gateway,
        '{ __typename }',
        bearer(await signAccessToken(key, aMember())),
      );
      expect(first.status).toBe(200);

      await other.stack.stopService('members');
      await new Promise((resolve) => setTimeout(resolve, 100));
      // A token the gateway has not seen, signed with a key it fetched before members went away.
      const known = await postGraphQL(
        gateway,
        '{ __typename }',
        bearer(await signAccessToken(key, aMember())),
      );
      expect(known.status).toBe(200);
      // A key members may have rotated to meanwhile: nobody can tell until it answers again.
      const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
      const unknown = await postGraphQL(
        gateway,
        '{ __typename }',
        bearer(await signAccessToken({ kid: 'rotated-while-away', privateKey }, aMember())),
      );
      expect(unknown.status).toBe(503);
      expect(unknown.body.errors?.[0]?.extensions).toEqual({
        code: 'IDENTITY_UNAVAILABLE',
        requestId: unknown.headers.get('x-request-id'),
      });
    } finally {
      await gateway.stop();
      await other.stop();
    }
    // A members stack of its own starts in this test: seconds on a busy machine.
  }, 30_000);

  test('members refusing the gateway credential is not taken as a verdict on the key', async () => {
    const misconfigured = await startGatewayOverMembers(members.membersUrl, {
      gatewaySecret: 'not-the-secret-members-knows',
    });
    try {
      const { key } = await createApiKey(members.db, { organizationId });

      const { status, body, headers } = await postGraphQL(misconfigured, '{ __typename }', {
        headers: { 'x-api-key': key },
      });

      expect(status).toBe(503);
      expect(body.errors?.[0]?.extensions).toEqual({
        code: 'IDENTITY_UNAVAILABLE',
        requestId: headers.get('x-request-id'),
      });
    } finally {
      await misconfigured.stop();
    }
  });
});

test('access tokens use the algorithm, issuer and audience of @hub/identity', () => {
  expect(ACCESS_TOKEN).toMatchObject({
    algorithm: 'EdDSA',
    issuer: 'urn:coworking-hub:members',
    audience: 'urn:coworking-hub:api',
  });
});
