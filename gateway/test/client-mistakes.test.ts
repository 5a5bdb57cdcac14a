import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  startEventsSubgraph,
  startMembersSubgraph,
  startSpacesSubgraph,
  startTestGateway,
  type TestGateway,
} from './support/test-gateway.js';
import type { TestSubgraph } from './support/test-subgraph.js';

// Requests a client gets wrong: each is a 4xx with a code of its own, never a 5xx or an
// INTERNAL_SERVER_ERROR, and none reaches a subgraph.

let spaces: TestSubgraph;
let events: TestSubgraph;
let members: TestSubgraph;
let gateway: TestGateway;

beforeAll(async () => {
  [spaces, events, members] = await Promise.all([
    startSpacesSubgraph(),
    startEventsSubgraph(),
    startMembersSubgraph(),
  ]);
  gateway = await startTestGateway([spaces, events, members]);
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([spaces?.stop(), events?.stop(), members?.stop()]);
});

type Answer = {
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
};

async function send(
  init: { method?: string; headers?: Record<string, string>; body?: string; search?: string },
  requestId = `req-mistake-${Math.random().toString(36).slice(2)}`,
): Promise<Answer & { requestId: string; text: string }> {
  const response = await fetch(`${gateway.url}${init.search ?? ''}`, {
    method: init.method ?? 'POST',
    headers: { 'x-request-id': requestId, ...init.headers },
    body: init.body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {}, requestId, text };
}

const postJson = (payload: unknown) =>
  send({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function expectNoSubgraphCall(requestId: string): void {
  for (const subgraph of [spaces, events, members]) {
    expect(subgraph.seen.some((seen) => seen.requestId === requestId)).toBe(false);
  }
}

describe('choosing the operation', () => {
  test('an operationName the document does not contain is a 400 OPERATION_NOT_FOUND', async () => {
    const answer = await postJson({ query: 'query A { __typename }', operationName: 'B' });

    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      errors: [
        {
          message: '操作 "B" が文書にありません (no operation named "B" in the document)',
          extensions: { code: 'OPERATION_NOT_FOUND' },
        },
      ],
    });
  });

  test('several operations without operationName are a 400 OPERATION_NAME_REQUIRED', async () => {
    const query = 'query A { spaces { id } } query B { __typename }';
    const answer = await postJson({ query });

    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      {
        message: expect.stringContaining('(the document has several operations'),
        extensions: { code: 'OPERATION_NAME_REQUIRED' },
      },
    ]);
    expectNoSubgraphCall(answer.requestId);

    const named = await postJson({ query, operationName: 'B' });
    expect(named.status).toBe(200);
    expect(named.body).toEqual({ data: { __typename: 'Query' } });
  });

  test('a subscription is a 400 SUBSCRIPTIONS_NOT_SUPPORTED', async () => {
    const answer = await postJson({ query: 'subscription { __typename }' });

    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      {
        message: expect.stringContaining('subscriptions are not supported here'),
        extensions: { code: 'SUBSCRIPTIONS_NOT_SUPPORTED' },
      },
    ]);
  });

  test('an operation type the schema lacks is a 400, not a 500', async () => {
    // The test supergraph has no Mutation type.
    const answer = await postJson({ query: 'mutation { __typename }' });

    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      {
        message: 'このスキーマには mutation がありません (the schema has no mutation type)',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      },
    ]);
  });
});

describe('literals no parser or subgraph call can hold', () => {
  test.each([['1e309'], ['-1e400'], [`1${'0'.repeat(400)}`]])(
    'a Float literal %s beyond a double is a 400, not a 500',
    async (literal) => {
      const answer = await postJson({ query: `{ spacesNear(latitude: ${literal}) { id } }` });

      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([
        expect.objectContaining({
          message: expect.stringContaining('out of range'),
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        }),
      ]);
      expectNoSubgraphCall(answer.requestId);
    },
  );

  test('a document nested thousands of levels is a syntax error that names the nesting', async () => {
    const depth = 5000;
    const answer = await postJson({
      query: `{ spacesNear(latitude: ${'['.repeat(depth)}1${']'.repeat(depth)}) { id } }`,
    });

    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('nested too deeply'),
        extensions: { code: 'GRAPHQL_PARSE_FAILED' },
      }),
    ]);
    expect(answer.text).not.toContain('call stack');
  });
});

