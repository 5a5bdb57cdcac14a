import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  activeSigningKey,
  aMember,
  createApiKey,
  createOrganization,
  type MembersStack,
  ORGANIZATION_QUERY,
  signAccessToken,
  startGatewayOverMembers,
  startMembersStack,
} from './support/members-stack.js';
import { postGraphQL, type TestGateway } from './support/test-gateway.js';

// Limits of one gateway process in front of the real members subgraph. The gateway trusts
// X-Forwarded-For here so each test can be a client address of its own.
let members: MembersStack;
let gateway: TestGateway;
let organizationId: string;

beforeAll(async () => {
  members = await startMembersStack();
  organizationId = await createOrganization(members.db, '試験町 (Test Town)');
  gateway = await startGatewayOverMembers(members.membersUrl, {
    trustProxy: true,
    rateLimits: { anonymousPerMinute: 3, memberPerMinute: 5, failedAuthenticationsPerMinute: 2 },
  });
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await members?.stop();
});

const queryOrganization = (headers: Record<string, string>) =>
  postGraphQL(gateway, ORGANIZATION_QUERY, { headers, variables: { id: organizationId } });

function rateLimitOf(headers: Headers) {
  return {
    limit: headers.get('ratelimit-limit'),
    remaining: headers.get('ratelimit-remaining'),
    reset: headers.get('ratelimit-reset'),
  };
}

describe('per API key', () => {
  test('a key limited to 3 a minute gets its 4th request refused, before any subgraph', async () => {
    const { key } = await createApiKey(members.db, { organizationId, rateLimitPerMinute: 3 });
    // Different addresses: the key's limit follows the key, not the address.
    const answers = [];
    for (const address of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) {
      answers.push(await queryOrganization({ 'x-api-key': key, 'x-forwarded-for': address }));
    }
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(answers.map((answer) => rateLimitOf(answer.headers).remaining)).toEqual(['2', '1', '0']);
    expect(rateLimitOf(answers[0]!.headers).limit).toBe('3');

    const before = members.queryCount();
    const refused = await queryOrganization({ 'x-api-key': key, 'x-forwarded-for': '192.0.2.4' });

    expect(members.queryCount()).toBe(before);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('20');
    expect(rateLimitOf(refused.headers)).toEqual({ limit: '3', remaining: '0', reset: '60' });
    expect(refused.body).toEqual({
      errors: [
        {
          message:
            'リクエストが多すぎます。しばらく待ってから再試行してください (too many requests)',
          extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 20 },
        },
      ],
    });
  });

  test('another key has a bucket of its own', async () => {
    const { key } = await createApiKey(members.db, { organizationId, rateLimitPerMinute: 3 });

    const answer = await queryOrganization({ 'x-api-key': key, 'x-forwarded-for': '192.0.2.1' });

    expect(answer.status).toBe(200);
    expect(rateLimitOf(answer.headers).remaining).toBe('2');
  });
});

describe('per anonymous client address', () => {
  test('the 4th request of an address is refused; another address is not', async () => {
    const address = { 'x-forwarded-for': '198.51.100.20, 10.0.0.1' };
    const statuses = [];
    for (let index = 0; index < 3; index += 1) {
      statuses.push((await queryOrganization(address)).status);
    }
    const before = members.queryCount();
    const refused = await queryOrganization(address);
    const after = members.queryCount();
    const neighbour = await queryOrganization({ 'x-forwarded-for': '198.51.100.21' });

    expect(statuses).toEqual([200, 200, 200]);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(19);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(after).toBe(before);
    expect(neighbour.status).toBe(200);
  });

  test('requests refused for their shape still count and carry the headers', async () => {
    const address = { 'x-forwarded-for': '198.51.100.30' };
    const { status, headers } = await postGraphQL(gateway, '{ organization(id: ', {
      headers: address,
    });

    expect(status).toBe(400);
    expect(rateLimitOf(headers)).toEqual({ limit: '3', remaining: '2', reset: '20' });
  });

  test('health checks and GraphiQL are never limited', async () => {
    const address = { 'x-forwarded-for': '198.51.100.40' };
    for (let index = 0; index < 4; index += 1) await queryOrganization(address);

    for (const path of ['/_health', '/_readiness', '/', '/_assets/graphiql-start.js']) {
      for (let index = 0; index < 5; index += 1) {
        const response = await fetch(`${gateway.origin}${path}`, { headers: address });
        expect(response.status).toBe(200);
        expect(response.headers.get('ratelimit-limit')).toBeNull();
        await response.arrayBuffer();
      }
    }
  });
});

describe('per member', () => {
  test('a member is limited across addresses', async () => {
    const token = await signAccessToken(await activeSigningKey(members.db), aMember());
    const statuses = [];
    for (let index = 0; index < 6; index += 1) {
      const answer = await queryOrganization({
        authorization: `Bearer ${token}`,
        'x-forwarded-for': `203.0.113.${index + 1}`,
      });
      statuses.push(answer.status);
    }

    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});

describe('failed authentications', () => {
  test('an address sending bad keys is refused unchecked once it has failed too often', async () => {
    const address = '198.51.100.50';
    const badKey = () => `hub_${crypto.randomUUID().replaceAll('-', '')}`;
    const statuses = [];
    for (let index = 0; index < 3; index += 1) {
      const answer = await queryOrganization({ 'x-api-key': badKey(), 'x-forwarded-for': address });
      statuses.push(answer.status);
    }
    const { key } = await createApiKey(members.db, { organizationId });
    const partnerElsewhere = await queryOrganization({
      'x-api-key': key,
      'x-forwarded-for': '198.51.100.51',
    });

    expect(statuses).toEqual([401, 401, 429]);
    expect(partnerElsewhere.status).toBe(200);
  });
});
