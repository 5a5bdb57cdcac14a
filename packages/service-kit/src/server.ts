import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type BaseContext, HeaderMap } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { isLoopbackHost } from '@hub/config';
import { IDENTITY_HEADER, verifyForwardedIdentity } from '@hub/identity';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { RequestInfo } from './context.js';
import { requestScope } from './database.js';
import { DeadlineExceededError, withDeadline } from './deadline.js';
import { createErrorFormatter, createErrorReportingPlugin, internalErrorBody } from './errors.js';
import {
  GATEWAY_CREDENTIAL_HEADER,
  HEALTH_PATH,
  READINESS_PATH,
  REQUEST_ID_HEADER,
  RequestBodyError,
  readRequestBody,
  requestIdOf,
  sendHealth,
  sendJson,
} from './http.js';

/**
 * One dependency of `/_readiness`: true when it answers, false or `{ failure }` (a short,
 * public word such as `exhausted`) when it does not. A check that throws has `failed`; one
 * that does not answer within the deadline has `timeout`.
 */
export type ReadinessCheck = () => Promise<boolean | { failure: string }>;

/** How long `/_readiness` waits for each check (they run side by side). */
export const DEFAULT_READINESS_TIMEOUT_MS = 1_000;

export type SubgraphServerOptions<Context extends BaseContext & { requestId: string }> = {
  name: string;
  schema: GraphQLSchema;
  port: number;
  host: string;
  gatewaySecret: string;
  logger: Logger;
  /**
   * Internal messages in error responses (`HUB_DEBUG`). Refused, with a warning, unless `host`
   * is loopback: never for a server others can reach.
   */
  debugErrors: boolean;
  /** Builds the resolver context of one request. */
  context: (request: RequestInfo) => Promise<Context> | Context;
  /** Named checks for `/_readiness` (e.g. database, bus). */
  readiness: Record<string, ReadinessCheck>;
  /** Deadline of each readiness check (default 1 s): an orchestrator's probe gets its 503 in time. */
  readinessTimeoutMs?: number;
  /** Extra HTTP routes beside `/graphql`. */
  routes?: HttpRoute[];
  /** Run each GraphQL request in `requestScope`, so the pool counts its statements (tests). */
  markRequests?: boolean;
};

/**
 * A plain HTTP route beside `/graphql`: `public` ones answer anyone (a JWKS document),
 * `gateway` ones need the gateway credential like GraphQL does (internal lookups).
 */
export type HttpRoute = {
  method: 'GET' | 'POST';
  path: string;
  access: 'public' | 'gateway';
  handle(request: {
    body: unknown;
    /** The request's query string (`?code=…`). */
    query: URLSearchParams;
    requestId: string;
  }): Promise<HttpRouteResult>;
};
/** A JSON `body`, or a `text` sent as it is under its own media type (spaces' open-data CSV). */
export type HttpRouteResult = {
  status: number;
  headers?: Record<string, string>;
} & ({ body: unknown } | { text: string; contentType: string });

export type RunningServer = {
  url: string;
  port: number;
  /**
   * Stops accepting requests and lets in-flight ones finish; after `forceAfterMs` (if given)
   * closes the connections of those still running.
   */
  stop(options?: { forceAfterMs?: number }): Promise<void>;
};

/**
 * Serves one subgraph: POST/GET `/graphql` (gateway credential required), `/_health`
 * (process alive) and `/_readiness` (dependencies answer). `stop()` stops accepting requests,
 * lets in-flight ones finish, then stops Apollo; the caller closes its own resources after.
 */
