import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { request } from 'undici';
import {
  startTestGateway,
  startTestSubgraphSet,
  type TestGateway,
  type TestSubgraphSet,
} from './support/test-gateway.js';

// Web pages on other origins: the preflight is answered before the CSRF check and any
// credential check; allowed origins get their own name back and may read the rate-limit,
// retry and request-id headers; any other origin is refused with a GraphQL 403.

const APP = 'https://app.example.jp';
const DEV = 'http://localhost:5173';
const EVIL = 'https://evil.example';

let subgraphs: TestSubgraphSet;
let gateway: TestGateway;
let standalone: TestGateway;
let limited: TestGateway;

beforeAll(async () => {
  subgraphs = await startTestSubgraphSet();
  const corsAllowedOrigins = [APP, 'http://localhost:*'];
  [gateway, standalone, limited] = await Promise.all([
    startTestGateway(subgraphs.all, { corsAllowedOrigins }),
    // What the standalone gateway does without CORS_ALLOWED_ORIGINS.
    startTestGateway(subgraphs.all),
    startTestGateway(subgraphs.all, { corsAllowedOrigins, rateLimits: { anonymousPerMinute: 1 } }),
  ]);
});

afterAll(async () => {
  await Promise.all([gateway?.stop(), standalone?.stop(), limited?.stop()]);
  await subgraphs?.stop();
});

async function send(
  headers: Record<string, string>,
  options: { method?: 'POST' | 'OPTIONS' | 'GET'; to?: TestGateway; requestId?: string } = {},
) {
  const method = options.method ?? 'POST';
  const requestId = options.requestId ?? `req-cors-${Math.random().toString(36).slice(2)}`;
  const response = await request((options.to ?? gateway).url, {
    method,
    headers: { 'x-request-id': requestId, ...headers },
    body: method === 'POST' ? JSON.stringify({ query: '{ spaces { id } }' }) : undefined,
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    body: text === '' ? undefined : JSON.parse(text),
    requestId,
  };
}

const preflight = (origin: string, to?: TestGateway) =>
  send(
    {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type,x-request-id',
    },
    { method: 'OPTIONS', to },
  );

const reachedSubgraph = (requestId: string) => subgraphs.hasSeen(requestId);

describe('the preflight', () => {
  test.each([APP, DEV, 'http://localhost:3000'])(
    'from the allowed %s is answered 204 with what the page may send',
    async (origin) => {
      const answer = await preflight(origin);

      expect(answer.status).toBe(204);
      expect(answer.body).toBeUndefined();
      expect(answer.headers).toMatchObject({
        'access-control-allow-origin': origin,
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-max-age': '600',
        vary: 'origin',
      });
      const allowed = String(answer.headers['access-control-allow-headers']).split(', ');
      expect(allowed).toEqual(
        expect.arrayContaining([
          'content-type',
          'authorization',
          'x-api-key',
          'apollo-require-preflight',
          'x-apollo-operation-name',
          'x-request-id',
        ]),
      );
      // Never a credential: a preflight uses up no rate limit and reaches no subgraph.
      expect(answer.headers['ratelimit-limit']).toBeUndefined();
      expect(reachedSubgraph(answer.requestId)).toBe(false);
    },
  );

  test('from an origin not listed is refused with a GraphQL 403 and no allow-origin', async () => {
    const answer = await preflight(EVIL);

    expect(answer.status).toBe(403);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(answer.headers['content-type']).toBe('application/graphql-response+json; charset=utf-8');
    expect(answer.body).toEqual({
      errors: [
        {
          message: expect.stringContaining('(requests from this origin are not allowed'),
          extensions: { code: 'ORIGIN_NOT_ALLOWED' },
        },
      ],
    });
  });

  test('to a gateway without CORS_ALLOWED_ORIGINS is refused, even from localhost', async () => {
    const answer = await preflight(DEV, standalone);

    expect(answer.status).toBe(403);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('requests from a page on another origin', () => {
  test('an allowed origin gets the data, its own name back and the headers it may read', async () => {
    const answer = await send({ origin: APP, 'content-type': 'application/json' });

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ data: { spaces: [{ id: 's1' }, { id: 's2' }] } });
    expect(answer.headers).toMatchObject({
      'access-control-allow-origin': APP,
      vary: 'origin',
      'x-request-id': answer.requestId,
    });
    expect(String(answer.headers['access-control-expose-headers']).split(', ')).toEqual(
      expect.arrayContaining([
        'ratelimit-limit',
        'ratelimit-remaining',
        'ratelimit-reset',
        'retry-after',
        'x-request-id',
      ]),
    );
    expect(answer.headers['ratelimit-remaining']).toMatch(/^\d+$/);
  });

  test('an origin not listed is refused with a 403 before any subgraph is called', async () => {
    for (const origin of [EVIL, 'null', 'http://127.0.0.1:5173', 'https://app.example.jp:8443']) {
      const answer = await send({ origin, 'content-type': 'application/json' });

      expect(answer.status).toBe(403);
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      expect(answer.body.errors[0].extensions).toEqual({ code: 'ORIGIN_NOT_ALLOWED' });
      expect(reachedSubgraph(answer.requestId)).toBe(false);
    }
  });

  test('a refusal the page must read (429) carries the allow-origin and Retry-After', async () => {
    await send({ origin: APP, 'content-type': 'application/json' }, { to: limited });
    const refused = await send(
      { origin: APP, 'content-type': 'application/json' },
      { to: limited },
    );

    expect(refused.status).toBe(429);
    expect(refused.headers).toMatchObject({
      'access-control-allow-origin': APP,
      'retry-after': expect.stringMatching(/^\d+$/),
    });
    expect(refused.body.errors[0].extensions.code).toBe('RATE_LIMITED');
  });

  test('clients that are no browser (no Origin) and the gateway’s own pages are not affected', async () => {
    const server = await send({ 'content-type': 'application/json' }, { to: standalone });
    const sameOrigin = await send(
      { origin: standalone.origin, 'content-type': 'application/json' },
      { to: standalone },
    );

    for (const answer of [server, sameOrigin]) {
      expect(answer.status).toBe(200);
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      expect(answer.headers.vary).toBe('origin');
    }
  });

  test('CSRF prevention still refuses a simple request from an allowed origin', async () => {
    // A form post (text/plain) is sent without a preflight: CORS alone would not stop it.
    const answer = await send({ origin: APP, 'content-type': 'text/plain' });

    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(answer.body.errors[0].message).toContain('Cross-Site Request Forgery');
    expect(reachedSubgraph(answer.requestId)).toBe(false);
  });
});
