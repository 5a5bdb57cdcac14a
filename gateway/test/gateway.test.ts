import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyForwardedIdentity } from '@hub/identity';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { getIntrospectionQuery } from 'graphql';
import { DEMO_QUERY } from '../src/graphiql-site.js';
import {
  GATEWAY_SECRET,
  type GraphQLBody,
  postGraphQL,
  startEventsSubgraph,
  startMembersSubgraph,
  startSpacesSubgraph,
  startTestGateway,
  type TestGateway,
} from './support/test-gateway.js';
import type { TestSubgraph } from './support/test-subgraph.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CROSS_SUBGRAPH_QUERY = `query SpacesWithEvents {
  spaces { id name operator { name } upcomingEvents { title } }
}`;

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
  gateway = await startTestGateway([spaces, events, members], { subgraphTimeoutMs: 500 });
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([spaces?.stop(), events?.stop(), members?.stop()]);
});

describe('federated queries', () => {
  test('a query across three subgraphs returns the merged result', async () => {
    const { status, body } = await postGraphQL(gateway, CROSS_SUBGRAPH_QUERY);

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      spaces: [
        {
          id: 's1',
          name: 'コワーキング A',
          operator: { name: 'Operator of s1' },
          upcomingEvents: [{ title: 'もくもく会 at s1' }],
        },
        {
          id: 's2',
          name: 'Telework Centre B',
          operator: { name: 'Operator of s2' },
          upcomingEvents: [{ title: 'もくもく会 at s2' }],
        },
      ],
    });
  });

  test('every subgraph call carries the gateway credential and the client request id', async () => {
    const requestId = 'req-cross-credential-1';
    const { headers } = await postGraphQL(gateway, CROSS_SUBGRAPH_QUERY, {
      headers: { 'x-request-id': requestId },
    });

    expect(headers.get('x-request-id')).toBe(requestId);
    for (const subgraph of [spaces, events, members]) {
      const calls = subgraph.seen.filter((seen) => seen.requestId === requestId);
      expect(calls.length).toBeGreaterThan(0);
      for (const call of calls) expect(call.credential).toBe(GATEWAY_SECRET);
    }
  });

  test('every subgraph call carries the anonymous caller, signed, with the client address', async () => {
    const requestId = 'req-cross-identity-1';
    await postGraphQL(gateway, CROSS_SUBGRAPH_QUERY, {
      // What a client sends under that name never reaches a subgraph.
      headers: { 'x-request-id': requestId, 'x-hub-identity': 'forged-by-the-client' },
    });

    const calls = [spaces, events, members].flatMap((subgraph) =>
      subgraph.seen.filter((seen) => seen.requestId === requestId),
    );
    expect(calls.length).toBeGreaterThanOrEqual(3);
    // Signed once per request: every call carries the same header.
    expect(new Set(calls.map((call) => call.identity)).size).toBe(1);
    expect(verifyForwardedIdentity(calls[0]?.identity ?? '', GATEWAY_SECRET)).toEqual({
      identity: null,
      clientAddress: '127.0.0.1',
    });
  });

  test('every GraphQL response carries the rate-limit headers', async () => {
    const { headers } = await postGraphQL(gateway, '{ spaces { id } }');

    expect(headers.get('ratelimit-limit')).toBe('300');
    expect(Number(headers.get('ratelimit-remaining'))).toBeLessThan(300);
    expect(headers.get('ratelimit-reset')).toMatch(/^\d+$/);
  });

  test('without a client request id the gateway makes one and forwards it', async () => {
    const { headers } = await postGraphQL(gateway, '{ spaces { id } }');

    const requestId = headers.get('x-request-id');
    expect(requestId).toMatch(UUID);
    expect(spaces.seen.some((seen) => seen.requestId === requestId)).toBe(true);
  });

  test('an unusable client request id is replaced, not forwarded', async () => {
    const { headers } = await postGraphQL(gateway, '{ spaces { id } }', {
      headers: { 'x-request-id': 'has spaces and "quotes"' },
    });

    expect(headers.get('x-request-id')).toMatch(UUID);
  });

  test('introspection is on, so partners can read the schema', async () => {
    const { body } = await postGraphQL(gateway, '{ __schema { queryType { name } } }');

    expect(body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  test('the access log records request id, operation name, status and duration', async () => {
    const requestId = 'req-access-log-1';
    await postGraphQL(gateway, CROSS_SUBGRAPH_QUERY, { headers: { 'x-request-id': requestId } });

    const line = gateway.logs.find(
      (log) => log.msg === 'graphql request' && log.requestId === requestId,
    );
    expect(line).toMatchObject({
      requestId,
      method: 'POST',
      operationName: 'SpacesWithEvents',
      status: 200,
    });
    expect(typeof line?.durationMs).toBe('number');
  });
});

describe('errors', () => {
  test('a subgraph error with a stable code reaches the client with its message', async () => {
    const { body } = await postGraphQL(gateway, '{ space(id: "nope") { name } }');

    expect(body.data).toEqual({ space: null });
    expect(body.errors).toEqual([
      {
        message: 'スペースが見つかりません (space not found)',
        path: ['space'],
        extensions: { code: 'NOT_FOUND', serviceName: 'spaces' },
      },
    ]);
  });

  test('an internal subgraph error is masked for the client and logged with its cause', async () => {
    const requestId = 'req-internal-1';
    const { body, text } = await postGraphQL(gateway, '{ brokenField spaces { id } }', {
      headers: { 'x-request-id': requestId },
    });

    expect(body.data).toEqual({ brokenField: null, spaces: [{ id: 's1' }, { id: 's2' }] });
    expect(body.errors).toEqual([
      {
        message: '内部エラーが発生しました (internal server error)',
        path: ['brokenField'],
        // The id the client can quote; the cause is logged under it.
        extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'spaces', requestId },
      },
    ]);
    expect(text).not.toMatch(/ECONNREFUSED|10\.1\.2\.3|hunter2|stack|originalMessage/);
    const logged = gateway.logs.find(
      (log) => log.requestId === requestId && log.msg === 'internal error masked for the client',
    );
    expect(JSON.stringify(logged)).toContain('hunter2');
  });

  test('a stopped subgraph yields the other subgraphs data and a masked SUBGRAPH_UNAVAILABLE', async () => {
    const doomedMembers = await startMembersSubgraph();
    const partial = await startTestGateway([spaces, events, doomedMembers]);
    try {
      const before = await postGraphQL(partial, CROSS_SUBGRAPH_QUERY);
      expect(before.body.errors).toBeUndefined();

      await doomedMembers.stop();
      const requestId = 'req-members-down-1';
      const { status, body, text } = await postGraphQL(partial, CROSS_SUBGRAPH_QUERY, {
        headers: { 'x-request-id': requestId },
      });

      expect(status).toBe(200);
      expect(body.data).toEqual({
        spaces: [
          {
            id: 's1',
            name: 'コワーキング A',
            operator: null,
            upcomingEvents: [{ title: 'もくもく会 at s1' }],
          },
          {
            id: 's2',
            name: 'Telework Centre B',
            operator: null,
            upcomingEvents: [{ title: 'もくもく会 at s2' }],
          },
        ],
      });
      expect(body.errors).toEqual([
        {
          message: 'サービス members に接続できません (service unavailable: members)',
          extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'members', requestId },
        },
      ]);
      expect(text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stack/i);
      // Operators still see the cause.
      const logged = partial.logs.find(
        (log) => log.requestId === requestId && log.msg === 'subgraph unreachable',
      );
      expect(JSON.stringify(logged)).toContain('ECONNREFUSED');

      const readiness = await fetch(`${partial.origin}/_readiness`);
      expect(readiness.status).toBe(200);
      expect(await readiness.json()).toEqual({
        status: 'ready',
        subgraphs: { spaces: 'up', events: 'up', members: 'down' },
      });
      const strict = await fetch(`${partial.origin}/_readiness?subgraphs=required`);
      expect(strict.status).toBe(503);
    } finally {
      await partial.stop();
    }
  });

  test('a subgraph slower than the deadline yields SUBGRAPH_TIMEOUT and the rest of the data', async () => {
    const started = performance.now();
    const requestId = 'slow-events-1';
    const { body } = await postGraphQL(gateway, CROSS_SUBGRAPH_QUERY, {
      headers: { 'x-request-id': requestId },
    });

    expect(performance.now() - started).toBeLessThan(1400);
    expect(body.data).toEqual({
      spaces: [
        {
          id: 's1',
          name: 'コワーキング A',
          operator: { name: 'Operator of s1' },
          upcomingEvents: null,
        },
        {
          id: 's2',
          name: 'Telework Centre B',
          operator: { name: 'Operator of s2' },
          upcomingEvents: null,
        },
      ],
    });
    expect(body.errors).toEqual([
      {
        message: 'サービス events が時間内に応答しませんでした (service timed out: events)',
        extensions: { code: 'SUBGRAPH_TIMEOUT', serviceName: 'events', requestId },
      },
    ]);
  });

  test('a subgraph refusing the credential is reported as unavailable, never the refusal', async () => {
    const misconfigured = await startTestGateway([spaces, events, members], {
      gatewaySecret: 'not-the-secret-the-subgraphs-know',
    });
    try {
      const { body, headers } = await postGraphQL(misconfigured, '{ spaces { id } }');

      expect(body.data).toBeNull();
      expect(body.errors).toEqual([
        {
          message: 'サービス spaces に接続できません (service unavailable: spaces)',
          extensions: {
            code: 'SUBGRAPH_UNAVAILABLE',
            serviceName: 'spaces',
            requestId: headers.get('x-request-id'),
          },
        },
      ]);
      expect(
        misconfigured.logs.some((log) =>
          String(log.msg).includes('refused the gateway credential'),
        ),
      ).toBe(true);
    } finally {
      await misconfigured.stop();
    }
  });

  test('a subgraph answering 503 or non-JSON is reported unavailable, the body only logged', async () => {
    let isJson = false;
    const broken = createServer((_request, response) => {
      isJson = !isJson;
      if (isJson) response.writeHead(503, { 'content-type': 'application/json' }).end('{"oops":1}');
      else
        response.writeHead(200, { 'content-type': 'text/html' }).end('<h1>proxy error page</h1>');
    });
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    const { port } = broken.address() as AddressInfo;
    const withBroken = await startTestGateway([spaces, events, members], {
      subgraphUrls: {
        spaces: spaces.url,
        events: events.url,
        members: `http://127.0.0.1:${port}/graphql`,
        matching: 'http://127.0.0.1:9/graphql',
        'support-programs': 'http://127.0.0.1:9/graphql',
      },
    });
    try {
      // First a 503 with a JSON body, then a 200 with an HTML page.
      for (const _answer of ['503 JSON', '200 HTML']) {
        const { body, text, headers } = await postGraphQL(
          withBroken,
          '{ spaces { id operator { name } } }',
        );
        expect(body.data).toEqual({
          spaces: [
            { id: 's1', operator: null },
            { id: 's2', operator: null },
          ],
        });
        expect(body.errors?.map((error) => error.extensions)).toEqual([
          {
            code: 'SUBGRAPH_UNAVAILABLE',
            serviceName: 'members',
            requestId: headers.get('x-request-id'),
          },
        ]);
        expect(text).not.toMatch(/oops|proxy error/);
      }
      expect(JSON.stringify(withBroken.logs)).toContain('proxy error page');
    } finally {
      await withBroken.stop();
      await new Promise((resolve) => broken.close(resolve));
    }
  });

  test('a malformed JSON body is a 400 BAD_REQUEST', async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      errors: [{ extensions: { code: 'BAD_REQUEST' } }],
    });
  });
});