export async function startSubgraphServer<Context extends BaseContext & { requestId: string }>(
  options: SubgraphServerOptions<Context>,
): Promise<RunningServer> {
  const { logger } = options;
  const debugErrors = options.debugErrors && isLoopbackHost(options.host);
  if (options.debugErrors && !debugErrors) {
    logger.warn(
      { host: options.host },
      'HUB_DEBUG ignored: error details are only shown on a loopback listen address',
    );
  }
  const apollo = new ApolloServer<Context>({
    schema: options.schema,
    logger: logger.child({ component: 'apollo-server' }),
    plugins: [
      // Inline traces (ftv1) cost every request and the gateway does not report them.
      ApolloServerPluginInlineTraceDisabled(),
      // Cache hints wrap every field's resolver; nothing reads them (no @cacheControl, and the
      // gateway does not merge subgraphs' cache policies).
      ApolloServerPluginCacheControlDisabled(),
      createErrorReportingPlugin<Context>(logger),
    ],
    includeStacktraceInErrorResponses: false,
    // The process owner stops servers in order; Apollo's own handler would re-raise the signal.
    stopOnTerminationSignals: false,
    formatError: createErrorFormatter({ debugErrors }),
  });
  await apollo.start();

  const expected = Buffer.from(options.gatewaySecret);
  const isFromGateway = (request: IncomingMessage) => {
    const given = request.headers[GATEWAY_CREDENTIAL_HEADER];
    if (typeof given !== 'string') return false;
    const candidate = Buffer.from(given);
    return candidate.length === expected.length && timingSafeEqual(candidate, expected);
  };

  const verifiedIdentities = new Map<string, VerifiedIdentity>();
  const handle = async (request: IncomingMessage, response: ServerResponse, requestId: string) => {
    const url = URL.parse(request.url ?? '/', 'http://subgraph');
    if (!url) {
      return sendJson(response, 400, {
        errors: [
          {
            message: 'リクエストの URL が不正です (malformed request target)',
            extensions: { code: 'BAD_REQUEST' },
          },
        ],
      });
    }
    if (url.pathname === HEALTH_PATH) return sendHealth(response);
    if (url.pathname === READINESS_PATH) {
      const { checks, failures } = await runChecks(
        options.readiness,
        options.readinessTimeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS,
        logger,
      );
      const isReady = Object.values(checks).every(Boolean);
      return sendJson(response, isReady ? 200 : 503, {
        status: isReady ? 'ready' : 'not-ready',
        checks,
        ...(isReady ? {} : { failures }),
      });
    }
    const route = options.routes?.find(
      (candidate) => candidate.path === url.pathname && candidate.method === request.method,
    );
    if (url.pathname !== '/graphql' && !route) {
      return sendJson(response, 404, { error: 'not found' });
    }
    if (route?.access !== 'public' && !isFromGateway(request)) {
      return sendJson(response, 401, {
        errors: [
          {
            message:
              'このサービスはゲートウェイ経由でのみ利用できます (requests must come through the gateway)',
            extensions: { code: 'UNAUTHENTICATED' },
          },
        ],
      });
    }
    if (route) {
      const body = request.method === 'POST' ? await readRequestBody(request) : undefined;
      const result = await route.handle({ body, query: url.searchParams, requestId });
      response.setHeader(REQUEST_ID_HEADER, requestId);
      for (const [key, value] of Object.entries(result.headers ?? {}))
        response.setHeader(key, value);
      if ('text' in result) {
        response.writeHead(result.status, { 'content-type': result.contentType });
        response.end(result.text);
        return;
      }
      return sendJson(response, result.status, result.body);
    }
    const forwarded = readForwardedIdentity(request, options.gatewaySecret, verifiedIdentities);
    if (!forwarded) {
      return sendJson(response, 401, {
        errors: [
          {
            message: '利用者情報の署名が無効です (the forwarded identity is invalid)',
            extensions: { code: 'UNAUTHENTICATED' },
          },
        ],
      });
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const body = request.method === 'POST' ? await readRequestBody(request) : undefined;
    const execute = () =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: request.method ?? 'GET', headers, search: url.search, body },
        context: async () => {
          try {
            return await options.context({ requestId, ...forwarded });
          } catch (error) {
            // Apollo answers 500 and logs nothing: the cause goes here, under the request id.
            logger.error({ err: error, requestId }, 'building the request context failed');
            throw error;
          }
        },
      });
    const result = await (options.markRequests ? requestScope.run(true, execute) : execute());
    response.setHeader(REQUEST_ID_HEADER, requestId);
    if ((result.status ?? 200) >= 500 && !debugErrors) {
      // Apollo failed outside its request pipeline (the context, a plugin): its body has no
      // request id, and its own log line (if any) none either.
      logger.error(
        { requestId, status: result.status },
        'GraphQL request failed outside resolvers',
      );
      return sendJson(response, result.status ?? 500, internalErrorBody(requestId));
    }
    response.statusCode = result.status ?? 200;
    for (const [key, value] of result.headers) response.setHeader(key, value);
    if (result.body.kind === 'complete') {
      response.end(result.body.string);
    } else {
      for await (const chunk of result.body.asyncIterator) response.write(chunk);
      response.end();
    }
  };

  const server = createServer((request, response) => {
    const started = performance.now();
    const requestId = requestIdOf(request);
    response.on('finish', () => {
      if (request.url?.startsWith('/_')) return;
      logger.info(
        {
          requestId,
          method: request.method,
          path: request.url,
          status: response.statusCode,
          ms: Math.round((performance.now() - started) * 10) / 10,
        },
        'request',
      );
    });
    handle(request, response, requestId).catch((error: unknown) => {
      if (error instanceof RequestBodyError) {
        // The unread rest of a refused body leaves the connection unusable: close it openly.
        if (error.status === 413) response.setHeader('connection', 'close');
        return sendJson(response, error.status, {
          errors: [{ message: error.message, extensions: { code: error.code } }],
        });
      }
      logger.error({ err: error, requestId }, 'request failed');
      if (!response.headersSent) {
        response.setHeader(REQUEST_ID_HEADER, requestId);
        sendJson(response, 500, internalErrorBody(requestId));
      } else response.destroy();
    });
  });
  // The gateway keeps sockets alive; outlive its idle timeout so reuse never races a close.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${port}/graphql`;
  logger.info({ url, service: options.name }, 'subgraph listening');

  let stopping: Promise<void> | undefined;
  const stop = (stopOptions: { forceAfterMs?: number } = {}) => {
    stopping ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const { forceAfterMs } = stopOptions;
      if (forceAfterMs === undefined) {
        await closed;
      } else {
        try {
          await withDeadline(closed, forceAfterMs, 'in-flight requests');
        } catch (error) {
          if (!(error instanceof DeadlineExceededError)) throw error;
          // A request stuck on a dependency must not hold the shutdown: its client gets a reset.
          logger.warn({ afterMs: forceAfterMs }, 'closing connections of unfinished requests');
          server.closeAllConnections();
          await closed;
        }
      }
      await apollo.stop();
    })();
    return stopping;
  };
  return { url, port, stop };
}

