import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type MemberIdentity, type PartnerIdentity, verifyForwardedIdentity } from '@hub/identity';
import { describe, expect, test } from '@jest/globals';
import type { Caller, CallerResolver } from './identity/caller.js';
import { CallerError } from './identity/caller-error.js';
import type { Credential } from './identity/credentials.js';
import { createRateLimits, DEFAULT_RATE_LIMITS } from './rate-limit/rate-limits.js';
import { createRequestAdmission } from './request-admission.js';

const SECRET = 'unit-test-gateway-secret-0123456789';
const VALID_JWT = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ2YWxpZCJ9.c2ln';
const FORGED_JWT = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJmb3JnZWQifQ.c2ln';
const member: MemberIdentity = {
  kind: 'member',
  memberId: randomUUID(),
  sessionId: randomUUID(),
  roles: ['admin'],
  staffOf: [],
};
const partner: PartnerIdentity = {
  kind: 'partner',
  keyId: randomUUID(),
  organizationId: randomUUID(),
  scopes: ['public:read'],
  purpose: null,
};

const VALID_KEY = `hub_${'v'.repeat(43)}`;

/** Accepts VALID_JWT as `member` and VALID_KEY as a partner; counts real verifications. */
function fakeResolver(): CallerResolver & { verifications: () => number } {
  let verifications = 0;
  const known = new Set<string>();
  const secretOf = (credential: Credential) =>
    credential.kind === 'bearer' ? credential.token : credential.key;
  return {
    verifications: () => verifications,
    isCached: (credential) => known.has(secretOf(credential)),
    resolveCaller: () => Promise.reject(new Error('not used')),
    async resolveCredential(credential): Promise<Caller> {
      if (!credential) return { kind: 'anonymous', identity: null };
      if (!known.has(secretOf(credential))) verifications += 1;
      if (credential.kind === 'bearer' && credential.token === VALID_JWT) {
        known.add(credential.token);
        return { kind: 'member', identity: member };
      }
      if (credential.kind === 'api-key' && credential.key === VALID_KEY) {
        known.add(credential.key);
        return { kind: 'partner', identity: partner, rateLimitPerMinute: 600 };
      }
      throw new CallerError('UNAUTHENTICATED', {
        reason: 'bad signature',
        scheme: credential.kind === 'bearer' ? 'bearer' : 'api-key',
      });
    },
  };
}

function request(headers: Record<string, string>, peer = '198.51.100.9') {
  return { headers, socket: { remoteAddress: peer } } as unknown as IncomingMessage;
}

function admission(options: { failedAuthenticationsPerMinute?: number } = {}) {
  const resolver = fakeResolver();
  const admit = createRequestAdmission({
    resolver,
    rateLimits: createRateLimits({ ...DEFAULT_RATE_LIMITS, ...options }),
    gatewaySecret: SECRET,
    trustProxy: false,
  });
  return { admit, resolver };
}

describe('request admission', () => {
  test('the identity header it builds verifies with the gateway secret and names the member', async () => {
    const { admit } = admission();

    const admitted = await admit(request({ authorization: `Bearer ${VALID_JWT}` }));

    if (!admitted.isAdmitted) throw new Error(`refused: ${admitted.reason}`);
    expect(verifyForwardedIdentity(admitted.forwardedIdentity, SECRET)).toEqual({
      identity: member,
      clientAddress: '198.51.100.9',
    });
    expect(admitted.headers).toEqual({
      'ratelimit-limit': '1200',
      'ratelimit-remaining': '1199',
      'ratelimit-reset': '1',
    });
  });

  test('an anonymous caller is forwarded as null with its address', async () => {
    const { admit } = admission();

    const admitted = await admit(request({}));

    if (!admitted.isAdmitted) throw new Error(`refused: ${admitted.reason}`);
    expect(verifyForwardedIdentity(admitted.forwardedIdentity, SECRET)).toEqual({
      identity: null,
      clientAddress: '198.51.100.9',
    });
    expect(admitted.headers['ratelimit-limit']).toBe('300');
  });

  test('a refused token is a 401 with WWW-Authenticate and a GraphQL-shaped error', async () => {
    const { admit } = admission();

    const refused = await admit(request({ authorization: `Bearer ${FORGED_JWT}` }));

    expect(refused).toMatchObject({
      isAdmitted: false,
      status: 401,
      code: 'UNAUTHENTICATED',
      reason: 'bad signature',
      body: { errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] },
    });
    expect(refused.headers['www-authenticate']).toContain('invalid_token');
  });

  test('past its budget of failures an address gets 429, and unknown keys go unchecked', async () => {
    const { admit, resolver } = admission({ failedAuthenticationsPerMinute: 2 });
    await admit(request({ 'x-api-key': VALID_KEY }));
    const checkedBefore = resolver.verifications();

    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const result = await admit(request({ 'x-api-key': `hub_${'x'.repeat(40)}${attempt}00` }));
      statuses.push(result.isAdmitted ? 200 : result.status);
    }

    expect(statuses).toEqual([401, 401, 429, 429]);
    expect(resolver.verifications() - checkedBefore).toBe(2);
    // A key already known still passes; so does another address.
    expect((await admit(request({ 'x-api-key': VALID_KEY }))).isAdmitted).toBe(true);
    const elsewhere = await admit(
      request({ 'x-api-key': `hub_${'y'.repeat(43)}` }, '198.51.100.10'),
    );
    expect(elsewhere.isAdmitted ? 200 : elsewhere.status).toBe(401);
  });

  test('access tokens are still checked from a failing address: members there are not locked out', async () => {
    const { admit } = admission({ failedAuthenticationsPerMinute: 1 });
    await admit(request({ authorization: `Bearer ${FORGED_JWT}` }));
    const forged = await admit(request({ authorization: `Bearer ${FORGED_JWT}` }));

    const valid = await admit(request({ authorization: `Bearer ${VALID_JWT}` }));

    expect(forged.isAdmitted ? 200 : forged.status).toBe(429);
    expect(valid.isAdmitted).toBe(true);
  });
});