describe('custom scalars are judged like built-in ones', () => {
  // The subgraphs' Date, DateTime and JSON were only names to the gateway: a bad Date went on to
  // a subgraph and came back as an HTTP 200 with its error, while a bad Int was a 400 here.
  test('a bad Date variable gets the status and shape of a bad Int variable', async () => {
    const date = await postJson({
      query: 'query ($d: Date) { spacesOpenedSince(date: $d) { id } }',
      variables: { d: '2023-02-30' },
    });
    const int = await postJson({
      query: 'query ($n: Int) { spacesPage(first: $n) { id } }',
      variables: { n: 'ten' },
    });

    for (const answer of [date, int]) {
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        errors: [
          {
            message: expect.stringMatching(/^Variable "\$\w" got invalid value "\w+-?.*"; /),
            locations: [{ line: 1, column: 8 }],
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      });
      expectNoSubgraphCall(answer.requestId);
    }
    expect(date.body.errors?.[0]?.message).toBe(
      'Variable "$d" got invalid value "2023-02-30"; 日付は YYYY-MM-DD 形式で指定してください (Date must be YYYY-MM-DD)',
    );
  });

  test('a bad Date inline is a 400 before any subgraph, naming the argument', async () => {
    const answer = await postJson({ query: '{ spacesOpenedSince(date: "tomorrow") { id } }' });

    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      errors: [
        {
          message:
            '引数 date の値が不正です (invalid value for argument "date"): 日付は YYYY-MM-DD 形式で指定してください (Date must be YYYY-MM-DD)',
          locations: [{ line: 1, column: 27 }],
          extensions: { code: 'BAD_USER_INPUT', field: 'date' },
        },
      ],
    });
    expectNoSubgraphCall(answer.requestId);
  });

  test('a good Date reaches the subgraph as the client wrote it', async () => {
    const answer = await postJson({
      query: 'query ($d: Date) { spacesOpenedSince(date: $d) { id } }',
      variables: { d: '2024-02-29' },
    });

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ data: { spacesOpenedSince: [{ id: 's1' }, { id: 's2' }] } });
  });
});

describe('bodies over the limit', () => {
  // The unread rest of the body makes the socket unusable, so the answer must say it closes:
  // a client that reused the connection got ECONNRESET on its next request.
  test.each([
    ['with a Content-Length', true],
    ['chunked', false],
  ])('a body over 1 MB (%s) is a 413 that closes the connection', async (_label, hasLength) => {
    const body = JSON.stringify({
      query: '{ spaces { id } }',
      variables: { x: 'x'.repeat(1_100_000) },
    });
    const answer = await new Promise<{
      status: number;
      connection: string | undefined;
      text: string;
    }>((resolve, reject) => {
      const request = httpRequest(gateway.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(hasLength ? { 'content-length': Buffer.byteLength(body) } : {}),
        },
      });
      request.on('error', reject);
      request.on('response', (response) => {
        let text = '';
        response.on('data', (chunk) => {
          text += chunk;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            connection: response.headers.connection,
            text,
          }),
        );
      });
      // The server may answer and close before the whole body is written.
      request.on('close', () => {});
      request.end(body);
    });

    expect(answer.status).toBe(413);
    expect(answer.connection).toBe('close');
    expect(JSON.parse(answer.text)).toEqual({
      errors: [
        {
          message: 'リクエストが大きすぎます (上限 1 MiB) (request body over the limit of 1 MiB)',
          extensions: { code: 'REQUEST_TOO_LARGE' },
        },
      ],
    });
    expect((await postJson({ query: '{ spaces { id } }' })).status).toBe(200);
  });
});