type VerifiedIdentity = { forwarded: Omit<RequestInfo, 'requestId'>; expiresAtMs: number };

// Headers remembered as verified. The gateway reuses one signed header per caller for 20 s, so
// a busy subgraph sees the same few strings again and again; the oldest go first when full.
const MAX_VERIFIED_IDENTITIES = 1_000;

/**
 * The caller the gateway verified. No header = anonymous (a direct, credentialed call);
 * a header that does not verify = null, and the request is refused. A header verified before
 * is taken as it was until its own expiry (the exact string: any change is a new header, and a
 * forged one never enters the map); after that it is verified again, which refuses it.
 */
function readForwardedIdentity(
  request: IncomingMessage,
  secret: string,
  verified: Map<string, VerifiedIdentity>,
): Omit<RequestInfo, 'requestId'> | null {
  const header = headerValue(request, IDENTITY_HEADER);
  if (!header) return { identity: null, clientAddress: null };
  const known = verified.get(header);
  if (known && Date.now() < known.expiresAtMs) return known.forwarded;
  let forwarded: Omit<RequestInfo, 'requestId'>;
  try {
    forwarded = verifyForwardedIdentity(header, secret);
  } catch {
    verified.delete(header);
    return null;
  }
  // Verified, so the payload is the gateway's JSON with a numeric `exp` (seconds).
  const { exp } = JSON.parse(Buffer.from(header.split('.')[1]!, 'base64url').toString()) as {
    exp: number;
  };
  // Shared by every request with this header: frozen, so no request can change another's caller.
  deepFreeze(forwarded);
  verified.delete(header);
  verified.set(header, { forwarded, expiresAtMs: exp * 1000 });
  if (verified.size > MAX_VERIFIED_IDENTITIES) {
    verified.delete(verified.keys().next().value as string);
  }
  return forwarded;
}

/**
 * Runs the checks side by side, each within `timeoutMs`. `failures` names why each failed check
 * failed in a word (`timeout`, `failed`, `not-ready`, or the check's own): the route is public,
 * so causes (which may name hosts) go to the log only.
 */
async function runChecks(
  checks: Record<string, ReadinessCheck>,
  timeoutMs: number,
  logger: Logger,
): Promise<{ checks: Record<string, boolean>; failures: Record<string, string> }> {
  const outcomes = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, string | null]> => {
      try {
        const result = await withDeadline(check(), timeoutMs, `readiness check ${name}`);
        if (result === true) return [name, null];
        return [name, result === false ? 'not-ready' : result.failure];
      } catch (error) {
        if (error instanceof DeadlineExceededError) return [name, 'timeout'];
        logger.warn({ err: error, check: name }, 'readiness check failed');
        return [name, 'failed'];
      }
    }),
  );
  return {
    checks: Object.fromEntries(outcomes.map(([name, failure]) => [name, failure === null])),
    failures: Object.fromEntries(
      outcomes.flatMap(([name, failure]) => (failure === null ? [] : [[name, failure]])),
    ),
  };
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const inner of Object.values(value)) deepFreeze(inner);
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
