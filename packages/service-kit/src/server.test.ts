import { IDENTITY_HEADER, signForwardedIdentity } from '@hub/identity';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  GraphQLError,
  GraphQLInputObjectType,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
} from 'graphql';
import { pino } from 'pino';
import { request } from 'undici';
import { DatabaseUnavailableError } from './database-errors.js';
import { AppError, SERVICE_UNAVAILABLE_MESSAGE } from './errors.js';
import { DateScalar, DateTimeScalar, JsonScalar } from './scalars.js';
import { type RunningServer, startSubgraphServer } from './server.js';

// A real HTTP subgraph server over a tiny schema: the transport rules every service relies on.
const SECRET = 'server-test-secret-0123456789';
let isDatabaseUp = true;
let server: RunningServer;
// Requests to `hang` wait until the test lets them go.
let releaseHanging: () => void = () => {};
let hanging = new Promise<void>((resolve) => {
  releaseHanging = resolve;
});

// A scalar written without the kit's helper: it throws a plain Error.
const CodeScalar = new GraphQLScalarType({
  name: 'Code',
  parseValue: (value) => {
    if (value !== 'ok') throw new Error('Code must be "ok"');
    return value;
  },
  parseLiteral: () => {
    throw new Error('Code must be "ok"');
  },
});
const WindowInput = new GraphQLInputObjectType({
  name: 'Window',
  fields: { from: { type: DateTimeScalar }, to: { type: DateTimeScalar } },
});

type TestContext = { requestId: string; identity?: { memberId?: string } | null };

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      hello: { type: GraphQLString, resolve: () => 'こんにちは' },
      caller: {
        type: GraphQLString,
        resolve: (_r, _a, context: TestContext) => context.identity?.memberId ?? 'anonymous',
      },
      requestId: {
        type: GraphQLString,
        resolve: (_r, _a, context: TestContext) => context.requestId,
      },
      appError: {
        type: GraphQLString,
        resolve: () => {
          throw new AppError('NOT_FOUND', '見つかりません (not found)', { field: 'id' });
        },
      },
      internalError: {
        type: GraphQLString,
        resolve: () => {
          throw new Error('connection to 10.0.0.5:5432 refused — secret detail');
        },
      },
      find: {
        type: GraphQLString,
        args: {
          window: { type: WindowInput },
          on: { type: DateScalar },
          data: { type: JsonScalar },
          code: { type: CodeScalar },
        },
        resolve: () => 'found',
      },
      databaseDown: {
        type: GraphQLString,
        resolve: () => {
          throw new DatabaseUnavailableError('pool-timeout', 'no connection within 2000 ms');
        },
      },
      hang: { type: GraphQLString, resolve: () => hanging.then(() => 'done') },
      clientError: {
        type: GraphQLString,
        resolve: () => {
          throw new GraphQLError('bad', { extensions: { code: 'BAD_USER_INPUT' } });
        },
      },
    },
  }),
});

type LogLine = Record<string, unknown> & { msg: string };

function capturingLogger(logs: LogLine[]) {
  return pino({ level: 'debug' }, { write: (line: string) => logs.push(JSON.parse(line)) });
}

const logs: LogLine[] = [];

function startTestServer(options: { host: string; debugErrors: boolean; logs: LogLine[] }) {
  return startSubgraphServer({
    name: 'test',
    schema,
    port: 0,
    host: options.host,
    gatewaySecret: SECRET,
    logger: capturingLogger(options.logs),
    debugErrors: options.debugErrors,
    context: ({ requestId, identity }) => {
      if (requestId === 'req-context-fails') throw new Error('pool at 10.0.0.5:5432 is gone');
      return { requestId, identity };
    },
    readiness: { database: async () => isDatabaseUp, bus: async () => true },
  });
}

beforeAll(async () => {
  server = await startTestServer({ host: '127.0.0.1', debugErrors: false, logs });
});

afterAll(() => server?.stop());

const post = (body: string, headers: Record<string, string> = {}, url = server.url) =>
  request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-gateway-credential': SECRET, ...headers },
    body,
  });
const query = async (q: string, headers: Record<string, string> = {}) => {
  const response = await post(JSON.stringify({ query: q }), headers);
  return {
    status: response.statusCode,
    headers: response.headers,
    body: (await response.body.json()) as Record<string, unknown>,
  };
};
const base = () => server.url.replace(/\/graphql$/, '');

