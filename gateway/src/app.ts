import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, HeaderMap } from '@apollo/server';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { isLoopbackHost } from '@hub/config';
import {
  createLogger,
  HEALTH_PATH,
  type Logger,
  READINESS_PATH,
  REQUEST_ID_HEADER,
  RequestBodyError,
  readRequestBody,
  requestIdOf,
  sendHealth,
  sendJson,
} from '@hub/service-kit';
import { type ResponseCacheSettings, startResponseCache } from './cache/start-response-cache.js';
import { SUPERGRAPH_PATH } from './compose-supergraph.js';
import { useKitScalarParsing } from './custom-scalars.js';
import { DeduplicatingDataSource } from './dedup/deduplicating-data-source.js';
import { createInflightFetcher } from './dedup/inflight-fetcher.js';
import { createGatewayContext, type GatewayContext } from './gateway-context.js';
import { createGatewayErrorFormatter, internalError } from './gateway-errors.js';
import { createGraphiqlSite } from './graphiql-site.js';
import { createCorsPolicy, isPreflight } from './http/cors.js';
import { sendGraphQLErrors } from './http/error-response.js';
import { type GraphQLMediaType, negotiateMediaType } from './http/media-type.js';
import {
  badRequestTargetError,
  methodNotAllowedError,
  notAcceptableError,
  notFoundError,
  originNotAllowedError,
} from './http/refusals.js';
import { acceptsHtml, sendAsset } from './http-helpers.js';
import { createCallerResolver, type IdentityOptions } from './identity/caller.js';
import { createPublicFacilitiesRoute } from './open-data/public-facilities.js';
import { installOperationCache } from './operation-cache.js';
import { createOperationGuardPlugin } from './operation-guard.js';
import {
  createOperationLimits,
  DEFAULT_OPERATION_LIMITS,
  type OperationLimits,
} from './operation-limits.js';
import { checkPersistedQuery } from './persisted-query-check.js';
import {
  createRateLimits,
  DEFAULT_RATE_LIMITS,
  type RateLimitOptions,
} from './rate-limit/rate-limits.js';
import { createRequestAdmission } from './request-admission.js';
import { createRequestLogPlugin } from './request-log-plugin.js';
import { SubgraphDataSource } from './subgraph-data-source.js';
import { createSubgraphAgent, createSubgraphFetcher } from './subgraph-fetcher.js';
import { createProbeAgent, probeSubgraphs } from './subgraph-health.js';
import type { SubgraphName } from './subgraphs.js';
import {
  createTrustedDocuments,
  type TrustedDocumentsOptions,
} from './trusted-documents/trusted-documents.js';

export type { DomainEventSource } from './cache/domain-event-listener.js';
export { CACHE_PURGING_EVENT_TYPES } from './cache/event-purges.js';
export { CACHE_STATUS_HEADER } from './cache/response-cache-plugin.js';
export type { ResponseCacheSettings } from './cache/start-response-cache.js';
export { ZGatewayEnv as envSchema } from './env.js';
export type { GatewayContext } from './gateway-context.js';
export {
  GATEWAY_CLIENT_ERROR_CODES,
  type GatewayClientErrorCode,
} from './gateway-errors.js';
export { DEMO_QUERY } from './graphiql-site.js';
export {
  CORS_ALLOWED_HEADERS,
  CORS_EXPOSED_HEADERS,
  LOCAL_DEVELOPMENT_ORIGINS,
  zCorsAllowedOrigins,
} from './http/cors.js';
export {
  type Caller,
  type CallerResolver,
  type CallerResolverOptions,
  createCallerResolver,
  DEFAULT_IDENTITY_OPTIONS,
  type IdentityOptions,
} from './identity/caller.js';
export { CallerError } from './identity/caller-error.js';
export { LIMIT_ERROR_CODES, type LimitErrorCode } from './limit-errors.js';
export { DEFAULT_OPERATION_LIMITS, type OperationLimits } from './operation-limits.js';
export { POSSIBLE_TYPES_PATH, possibleTypesOf } from './possible-types.js';
export { DEFAULT_RATE_LIMITS, type RateLimitOptions } from './rate-limit/rate-limits.js';
export { SUBGRAPH_NAMES, type SubgraphName } from './subgraphs.js';
export {
  TRUSTED_DOCUMENTS_MODES,
  type TrustedDocumentsMode,
  type TrustedDocumentsOptions,
} from './trusted-documents/trusted-documents.js';

