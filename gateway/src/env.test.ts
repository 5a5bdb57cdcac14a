import { describe, expect, test } from '@jest/globals';
import { ZGatewayEnv } from './env.js';

const VALID = {
  HUB_GATEWAY_SECRET: 'a-secret-of-at-least-16',
  SPACES_URL: 'http://127.0.0.1:4101/graphql',
  MEMBERS_URL: 'http://127.0.0.1:4102/graphql',
  EVENTS_URL: 'http://127.0.0.1:4103/graphql',
  MATCHING_URL: 'http://127.0.0.1:4104/graphql',
  SUPPORT_PROGRAMS_URL: 'http://127.0.0.1:4105/graphql',
};

describe('ZGatewayEnv', () => {
  test('fills defaults for everything but the secret and the subgraph URLs', () => {
    expect(ZGatewayEnv.parse(VALID)).toMatchObject({
      PORT: 4000,
      HOST: '127.0.0.1',
      SUBGRAPH_TIMEOUT_MS: 5000,
      SUBGRAPH_MAX_SOCKETS: 64,
      LOG_LEVEL: 'info',
      GATEWAY_TRUST_PROXY: false,
      GATEWAY_ANONYMOUS_RATE_LIMIT_PER_MINUTE: 300,
      GATEWAY_MEMBER_RATE_LIMIT_PER_MINUTE: 1200,
      GATEWAY_API_KEY_CACHE_TTL_MS: 10_000,
      GATEWAY_IDENTITY_TIMEOUT_MS: 2_000,
      HUB_DEBUG: false,
    });
  });

  test('shows error details only when HUB_DEBUG asks, not for NODE_ENV=development', () => {
    expect(ZGatewayEnv.parse({ ...VALID, NODE_ENV: 'development' }).HUB_DEBUG).toBe(false);
    expect(ZGatewayEnv.parse({ ...VALID, HUB_DEBUG: '1' }).HUB_DEBUG).toBe(true);
  });

  test('reads the proxy trust, rate limits and key cache lifetime', () => {
    const env = ZGatewayEnv.parse({
      ...VALID,
      GATEWAY_TRUST_PROXY: 'true',
      GATEWAY_ANONYMOUS_RATE_LIMIT_PER_MINUTE: '60',
      GATEWAY_MEMBER_RATE_LIMIT_PER_MINUTE: '600',
      GATEWAY_API_KEY_CACHE_TTL_MS: '0',
    });

    expect(env).toMatchObject({
      GATEWAY_TRUST_PROXY: true,
      GATEWAY_ANONYMOUS_RATE_LIMIT_PER_MINUTE: 60,
      GATEWAY_MEMBER_RATE_LIMIT_PER_MINUTE: 600,
      GATEWAY_API_KEY_CACHE_TTL_MS: 0,
    });
    expect(
      ZGatewayEnv.safeParse({ ...VALID, GATEWAY_TRUST_PROXY: 'yes' }).error?.issues[0]?.path,
    ).toEqual(['GATEWAY_TRUST_PROXY']);
  });

  test('caps the key cache lifetime at 10 s: a revoked key or withdrawn partner stops within it', () => {
    expect(ZGatewayEnv.parse({ ...VALID, GATEWAY_API_KEY_CACHE_TTL_MS: '10000' })).toMatchObject({
      GATEWAY_API_KEY_CACHE_TTL_MS: 10_000,
    });
    expect(
      ZGatewayEnv.safeParse({ ...VALID, GATEWAY_API_KEY_CACHE_TTL_MS: '10001' }).error?.issues[0]
        ?.path,
    ).toEqual(['GATEWAY_API_KEY_CACHE_TTL_MS']);
  });

  test('allows no cross-origin page unless CORS_ALLOWED_ORIGINS lists it', () => {
    expect(ZGatewayEnv.parse(VALID).CORS_ALLOWED_ORIGINS).toEqual([]);
    expect(
      ZGatewayEnv.parse({
        ...VALID,
        CORS_ALLOWED_ORIGINS: 'https://App.Example.jp:443, http://localhost:*,,',
      }).CORS_ALLOWED_ORIGINS,
    ).toEqual(['https://app.example.jp', 'http://localhost:*']);
  });

  test.each([
    ['a bare wildcard', '*'],
    ['a host wildcard', 'https://*.example.jp'],
    ['a path', 'https://app.example.jp/graphql'],
    ['a trailing slash', 'https://app.example.jp/'],
    ['no scheme', 'app.example.jp'],
    ['another scheme', 'ftp://app.example.jp'],
    ['null', 'null'],
    ['a port and a wildcard', 'http://localhost:3000:*'],
  ])('refuses %s in CORS_ALLOWED_ORIGINS, naming the entry', (_case, entry) => {
    const result = ZGatewayEnv.safeParse({
      ...VALID,
      CORS_ALLOWED_ORIGINS: `http://ok.jp,${entry}`,
    });

    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ['CORS_ALLOWED_ORIGINS'],
        message: expect.stringContaining(`"${entry}" is not an origin`),
      }),
    ]);
  });

  test('runs every operation unless TRUSTED_DOCUMENTS_MODE says otherwise', () => {
    expect(ZGatewayEnv.parse(VALID)).toMatchObject({ TRUSTED_DOCUMENTS_MODE: 'off' });
    expect(ZGatewayEnv.parse(VALID).TRUSTED_DOCUMENTS).toBeUndefined();
    expect(
      ZGatewayEnv.parse({
        ...VALID,
        TRUSTED_DOCUMENTS_MODE: 'strict',
        TRUSTED_DOCUMENTS: '/etc/hub/trusted-documents',
      }),
    ).toMatchObject({
      TRUSTED_DOCUMENTS_MODE: 'strict',
      TRUSTED_DOCUMENTS: '/etc/hub/trusted-documents',
    });
    expect(
      ZGatewayEnv.safeParse({ ...VALID, TRUSTED_DOCUMENTS_MODE: 'on' }).error?.issues[0]?.path,
    ).toEqual(['TRUSTED_DOCUMENTS_MODE']);
  });

  test('names each missing or bad variable', () => {
    const { SPACES_URL: _missing, ...withoutSpaces } = VALID;
    const result = ZGatewayEnv.safeParse({
      ...withoutSpaces,
      HUB_GATEWAY_SECRET: 'short',
      SUBGRAPH_TIMEOUT_MS: 'soon',
    });

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'HUB_GATEWAY_SECRET',
      'SPACES_URL',
      'SUBGRAPH_TIMEOUT_MS',
    ]);
  });
});