describe('subgraph server', () => {
  it('answers GraphQL from the gateway', async () => {
    expect((await query('{ hello }')).body).toEqual({ data: { hello: 'こんにちは' } });
  });

  it('refuses GraphQL without or with a wrong credential', async () => {
    for (const headers of [
      { 'x-hub-gateway-credential': '' },
      { 'x-hub-gateway-credential': 'x'.repeat(SECRET.length) },
    ]) {
      const response = await query('{ hello }', headers);
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({
        errors: [{ extensions: { code: 'UNAUTHENTICATED' } }],
      });
    }
  });

  it('passes the request id through and generates one when missing', async () => {
    const given = await query('{ requestId }', { 'x-request-id': 'req-123' });
    expect(given.body).toEqual({ data: { requestId: 'req-123' } });
    expect(given.headers['x-request-id']).toBe('req-123');
    const generated = await query('{ requestId }');
    expect((generated.body.data as { requestId: string }).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps app and client error codes, masks internal errors', async () => {
    const response = await query('{ appError clientError internalError }', {
      'x-request-id': 'req-internal-1',
    });
    const errors = response.body.errors as {
      message: string;
      extensions: Record<string, unknown>;
    }[];
    expect(errors.find((e) => e.extensions.code === 'NOT_FOUND')).toMatchObject({
      message: '見つかりません (not found)',
      extensions: { code: 'NOT_FOUND', field: 'id' },
    });
    expect(errors.some((e) => e.extensions.code === 'BAD_USER_INPUT')).toBe(true);
    const internal = errors.find((e) => e.extensions.code === 'INTERNAL_SERVER_ERROR');
    expect(internal).toEqual({
      message: '内部エラーが発生しました (internal server error)',
      locations: [expect.any(Object)],
      path: ['internalError'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-internal-1' },
    });
    expect(JSON.stringify(response.body)).not.toMatch(/10\.0\.0\.5|secret detail|stacktrace/);
    // The cause is in the log, under the id the client was given.
    const logged = logs.find(
      (line) =>
        line.msg === 'internal error masked for the client' && line.requestId === 'req-internal-1',
    );
    expect(JSON.stringify(logged)).toContain('secret detail');
  });

  it('a failure outside the resolvers is a masked 500 with the request id', async () => {
    const response = await query('{ hello }', { 'x-request-id': 'req-context-fails' });

    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      errors: [
        {
          message: '内部エラーが発生しました (internal server error)',
          extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-context-fails' },
        },
      ],
    });
    const logged = logs.filter((line) => line.requestId === 'req-context-fails');
    expect(JSON.stringify(logged)).toContain('pool at 10.0.0.5:5432 is gone');
  });

  it('shows internal messages only when debug output is asked for on a loopback address', async () => {
    const debugLogs: LogLine[] = [];
    const local = await startTestServer({ host: '127.0.0.1', debugErrors: true, logs: debugLogs });
    const exposed = await startTestServer({ host: '0.0.0.0', debugErrors: true, logs: debugLogs });
    try {
      const internalOf = async (url: string) => {
        const response = await post(JSON.stringify({ query: '{ internalError }' }), {}, url);
        const body = (await response.body.json()) as { errors: { message: string }[] };
        return body.errors[0]?.message;
      };

      expect(await internalOf(local.url)).toMatch(/secret detail/);
      expect(await internalOf(exposed.url)).toBe(
        '内部エラーが発生しました (internal server error)',
      );
      expect(debugLogs).toContainEqual(
        expect.objectContaining({
          level: 40,
          host: '0.0.0.0',
          msg: 'HUB_DEBUG ignored: error details are only shown on a loopback listen address',
        }),
      );
    } finally {
      await Promise.all([local.stop(), exposed.stop()]);
    }
  });

  it.each([
    ['DateTime', '{ find(window: { to: "garbage" }) }', 'window.to', /DateTime must be ISO 8601/],
    ['Date', '{ find(on: "2023-02-30") }', 'on', /Date must be YYYY-MM-DD/],
    ['JSON', '{ find(data: { a: 1 }) }', 'data', /pass JSON as a variable/],
    ['Code (a scalar throwing a plain Error)', '{ find(code: "no") }', 'code', /Code must be "ok"/],
  ])('a bad inline %s is a BAD_USER_INPUT naming the argument', async (_s, q, argument, reason) => {
    const response = await query(q);

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      {
        message: expect.stringMatching(
          `^引数 ${argument} の値が不正です \\(invalid value for argument "${argument}"\\): `,
        ),
        locations: [expect.any(Object)],
        extensions: { code: 'BAD_USER_INPUT', field: argument },
      },
    ]);
    expect((response.body.errors as { message: string }[])[0]?.message).toMatch(reason);
  });

  it.each([
    ['DateTime', 'query ($w: Window) { find(window: $w) }', { w: { to: 'garbage' } }],
    ['Date', 'query ($on: Date) { find(on: $on) }', { on: '2023-02-30' }],
    ['Code (a scalar throwing a plain Error)', 'query ($c: Code) { find(code: $c) }', { c: 'no' }],
  ])('the same bad %s as a variable is a BAD_USER_INPUT too', async (_s, q, variables) => {
    const response = await post(JSON.stringify({ query: q, variables }));
    const body = (await response.body.json()) as { errors: { extensions: { code: string } }[] };

    expect(response.statusCode).toBe(400);
    expect(body.errors.map((error) => error.extensions.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('a validation error of its own stays GRAPHQL_VALIDATION_FAILED', async () => {
    const response = await query('{ find(window: { since: "2026-01-01T00:00:00Z" }) }');

    expect(response.status).toBe(400);
    expect(response.body.errors).toMatchObject([
      { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
    ]);
  });

  it('rejects malformed JSON with 400', async () => {
    const response = await post('{ not json');
    expect(response.statusCode).toBe(400);
    await response.body.text();
  });

  it('serves health without a credential and readiness from its checks', async () => {
    expect((await request(`${base()}/_health`)).statusCode).toBe(200);
    const ready = await request(`${base()}/_readiness`);
    expect(ready.statusCode).toBe(200);
    expect(await ready.body.json()).toEqual({
      status: 'ready',
      checks: { database: true, bus: true },
    });
    isDatabaseUp = false;
    const notReady = await request(`${base()}/_readiness`);
    expect(notReady.statusCode).toBe(503);
    expect(await notReady.body.json()).toEqual({
      status: 'not-ready',
      checks: { database: false, bus: true },
      failures: { database: 'not-ready' },
    });
    isDatabaseUp = true;
  });

  it('gives each readiness check a deadline and names why the failing ones failed', async () => {
    const probed = await startSubgraphServer({
      name: 'probed',
      schema,
      port: 0,
      host: '127.0.0.1',
      gatewaySecret: SECRET,
      logger: capturingLogger([]),
      debugErrors: false,
      context: ({ requestId }) => ({ requestId }),
      readinessTimeoutMs: 300,
      readiness: {
        database: () => new Promise<boolean>(() => {}),
        databasePool: async () => ({ failure: 'exhausted' }),
        bus: async () => {
          throw new Error('nats://10.0.0.7:4222 refused');
        },
        cache: async () => true,
      },
    });
    try {
      const started = Date.now();
      const response = await request(probed.url.replace(/\/graphql$/, '/_readiness'));
      expect(response.statusCode).toBe(503);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(await response.body.json()).toEqual({
        status: 'not-ready',
        checks: { database: false, databasePool: false, bus: false, cache: true },
        failures: { database: 'timeout', databasePool: 'exhausted', bus: 'failed' },
      });
    } finally {
      await probed.stop();
    }
  });

  it('answers SERVICE_UNAVAILABLE (try again) when the database cannot serve, and logs why', async () => {
    logs.length = 0;
    const response = await query('{ databaseDown }', { 'x-request-id': 'req-db-down' });

    expect(response.body.errors).toEqual([
      {
        message: SERVICE_UNAVAILABLE_MESSAGE,
        locations: [expect.any(Object)],
        path: ['databaseDown'],
        extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 1, requestId: 'req-db-down' },
      },
    ]);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 40,
        requestId: 'req-db-down',
        msg: 'database unavailable: answered SERVICE_UNAVAILABLE',
      }),
    );
  });

  it('stop() cuts requests still running after forceAfterMs instead of waiting for them', async () => {
    const stopped = await startTestServer({ host: '127.0.0.1', debugErrors: false, logs: [] });
    const running = request(stopped.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-gateway-credential': SECRET },
      body: JSON.stringify({ query: '{ hang }' }),
    }).then(
      () => 'answered',
      () => 'cut',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await stopped.stop({ forceAfterMs: 200 });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await running).toBe('cut');
    releaseHanging();
    hanging = Promise.resolve();
  });
});