export type GatewayOptions = {
  /** 0 picks a free port (tests, the single-process launcher). */
  port: number;
  /** Interface to listen on; default 127.0.0.1 (containers pass 0.0.0.0). */
  host?: string;
  /** Where each subgraph answers GraphQL; overrides the routing URLs in the supergraph. */
  subgraphUrls: Record<SubgraphName, string>;
  /** Shared secret sent as `x-hub-gateway-credential` on every subgraph call. */
  gatewaySecret: string;
  /** Deadline for one subgraph call, headers and body (default 5000). */
  subgraphTimeoutMs?: number;
  /** Keep-alive connection pool size per subgraph origin (default 64). */
  maxSocketsPerSubgraph?: number;
  logger?: Logger;
  limits?: Partial<OperationLimits>;
  /** Supergraph SDL to serve instead of the committed `supergraph.graphql` (tests). */
  supergraphSdl?: string;
  /**
   * Stack traces, internal messages and query plans in responses (`HUB_DEBUG`). Refused, with a
   * warning, unless `host` is loopback: never for a gateway others can reach.
   */
  debugErrors?: boolean;
  /** How credentials are checked with members (timeouts, cache lifetimes). */
  identity?: Partial<IdentityOptions>;
  /** Per-process request limits (see DEFAULT_RATE_LIMITS). */
  rateLimits?: Partial<RateLimitOptions>;
  /**
   * Take the client address from the first `X-Forwarded-For` entry instead of the TCP peer.
   * Only behind a proxy that sets that header itself; default false.
   */
  trustProxy?: boolean;
  /**
   * Origins whose web pages may call the API (CORS): exact origins (`https://app.example.jp`)
   * or `scheme://host:*` for any port (see http/cors.ts). Default none: no cross-origin access,
   * only the gateway's own pages and clients that are no browser. `npm start` allows this
   * machine's origins (LOCAL_DEVELOPMENT_ORIGINS).
   */
  corsAllowedOrigins?: readonly string[];
  /**
   * Merge identical subgraph fetches of queries while one is in flight (dedup/); default true.
   * Never across callers, never for mutations.
   */
  deduplicateSubgraphFetches?: boolean;
  /**
   * The response cache for anonymous queries (cache/, docs/gateway-cache.md); absent: off.
   * `events` is the hub's NATS, whose domain events purge it; without it only the TTL and this
   * gateway's own mutations do.
   */
  responseCache?: ResponseCacheSettings;
  /** The operation allow-list (docs/trusted-documents.md); default mode `off`. */
  trustedDocuments?: TrustedDocumentsOptions;
};

export type RunningGateway = {
  /** The GraphQL endpoint (`…/graphql`); GraphiQL is served at the origin's `/`. */
  url: string;
  port: number;
  /** Stops accepting requests, lets in-flight ones finish, closes the subgraph sockets. */
  stop(): Promise<void>;
};

const GRAPHQL_PATH = '/graphql';
const READINESS_PROBE_TIMEOUT_MS = 1000;

