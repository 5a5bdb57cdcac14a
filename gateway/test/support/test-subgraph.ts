import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

/** Resolvers by type and field; `never` parameters accept resolvers of any argument types. */
export type TestResolvers = Record<
  string,
  Record<string, (parent: never, args: never, context: never) => unknown>
>;

export type SeenRequest = {
  credential: string | undefined;
  requestId: string | undefined;
  /** The gateway-signed `x-hub-identity` header. */
  identity: string | undefined;
};

/**
 * What `/_readiness` does: answer 200, answer 503 (a dependency is down), or never answer (a
 * readiness check waiting on a database pool that hands out no connection).
 */
export type TestReadiness = 'ready' | 'not-ready' | 'hang';

export type TestSubgraph = {
  name: string;
  sdl: string;
  url: string;
  /** Headers of every GraphQL request this subgraph received. */
  seen: SeenRequest[];
  /** Changes what `/_readiness` does from now on (default 'ready'). */
  setReadiness(readiness: TestReadiness): void;
  stop(): Promise<void>;
};

export type TestSubgraphOptions = {
  name: string;
  sdl: string;
  resolvers: TestResolvers;
  gatewaySecret: string;
};

/**
 * A real federated subgraph on a free port, behaving like the service kit's: `/_health`,
 * `/_readiness` (as setReadiness says), and `/graphql` refusing (401) any request without the gateway credential. Resolvers get the
 * forwarded request id, which tests use to ask for slowness without shared state.
 */
export async function startTestSubgraph(options: TestSubgraphOptions): Promise<TestSubgraph> {
  const apollo = new ApolloServer<{ requestId: string }>({
    schema: buildSubgraphSchema({
      typeDefs: parse(options.sdl),
      resolvers: options.resolvers as never,
    }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    includeStacktraceInErrorResponses: false,
  });
  await apollo.start();
  const seen: SeenRequest[] = [];
  let readiness: TestReadiness = 'ready';
  const expected = Buffer.from(options.gatewaySecret);

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://subgraph');
    if (url.pathname === '/_health') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (url.pathname === '/_readiness') {
      // A hanging readiness keeps the request open until stop() closes every connection.
      if (readiness === 'hang') return;
      const isReady = readiness === 'ready';
      response
        .writeHead(isReady ? 200 : 503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: isReady ? 'ready' : 'not-ready' }));
      return;
    }
    const credential = header(request, 'x-hub-gateway-credential');
    const requestId = header(request, 'x-request-id');
    seen.push({ credential, requestId, identity: header(request, 'x-hub-identity') });
    const given = Buffer.from(credential ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          errors: [{ message: 'gateway only', extensions: { code: 'UNAUTHENTICATED' } }],
        }),
      );
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(request.headers)) {
      if (typeof value === 'string') headers.set(key, value);
    }
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: request.method ?? 'POST',
        headers,
        search: url.search,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      },
      context: async () => ({ requestId: requestId ?? '' }),
    });
    response.statusCode = result.status ?? 200;
    for (const [key, value] of result.headers) response.setHeader(key, value);
    response.end(result.body.kind === 'complete' ? result.body.string : '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    name: options.name,
    sdl: options.sdl,
    url: `http://127.0.0.1:${port}/graphql`,
    seen,
    setReadiness(next) {
      readiness = next;
    },
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Sleeping resolvers of timed-out calls must not hold the test up.
      server.closeAllConnections();
      await closed;
      await apollo.stop();
    },
  };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