describe('the forwarded identity', () => {
  const member = (memberId: string) => ({
    kind: 'member' as const,
    memberId,
    sessionId: '0190c0de-0000-7000-8000-000000000001',
    roles: [],
    staffOf: [],
  });
  const signed = (memberId: string) =>
    signForwardedIdentity({ identity: member(memberId), clientAddress: '192.0.2.1' }, SECRET);
  const asCaller = (header: string) => query('{ caller }', { [IDENTITY_HEADER]: header });

  it('answers for the caller a header names, each time it is sent (verified once, then known)', async () => {
    const header = signed('0190c0de-0000-7000-8000-00000000000a');
    const other = signed('0190c0de-0000-7000-8000-00000000000b');
    for (const [sent, expected] of [
      [header, '0190c0de-0000-7000-8000-00000000000a'],
      [header, '0190c0de-0000-7000-8000-00000000000a'],
      [other, '0190c0de-0000-7000-8000-00000000000b'],
      [header, '0190c0de-0000-7000-8000-00000000000a'],
    ] as const) {
      const { status, body } = await asCaller(sent);
      expect(status).toBe(200);
      expect(body).toEqual({ data: { caller: expected } });
    }
  });

  it('refuses a header changed after a valid one was accepted', async () => {
    const header = signed('0190c0de-0000-7000-8000-00000000000c');
    expect((await asCaller(header)).status).toBe(200);
    const [head, payload] = header.split('.') as [string, string, string];
    const forged = `${head}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
    const { status, body } = await asCaller(forged);
    expect(status).toBe(401);
    expect(body).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  it('refuses a header known as verified once it has expired', async () => {
    const header = signed('0190c0de-0000-7000-8000-00000000000d');
    expect((await asCaller(header)).status).toBe(200);
    // Past its 60 s lifetime and the clock tolerance.
    const later = Date.now() + 120_000;
    const now = jest.spyOn(Date, 'now').mockImplementation(() => later);
    try {
      const { status, body } = await asCaller(header);
      expect(status).toBe(401);
      expect(body).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    } finally {
      now.mockRestore();
    }
  });
});

describe('HTTP routes beside /graphql', () => {
  let routed: RunningServer;

  beforeAll(async () => {
    routed = await startSubgraphServer({
      name: 'routed',
      schema,
      port: 0,
      host: '127.0.0.1',
      gatewaySecret: SECRET,
      logger: capturingLogger([]),
      debugErrors: false,
      context: ({ requestId }) => ({ requestId }),
      readiness: {},
      routes: [
        {
          method: 'GET',
          path: '/file',
          access: 'gateway',
          handle: async ({ query }) =>
            query.has('code')
              ? {
                  status: 200,
                  text: `\uFEFFcode,${query.get('code')}\r\n`,
                  contentType: 'text/csv; charset=utf-8',
                }
              : { status: 400, body: { code: 'BAD_REQUEST' } },
        },
      ],
    });
  });
  afterAll(() => routed?.stop());

  const origin = () => new URL(routed.url).origin;

  it('passes the query string and sends a text answer as it is, under its media type', async () => {
    const response = await request(`${origin()}/file?code=011002`, {
      headers: { 'x-hub-gateway-credential': SECRET },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await response.body.arrayBuffer());
    expect(bytes.toString('utf8')).toBe('\uFEFFcode,011002\r\n');
  });

  it('still answers JSON bodies as JSON, and a gateway route only to the gateway', async () => {
    const refused = await request(`${origin()}/file`, {
      headers: { 'x-hub-gateway-credential': SECRET },
    });
    expect(refused.statusCode).toBe(400);
    expect(await refused.body.json()).toEqual({ code: 'BAD_REQUEST' });
    const stranger = await request(`${origin()}/file?code=011002`);
    expect(stranger.statusCode).toBe(401);
    await stranger.body.dump();
  });
});