/**
 * Starts the federated gateway over the static supergraph: `/graphql` (POST, and GET for
 * queries), GraphiQL at `/`, 公共施設一覧 CSV at `/open-data/public-facilities/{code}.csv`,
 * `/_health` and `/_readiness`.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger({ name: 'gateway' });
  // Refuses a malformed origin list before anything starts.
  const cors = createCorsPolicy(options.corsAllowedOrigins ?? []);
  const host = options.host ?? '127.0.0.1';
  const debugErrors = (options.debugErrors ?? false) && isLoopbackHost(host);
  if (options.debugErrors && !debugErrors) {
    logger.warn(
      { host },
      'HUB_DEBUG ignored: error details are only shown on a loopback listen address',
    );
  }
  const subgraphTimeoutMs = options.subgraphTimeoutMs ?? 5000;
  const limits = { ...DEFAULT_OPERATION_LIMITS, ...options.limits };
  const supergraphSdl = options.supergraphSdl ?? (await readCommittedSupergraph());
  // A manifest that does not load stops the start, before any port or socket is opened.
  const trustedDocuments = await createTrustedDocuments(
    options.trustedDocuments ?? { mode: 'off' },
    logger.child({ component: 'trusted-documents' }),
  );

  const agent = createSubgraphAgent({ connections: options.maxSocketsPerSubgraph ?? 64 });
  const probeAgent = createProbeAgent();
  const fetcher = createSubgraphFetcher({ agent, timeoutMs: subgraphTimeoutMs });
  const inflightFetcher =
    (options.deduplicateSubgraphFetches ?? true) ? createInflightFetcher({ fetcher }) : null;
  const configuredUrls: Record<string, string> = options.subgraphUrls;
  // The subgraphs the supergraph actually routes to, for the readiness report.
  const routedSubgraphs = new Map<string, string>();
  // Apollo Gateway 2.14 otherwise exports usage metrics to Apollo's servers and probes cloud
  // metadata endpoints at construction (a GCP lookup prints a MetadataLookupWarning offline).
  // Partner municipalities' traffic does not leave the hub; an operator may opt in with 'false'.
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  installOperationCache();
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger: logger.child({ component: 'apollo-gateway' }),
    // Apollo Gateway answers the `Apollo-Query-Plan-Experimental` header with the query plan
    // (subgraph names and the operations sent to them) whenever NODE_ENV is not `production`.
    __exposeQueryPlanExperimental: debugErrors,
    buildService: ({ name }) => {
      const url = configuredUrls[name];
      if (!url) throw new Error(`No URL configured for subgraph "${name}" of the supergraph`);
      routedSubgraphs.set(name, url);
      const source = { name, url, gatewaySecret: options.gatewaySecret, logger };
      const direct = new SubgraphDataSource({ ...source, fetcher });
      if (!inflightFetcher) return direct;
      return new DeduplicatingDataSource({
        direct,
        shared: new SubgraphDataSource({ ...source, fetcher: inflightFetcher }),
        wasMerged: inflightFetcher.wasMerged,
      });
    },
  });

  // Before Apollo Server sees the schema, so no request is ever served without it.
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => useKitScalarParsing(apiSchema));
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => trustedDocuments.checkSchema(apiSchema));

  const rateLimits = createRateLimits({ ...DEFAULT_RATE_LIMITS, ...options.rateLimits });
  const admit = createRequestAdmission({
    resolver: createCallerResolver({
      ...options.identity,
      // Members serves the JWKS and the key lookup on the origin of its subgraph.
      membersUrl: options.subgraphUrls.members,
      dispatcher: agent,
      gatewaySecret: options.gatewaySecret,
    }),
    rateLimits,
    gatewaySecret: options.gatewaySecret,
    trustProxy: options.trustProxy ?? false,
  });
  // Spaces renders 公共施設一覧 on the origin of its subgraph (docs/open-data.md).
  const publicFacilities = createPublicFacilitiesRoute({
    spacesUrl: options.subgraphUrls.spaces,
    gatewaySecret: options.gatewaySecret,
    dispatcher: agent,
    timeoutMs: subgraphTimeoutMs,
    rateLimits,
    trustProxy: options.trustProxy ?? false,
    logger,
  });

  const responseCache = options.responseCache
    ? await startResponseCache(options.responseCache, logger).catch(async (error: unknown) => {
        await Promise.all([agent.close(), probeAgent.close()]);
        throw error;
      })
    : null;

  const site = createGraphiqlSite({ endpointPath: GRAPHQL_PATH });
  const operationLimits = createOperationLimits<GatewayContext>(limits);
  const httpServer = createServer();
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    logger: logger.child({ component: 'apollo-server' }),
    // Partners read the contract through introspection (GraphiQL's docs pane).
    introspection: true,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // APQ registrations live in this LRU, 30 MiB (Apollo's default, named so that no one swaps
    // in an unbounded one: anyone may register). Parsed, validated documents are in Apollo's
    // documentStore, another 30 MiB LRU keyed by the text's sha256 (docs/trusted-documents.md).
    cache: 'bounded',
    includeStacktraceInErrorResponses: debugErrors,
    // main() or the launcher owns the signals and calls stop().
    stopOnTerminationSignals: false,
    formatError: createGatewayErrorFormatter({ debugErrors }),
    validationRules: operationLimits.validationRules,
    parseOptions: operationLimits.parseOptions,
    hideSchemaDetailsFromClientErrors: operationLimits.hideSchemaDetailsFromClientErrors,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Apollo's default landing page loads Apollo Sandbox from a CDN; ours is GraphiQL at `/`.
      ApolloServerPluginLandingPageDisabled(),
      // Nothing about partners' or members' queries leaves for Apollo's cloud, whatever the env.
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      ...operationLimits.plugins,
      createOperationGuardPlugin(),
      ...(responseCache ? [responseCache.plugin] : []),
      createRequestLogPlugin(logger),
    ],
  });

  try {
    await apollo.start();
  } catch (error) {
    await responseCache?.stop();
    await Promise.all([agent.close(), probeAgent.close()]);
    throw error;
  }

  let isStopping = false;
  const readiness = async () => {
    const subgraphs = await probeSubgraphs({
      agent: probeAgent,
      subgraphUrls: routedSubgraphs,
      timeoutMs: Math.min(READINESS_PROBE_TIMEOUT_MS, subgraphTimeoutMs),
    });
    return { isReady: !isStopping, subgraphs };
  };

  const serveGraphQL = async (
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    context: GatewayContext,
  ) => {
    // CORS first: a preflight carries no credentials and never reaches the CSRF check, and a
    // page on an origin not allowed is refused before its credential is looked up.
    const origin = cors.decide(request.headers);
    for (const [key, value] of Object.entries(cors.responseHeaders(origin))) {
      response.setHeader(key, value);
    }
    const errorMediaType = errorMediaTypeOf(request);
    if (origin.kind === 'refused') {
      context.accessLog.errorCodes.push('ORIGIN_NOT_ALLOWED');
      context.accessLog.refusal = 'origin not allowed';
      return sendGraphQLErrors(response, 403, [originNotAllowedError()], errorMediaType);
    }
    if (isPreflight(request.method, request.headers)) {
      for (const [key, value] of Object.entries(cors.preflightHeaders())) {
        response.setHeader(key, value);
      }
      response.writeHead(204).end();
      return;
    }
    if (request.method !== 'GET' && request.method !== 'POST') {
      context.accessLog.errorCodes.push('BAD_REQUEST');
      response.setHeader('allow', 'GET, POST');
      return sendGraphQLErrors(response, 405, [methodNotAllowedError()], errorMediaType);
    }
    // A browser opening the endpoint gets the IDE rather than a "missing query" error.
    const namesDocument = url.searchParams.has('query') || url.searchParams.has('documentId');
    if (request.method === 'GET' && !namesDocument && acceptsHtml(request)) {
      response.writeHead(302, { location: '/' }).end();
      return;
    }
    // Decided before anything runs (Apollo would run a mutation, then answer 406).
    const mediaType = negotiateMediaType(request.headers.accept);
    if (!mediaType) {
      context.accessLog.errorCodes.push('BAD_REQUEST');
      return sendGraphQLErrors(response, 406, [notAcceptableError()], errorMediaType);
    }
    // Decided from the headers alone, so a refused request's body is never read.
    const admission = await admit(request, context.requestId);
    for (const [key, value] of Object.entries(admission.headers)) response.setHeader(key, value);
    if (!admission.isAdmitted) {
      context.accessLog.errorCodes.push(admission.code);
      context.accessLog.refusal = admission.reason;
      if (admission.status === 503) {
        logger.warn(
          { requestId: context.requestId, reason: admission.reason, err: admission.cause },
          'cannot verify the caller',
        );
      }
      return sendGraphQLErrors(response, admission.status, admission.body.errors, mediaType);
    }
    context.forwardedIdentity = admission.forwardedIdentity;
    context.accessLog.caller = admission.caller.kind;
    if (admission.caller.kind === 'partner') {
      context.accessLog.keyId = admission.caller.identity.keyId;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    // Apollo answers a request without Accept as application/json; the negotiated type keeps
    // its answers and the gateway's own in one media type (GraphQL over HTTP).
    headers.set('accept', mediaType);
    const sent = request.method === 'POST' ? await readRequestBody(request) : undefined;
    // The allow-list first: it turns a trusted document id or hash into the document's text.
    const trusted = trustedDocuments.decide(
      { method: request.method ?? 'GET', body: sent, search: url.searchParams },
      admission.caller,
      context.requestId,
    );
    if (trusted.kind === 'refuse') {
      context.accessLog.errorCodes.push(trusted.error.extensions.code);
      context.accessLog.refusal = trusted.reason;
      return sendGraphQLErrors(response, trusted.status, [trusted.error], mediaType);
    }
    const { body, search } = trusted;
    const refusal = checkPersistedQuery({ method: request.method ?? 'GET', body, search });
    if (refusal) {
      context.accessLog.errorCodes.push(refusal.code);
      return sendGraphQLErrors(
        response,
        400,
        [{ message: refusal.message, extensions: { code: refusal.code } }],
        mediaType,
      );
    }
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: request.method ?? 'GET',
        headers,
        // As sent unless the allow-list named the document (re-encoding could alter it).
        search: search === url.searchParams ? url.search : `?${search}`,
        body,
      },
      context: async () => context,
    });
    if ((result.status ?? 200) >= 500 && !debugErrors) {
      // Apollo failed outside its request pipeline (a plugin threw): its body has no request id.
      context.accessLog.errorCodes.push('INTERNAL_SERVER_ERROR');
      logger.error(
        { requestId: context.requestId, status: result.status },
        'GraphQL request failed outside the operation',
      );
      return sendGraphQLErrors(
        response,
        result.status ?? 500,
        [internalError(context.requestId)],
        mediaType,
      );
    }
    response.statusCode = result.status ?? 200;
    for (const [key, value] of result.headers) response.setHeader(key, value);
    if (result.body.kind === 'complete') {
      response.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) response.write(chunk);
    response.end();
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const context = createGatewayContext(requestIdOf(request));
    response.setHeader(REQUEST_ID_HEADER, context.requestId);
    response.setHeader('x-content-type-options', 'nosniff');
    // An absolute-form target such as `http://x:99999/graphql` is the client's mistake, not ours.
    const url = URL.parse(request.url ?? '/', 'http://gateway');
    if (!url) {
      return sendGraphQLErrors(response, 400, [badRequestTargetError()], errorMediaTypeOf(request));
    }

    if (url.pathname === GRAPHQL_PATH) {
      const started = performance.now();
      response.once('finish', () => {
        logger.info(
          {
            requestId: context.requestId,
            method: request.method,
            operationName: context.accessLog.operationName,
            caller: context.accessLog.caller,
            ...(context.accessLog.keyId ? { keyId: context.accessLog.keyId } : {}),
            status: response.statusCode,
            durationMs: Math.round((performance.now() - started) * 10) / 10,
            ...(context.accessLog.errorCodes.length > 0
              ? { errorCodes: context.accessLog.errorCodes }
              : {}),
            ...(context.accessLog.refusal ? { refusal: context.accessLog.refusal } : {}),
            ...(context.accessLog.cache ? { cache: context.accessLog.cache } : {}),
            ...(context.accessLog.mergedFetches > 0
              ? { mergedFetches: context.accessLog.mergedFetches }
              : {}),
          },
          'graphql request',
        );
      });
      return serveGraphQL(request, response, url, context);
    }
    if (publicFacilities.matches(url.pathname)) {
      const started = performance.now();
      response.once('finish', () => {
        logger.info(
          {
            requestId: context.requestId,
            method: request.method,
            path: url.pathname,
            status: response.statusCode,
            durationMs: Math.round((performance.now() - started) * 10) / 10,
          },
          'open data request',
        );
      });
      return publicFacilities.serve(request, response, url);
    }
    if (url.pathname === HEALTH_PATH) return sendHealth(response);
    if (url.pathname === READINESS_PATH) {
      const { isReady, subgraphs } = await readiness();
      const areSubgraphsRequired = url.searchParams.get('subgraphs') === 'required';
      const isAllUp = Object.values(subgraphs).every((status) => status === 'up');
      const isOk = isReady && (isAllUp || !areSubgraphsRequired);
      return sendJson(response, isOk ? 200 : 503, {
        status: isOk ? 'ready' : 'not-ready',
        subgraphs,
      });
    }
    if (request.method === 'GET' || request.method === 'HEAD') {
      const asset = await site.get(url.pathname);
      if (asset) return sendAsset(request, response, asset);
    }
    return sendGraphQLErrors(response, 404, [notFoundError()], errorMediaTypeOf(request));
  };

  httpServer.on('request', (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response).catch((error: unknown) => {
      if (error instanceof RequestBodyError) {
        // The rest of a refused body is never read, so the connection cannot carry another
        // request: say so, rather than let the client reuse a socket about to be reset.
        if (error.status === 413) response.setHeader('connection', 'close');
        return sendGraphQLErrors(
          response,
          error.status,
          [{ message: error.message, extensions: { code: error.code } }],
          errorMediaTypeOf(request),
        );
      }
      const requestId = String(response.getHeader(REQUEST_ID_HEADER));
      logger.error({ err: error, requestId }, 'request failed');
      if (response.headersSent) return response.destroy();
      return sendGraphQLErrors(
        response,
        500,
        [internalError(requestId)],
        errorMediaTypeOf(request),
      );
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(options.port, host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await apollo.stop();
    await responseCache?.stop();
    await Promise.all([agent.close(), probeAgent.close()]);
    throw error;
  }

  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://${displayHost(host)}:${port}${GRAPHQL_PATH}`;
  logger.info(
    {
      url,
      graphiql: `http://${displayHost(host)}:${port}/`,
      subgraphs: Object.fromEntries(routedSubgraphs),
    },
    'gateway listening',
  );

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      isStopping = true;
      // Drains the HTTP server (in-flight requests finish), then stops the gateway.
      await apollo.stop();
      await responseCache?.stop();
      await Promise.all([agent.close(), probeAgent.close()]);
      if (inflightFetcher) {
        logger.info({ mergedFetches: inflightFetcher.mergedCount() }, 'gateway stopped');
      }
    })();
    return stopping;
  };
  return { url, port, stop };
}

async function readCommittedSupergraph(): Promise<string> {
  try {
    return await readFile(SUPERGRAPH_PATH, 'utf8');
  } catch (error) {
    throw new Error(
      `Cannot read the supergraph at ${SUPERGRAPH_PATH}: run \`pnpm --filter @hub/gateway generate\``,
      { cause: error },
    );
  }
}

/**
 * The media type of an error answer: the negotiated one, or, when the client accepts neither
 * (its 406 included), the GraphQL one — an error body in a type it did not ask for still beats
 * an empty answer.
 */
function errorMediaTypeOf(request: IncomingMessage): GraphQLMediaType {
  return negotiateMediaType(request.headers.accept) ?? 'application/graphql-response+json';
}

function displayHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
