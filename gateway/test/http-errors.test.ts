import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { request } from 'undici';
import {
  startTestGateway,
  startTestSubgraphSet,
  type TestGateway,
  type TestSubgraphSet,
} from './support/test-gateway.js';

// Every error answer the gateway writes itself is a GraphQL response — `{ errors: [{ message,
// extensions: { code } }] }` in `application/graphql-response+json` — so a client (Apollo
// Client 4 among them) reads the code instead of a bare HTTP failure. A client that accepts only
// `application/json` gets that (GraphQL over HTTP).

const GRAPHQL_RESPONSE = 'application/graphql-response+json; charset=utf-8';
const JSON_RESPONSE = 'application/json; charset=utf-8';
// Japanese, then the English in parentheses.
const BILINGUAL = /[\u3000-\u9fff].*\(.*[a-z].*\)/;

let subgraphs: TestSubgraphSet;
let gateway: TestGateway;
let limited: TestGateway;

beforeAll(async () => {
  subgraphs = await startTestSubgraphSet();
  [gateway, limited] = await Promise.all([
    startTestGateway(subgraphs.all, {
      corsAllowedOrigins: ['https://app.example.jp'],
      // The fake members subgraph serves no key lookup: any API key meets "cannot verify" (503).
      identity: { timeoutMs: 500 },
    }),
    startTestGateway(subgraphs.all, { rateLimits: { anonymousPerMinute: 1 } }),
  ]);
});

afterAll(async () => {
  await Promise.all([gateway?.stop(), limited?.stop()]);
  await subgraphs?.stop();
});

type Sent = {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS' | 'PATCH';
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  to?: TestGateway;
};

async function send(sent: Sent) {
  const to = sent.to ?? gateway;
  const response = await request(`${to.origin}${sent.path ?? '/graphql'}`, {
    method: sent.method ?? 'POST',
    headers: sent.headers,
    body: sent.body,
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    body: JSON.parse(text) as {
      data?: unknown;
      errors?: { message: string; extensions?: Record<string, unknown> }[];
    },
  };
}

const json = { 'content-type': 'application/json' };
const QUERY = JSON.stringify({ query: '{ spaces { id } }' });

// Each case: what the client sends, the status, the code, and headers the answer must carry.
type Case = {
  what: string;
  sent: Sent;
  status: number;
  code: string;
  headers?: Record<string, string>;
};
const CASES: Case[] = [
  {
    what: 'malformed JSON',
    sent: { headers: json, body: '{"query": ' },
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    what: 'a credential in an unknown scheme',
    sent: { headers: { ...json, authorization: 'Token abc' }, body: QUERY },
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    what: 'a page on an origin not allowed',
    sent: { headers: { ...json, origin: 'https://evil.example' }, body: QUERY },
    status: 403,
    code: 'ORIGIN_NOT_ALLOWED',
  },
  {
    what: 'an unknown path',
    sent: { method: 'GET', path: '/nope' },
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    what: 'a PUT',
    sent: { method: 'PUT', headers: json, body: QUERY },
    status: 405,
    code: 'BAD_REQUEST',
    headers: { allow: 'GET, POST' },
  },
  {
    what: 'an Accept admitting no GraphQL media type',
    sent: { headers: { ...json, accept: 'text/html' }, body: QUERY },
    status: 406,
    code: 'BAD_REQUEST',
  },
  {
    what: 'a body over 1 MiB',
    sent: {
      headers: json,
      body: JSON.stringify({ query: '{ spaces { id } }', x: 'x'.repeat(1_100_000) }),
    },
    status: 413,
    code: 'REQUEST_TOO_LARGE',
    headers: { connection: 'close' },
  },
  {
    what: 'a GET with a content-type other than JSON',
    sent: {
      method: 'GET',
      path: `/graphql?query=${encodeURIComponent('{ __typename }')}`,
      headers: { 'content-type': 'text/plain', 'apollo-require-preflight': '1' },
    },
    status: 415,
    code: 'BAD_REQUEST',
  },
  {
    what: 'a partner key members cannot be asked about',
    sent: { headers: { ...json, 'x-api-key': `hub_${'a'.repeat(40)}` }, body: QUERY },
    status: 503,
    code: 'IDENTITY_UNAVAILABLE',
    headers: { 'retry-after': '5' },
  },
];

describe('error answers the gateway writes itself', () => {
  test.each(CASES)(
    '$what: HTTP $status, a GraphQL response with code $code',
    async ({ sent, status, code, headers }) => {
      const answer = await send(sent);

      expect(answer.status).toBe(status);
      expect(answer.headers['content-type']).toBe(GRAPHQL_RESPONSE);
      expect(answer.body).toEqual({
        errors: [
          {
            message: expect.any(String),
            extensions: expect.objectContaining({ code }),
          },
        ],
      });
      expect(answer.headers).toMatchObject(headers ?? {});
    },
  );

  test('a client that accepts only application/json gets its errors in application/json', async () => {
    for (const { sent, status, code } of CASES) {
      if (sent.headers?.accept) continue;
      const answer = await send({
        ...sent,
        headers: { ...sent.headers, accept: 'application/json' },
      });

      expect({ status: answer.status, type: answer.headers['content-type'] }).toEqual({
        status,
        type: JSON_RESPONSE,
      });
      expect(answer.body.errors?.[0]?.extensions?.code).toBe(code);
    }
  });

  test('a request over its rate limit: 429, RATE_LIMITED, Retry-After, as GraphQL', async () => {
    const first = await send({ to: limited, headers: json, body: QUERY });
    const refused = await send({ to: limited, headers: json, body: QUERY });

    expect(first.status).toBe(200);
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toBe(GRAPHQL_RESPONSE);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused.body).toEqual({
      errors: [
        {
          message: expect.stringMatching(BILINGUAL),
          extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) },
        },
      ],
    });
  });

  test("the gateway's own messages are in Japanese with the English alongside", async () => {
    for (const { sent, code } of CASES) {
      // 415 is Apollo Server's own answer (its English message, in the negotiated type).
      if (sent.method === 'GET' && sent.path?.startsWith('/graphql')) continue;
      const answer = await send(sent);
      expect({ code, message: answer.body.errors?.[0]?.message }).toEqual({
        code,
        message: expect.stringMatching(BILINGUAL),
      });
    }
  });

  test('Apollo Server’s own answers come in the negotiated media type too', async () => {
    // No Accept: Apollo would say application/json; the gateway asks it for the GraphQL type.
    const validation = await send({ headers: json, body: JSON.stringify({ query: '{ nope }' }) });
    const csrf = await send({ headers: { 'content-type': 'text/plain' }, body: QUERY });
    const ok = await send({ headers: json, body: QUERY });

    expect(validation.status).toBe(400);
    expect(csrf.status).toBe(400);
    expect([validation, csrf, ok].map((answer) => answer.headers['content-type'])).toEqual([
      GRAPHQL_RESPONSE,
      GRAPHQL_RESPONSE,
      GRAPHQL_RESPONSE,
    ]);
    expect(ok.body).toEqual({ data: { spaces: [{ id: 's1' }, { id: 's2' }] } });
  });
});