describe('operation limits', () => {
  const nested = (depth: number): string =>
    depth === 0 ? 'id' : `nearby { ${nested(depth - 1)} }`;

  test('a query deeper than 10 is refused before reaching any subgraph', async () => {
    const requestId = 'req-too-deep-1';
    const { status, body } = await postGraphQL(gateway, `{ spaces { ${nested(10)} } }`, {
      headers: { 'x-request-id': requestId },
    });

    expect(status).toBe(400);
    expect(body.errors).toEqual([
      {
        message:
          'クエリの深さ 12 が上限 10 を超えています (query depth limit of 10 exceeded: found 12)',
        extensions: { code: 'DEPTH_LIMIT_EXCEEDED', limit: 10, found: 12 },
      },
    ]);
    expect(spaces.seen.some((seen) => seen.requestId === requestId)).toBe(false);
  });

  test('a query within the depth limit runs', async () => {
    const { body } = await postGraphQL(gateway, `{ spaces { ${nested(8)} } }`);

    expect(body.errors).toBeUndefined();
  });

  test('more than 15 aliases are refused', async () => {
    const aliases = Array.from({ length: 16 }, (_, index) => `a${index}: spaces { id }`).join(' ');
    const { status, body } = await postGraphQL(gateway, `{ ${aliases} }`);

    expect(status).toBe(400);
    expect(body.errors).toEqual([
      {
        message:
          '別名 (alias) の数 16 が上限 15 を超えています (aliases limit of 15 exceeded: found 16)',
        extensions: { code: 'ALIAS_LIMIT_EXCEEDED', limit: 15, found: 16 },
      },
    ]);
  });

  test('a document of more than 2000 tokens is refused', async () => {
    const { status, body } = await postGraphQL(gateway, `{ spaces { ${'id '.repeat(2000)}} }`);

    expect(status).toBe(400);
    expect(body.errors).toEqual([
      {
        message:
          '文書のトークン数が上限 2000 を超えています (document tokens limit of 2000 exceeded)',
        locations: [expect.any(Object)],
        extensions: { code: 'TOKEN_LIMIT_EXCEEDED', limit: 2000 },
      },
    ]);
  });

  test('a syntax error stays a 400 GRAPHQL_PARSE_FAILED', async () => {
    const { status, body } = await postGraphQL(gateway, '{ spaces { id }');

    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  test('field suggestions do not reveal the schema', async () => {
    const { status, body } = await postGraphQL(gateway, '{ spacez { id } }');

    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });

  test('more than 50 directives are refused', async () => {
    const directives = '@include(if: true) '.repeat(51);
    const { status, body } = await postGraphQL(gateway, `{ spaces { id ${directives} } }`);

    expect(status).toBe(400);
    expect(body.errors).toContainEqual({
      message:
        'ディレクティブの数 51 が上限 50 を超えています (directives limit of 50 exceeded: found 51)',
      locations: [{ line: 1, column: 1 }],
      extensions: { code: 'DIRECTIVE_LIMIT_EXCEEDED', limit: 50, found: 51 },
    });
  });

  test('aliases of __typename count towards the alias limit', async () => {
    for (const count of [16, 100]) {
      const aliases = Array.from({ length: count }, (_, index) => `t${index}: __typename`);
      const { status, body } = await postGraphQL(gateway, `{ ${aliases.join(' ')} }`);

      expect(status).toBe(400);
      expect(body.errors).toEqual([
        {
          message: `別名 (alias) の数 ${count} が上限 15 を超えています (aliases limit of 15 exceeded: found ${count})`,
          extensions: { code: 'ALIAS_LIMIT_EXCEEDED', limit: 15, found: count },
        },
      ]);
    }
    const fifteen = Array.from({ length: 15 }, (_, index) => `t${index}: __typename`);
    expect((await postGraphQL(gateway, `{ ${fifteen.join(' ')} }`)).status).toBe(200);
  });

  test('directives on every spread of a fragment count, not only on the first', async () => {
    const spreads = '...SpaceId @include(if: true) '.repeat(51);
    const { status, body } = await postGraphQL(
      gateway,
      `{ spaces { ${spreads} } } fragment SpaceId on Space { id }`,
    );

    expect(status).toBe(400);
    expect(body.errors).toEqual([
      {
        message:
          'ディレクティブの数 51 が上限 50 を超えています (directives limit of 50 exceeded: found 51)',
        locations: [{ line: 1, column: 1 }],
        extensions: { code: 'DIRECTIVE_LIMIT_EXCEEDED', limit: 50, found: 51 },
      },
    ]);
  });

  test('a variable nested deeper than 32 levels is refused before reaching a subgraph', async () => {
    // Refused before the gateway coerces the variable (and long before a subgraph call, where
    // serialising such a value overflowed the stack).
    const query = 'query Since($date: Date) { spacesOpenedSince(date: $date) { id } }';
    // Written out by hand: JSON.stringify itself overflows on the deepest one.
    const send = (levels: number, requestId: string) =>
      fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': requestId },
        body: `{"query":${JSON.stringify(query)},"variables":{"date":${'['.repeat(levels)}"2026-01-01"${']'.repeat(levels)}}}`,
      });
    for (const levels of [33, 20_000]) {
      const requestId = `req-deep-variable-${levels}`;
      const response = await send(levels, requestId);

      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        errors: [
          {
            message: '変数の入れ子が上限 32 を超えています (variable nesting limit of 32 exceeded)',
            extensions: { code: 'VARIABLE_DEPTH_LIMIT_EXCEEDED', limit: 32 },
          },
        ],
      });
      expect(spaces.seen.some((seen) => seen.requestId === requestId)).toBe(false);
    }
    // 32 levels pass the limit and meet the Date's own check instead.
    const within = await send(32, 'req-deep-variable-32');
    expect(within.status).toBe(400);
    expect(((await within.json()) as GraphQLBody).errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('Date must be YYYY-MM-DD'),
        extensions: { code: 'BAD_USER_INPUT' },
      }),
    ]);
  });

  test('introspection is exempt from depth and cost, but its nested lists are bounded', async () => {
    const deep = await postGraphQL(
      gateway,
      '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }',
    );
    expect(deep.status).toBe(400);
    expect(deep.body.errors).toEqual([
      {
        message:
          'イントロスペクションの入れ子が上限 3 を超えています (introspection nesting limit of 3 exceeded)',
        locations: [{ line: 1, column: 3 }],
        extensions: { code: 'INTROSPECTION_DEPTH_LIMIT_EXCEEDED', limit: 3 },
      },
    ]);

    const ide = await postGraphQL(gateway, getIntrospectionQuery());
    expect(ide.status).toBe(200);
  });

  test('a fragment cycle is a validation error, not a hang or a 500', async () => {
    const { status, body } = await postGraphQL(
      gateway,
      `{ spaces { ...A } }
       fragment A on Space { nearby { ...B } }
       fragment B on Space { nearby { ...A } }`,
    );

    expect(status).toBe(400);
    expect(body.errors?.[0]).toMatchObject({
      message: 'Cannot spread fragment "A" within itself via "B".',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  test('the cost limit is configurable', async () => {
    const strict = await startTestGateway([spaces, events, members], { limits: { maxCost: 10 } });
    try {
      const costly = await postGraphQL(strict, '{ spaces { id name nearby { id name } } }');
      expect(costly.status).toBe(400);
      expect(costly.body.errors).toEqual([
        {
          message:
            'クエリのコスト 12 が上限 10 を超えています (query cost limit of 10 exceeded: found 12)',
          extensions: { code: 'COST_LIMIT_EXCEEDED', limit: 10, found: 12 },
        },
      ]);

      const cheap = await postGraphQL(strict, '{ spaces { id } }');
      expect(cheap.body.errors).toBeUndefined();
    } finally {
      await strict.stop();
    }
  });
});

describe('CSRF prevention', () => {
  test('a GET query without a preflight header is refused', async () => {
    const response = await fetch(`${gateway.url}?query=${encodeURIComponent('{ spaces { id } }')}`);

    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Cross-Site Request Forgery');
  });

  test('a GET query with the preflight header runs', async () => {
    const response = await fetch(
      `${gateway.url}?query=${encodeURIComponent('{ spaces { id } }')}`,
      {
        headers: { 'apollo-require-preflight': 'true' },
      },
    );

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { spaces: [{ id: 's1' }, { id: 's2' }] } });
  });

  test('a simple-request POST (text/plain) is refused', async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ spaces { id } }' }),
    });

    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Cross-Site Request Forgery');
  });
});