describe('automatic persisted queries', () => {
  const query = '{ spaces { id } }';

  test('a query that does not match its sha256Hash is a 400 PERSISTED_QUERY_HASH_MISMATCH', async () => {
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256('{ other }') } };
    const post = await postJson({ query, extensions });
    const get = await send({
      method: 'GET',
      headers: { 'apollo-require-preflight': 'true' },
      search: `?query=${encodeURIComponent(query)}&extensions=${encodeURIComponent(JSON.stringify(extensions))}`,
    });

    for (const answer of [post, get]) {
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        errors: [
          {
            message:
              'クエリが sha256Hash と一致しません (the query does not match persistedQuery.sha256Hash)',
            extensions: { code: 'PERSISTED_QUERY_HASH_MISMATCH' },
          },
        ],
      });
      expectNoSubgraphCall(answer.requestId);
    }
  });

  test.each([
    ['an unknown version', { version: 2, sha256Hash: sha256(query) }],
    ['no object', 'abc'],
    ['a hash that is no SHA-256', { version: 1, sha256Hash: 'ABC' }],
  ])('a persistedQuery with %s is a 400 BAD_REQUEST', async (_case, persistedQuery) => {
    const answer = await postJson({ query, extensions: { persistedQuery } });

    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      { message: expect.stringMatching(/\(.+\)$/), extensions: { code: 'BAD_REQUEST' } },
    ]);
  });

  test('registering with the right hash, then sending the hash alone, still works', async () => {
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
    const unknown = await postJson({ extensions });
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');

    const registered = await postJson({ query, extensions });
    expect(registered.body).toEqual({ data: { spaces: [{ id: 's1' }, { id: 's2' }] } });
    const byHash = await postJson({ extensions });
    expect(byHash.body).toEqual({ data: { spaces: [{ id: 's1' }, { id: 's2' }] } });
  });
});

describe('malformed HTTP requests', () => {
  const json = { 'content-type': 'application/json' };
  const preflight = { 'apollo-require-preflight': 'true' };
  const typename = encodeURIComponent('{ __typename }');

  test.each<[string, Parameters<typeof send>[0]]>([
    [
      'GET with a mutation',
      {
        method: 'GET',
        headers: preflight,
        search: `?query=${encodeURIComponent('mutation { __typename }')}`,
      },
    ],
    [
      'GET with a subscription',
      {
        method: 'GET',
        headers: preflight,
        search: `?query=${encodeURIComponent('subscription { __typename }')}`,
      },
    ],
    ['GET without a query', { method: 'GET', headers: preflight, search: '?variables=%7B%7D' }],
    [
      'GET with variables that are no JSON',
      { method: 'GET', headers: preflight, search: `?query=${typename}&variables=nope` },
    ],
    [
      'GET with extensions that are no JSON',
      { method: 'GET', headers: preflight, search: `?query=${typename}&extensions=%5B1` },
    ],
    [
      'an unknown content-type',
      { headers: { 'content-type': 'application/xml' }, body: '<query/>' },
    ],
    ['no content-type', { headers: preflight, body: '{"query":"{ __typename }"}' }],
    ['an empty body', { headers: json, body: '' }],
    ['a JSON null body', { headers: json, body: 'null' }],
    ['a JSON string body', { headers: json, body: '"{ __typename }"' }],
    ['an empty object', { headers: json, body: '{}' }],
    ['a query that is no string', { headers: json, body: '{"query":5}' }],
    [
      'variables that are no object',
      { headers: json, body: '{"query":"{ __typename }","variables":[1]}' },
    ],
    [
      'variables as a JSON string',
      { headers: json, body: '{"query":"{ __typename }","variables":"{}"}' },
    ],
    [
      'extensions that are no object',
      { headers: json, body: '{"query":"{ __typename }","extensions":"x"}' },
    ],
    [
      'an operationName that is no string',
      { headers: json, body: '{"query":"{ __typename }","operationName":5}' },
    ],
    ['a batch while batching is off', { headers: json, body: '[{"query":"{ __typename }"}]' }],
    ['malformed JSON', { headers: json, body: '{"query": ' }],
    ['a PUT', { method: 'PUT', headers: json, body: '{"query":"{ __typename }"}' }],
    ['a DELETE', { method: 'DELETE', headers: json }],
    ['a PATCH', { method: 'PATCH', headers: json, body: '{}' }],
    ['an OPTIONS', { method: 'OPTIONS' }],
    ['a syntax error', { headers: json, body: '{"query":"{ spaces { id }"}' }],
    ['only a fragment', { headers: json, body: '{"query":"fragment F on Query { __typename }"}' }],
    [
      'a missing required variable',
      { headers: json, body: '{"query":"query ($id: ID!) { space(id: $id) { id } }"}' },
    ],
  ])('%s is a 4xx with a specific code', async (_case, init) => {
    const answer = await send(init);

    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.body.errors?.length).toBeGreaterThan(0);
    for (const error of answer.body.errors ?? []) {
      expect(error.extensions?.code).toEqual(expect.any(String));
      expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
    }
    expectNoSubgraphCall(answer.requestId);
  });
});