describe('HTTP endpoints', () => {
  test('/_health answers 200', async () => {
    const response = await fetch(`${gateway.origin}/_health`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  test('/_readiness reports the gateway ready and each subgraph up', async () => {
    const response = await fetch(`${gateway.origin}/_readiness?subgraphs=required`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      subgraphs: { spaces: 'up', events: 'up', members: 'up' },
    });
  });

  test('GraphiQL at / loads only local assets, and they are served', async () => {
    const response = await fetch(`${gateway.origin}/`);
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(html).toContain('コワーキング情報ハブ / Coworking Hub');
    expect(html).not.toMatch(/https?:\/\//);
    const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((match) => match[1]);
    const styles = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map(
      (match) => match[1],
    );
    expect(scripts).toEqual([
      expect.stringMatching(/^\/_assets\/react-18\.[\d.]+\.production\.min\.js$/),
      expect.stringMatching(/^\/_assets\/react-dom-18\.[\d.]+\.production\.min\.js$/),
      expect.stringMatching(/^\/_assets\/graphiql-3\.[\d.]+\.min\.js$/),
      '/_assets/graphiql-start.js',
    ]);
    expect(styles).toEqual([expect.stringMatching(/^\/_assets\/graphiql-3\.[\d.]+\.min\.css$/)]);

    for (const path of [...scripts, ...styles]) {
      const asset = await fetch(`${gateway.origin}${path}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toBe(
        path?.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8',
      );
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(500);
    }
  });

  test('the GraphiQL start script points at /graphql and opens the demo query', async () => {
    const script = await (await fetch(`${gateway.origin}/_assets/graphiql-start.js`)).text();

    expect(script).toContain('"endpointPath":"/graphql"');
    expect(script).toContain(JSON.stringify(DEMO_QUERY));
    expect(DEMO_QUERY.replace(/#.*\n/g, '').replace(/\s+/g, ' ').trim()).toBe(
      '{ spaces { totalCount nodes { id name municipality { id code name } operator { id name } upcomingEvents { totalCount nodes { id title } } } } }',
    );
  });

  test('assets are compressed and revalidated by ETag', async () => {
    const path = '/_assets/graphiql-start.js';
    const first = await fetch(`${gateway.origin}${path}`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    const etag = first.headers.get('etag');

    expect(first.headers.get('content-encoding')).toBe('gzip');
    const second = await fetch(`${gateway.origin}${path}`, {
      headers: { 'if-none-match': etag ?? '' },
    });
    expect(second.status).toBe(304);
  });

  test('a browser opening /graphql is sent to GraphiQL', async () => {
    const response = await fetch(gateway.url, {
      headers: { accept: 'text/html' },
      redirect: 'manual',
    });

    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/');
  });

  test('unknown paths are 404', async () => {
    const response = await fetch(`${gateway.origin}/nope`);

    expect(response.status).toBe(404);
  });
});
