import { randomUUID } from 'node:crypto';
import { type GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { IDENTITY_HEADER } from '@hub/identity';
import { GATEWAY_CREDENTIAL_HEADER, REQUEST_ID_HEADER } from '@hub/service-kit';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import type { GatewayContext } from './gateway-context.js';
import { subgraphTimeoutError, subgraphUnavailableError } from './gateway-errors.js';
import { SubgraphConnectionError, SubgraphTimeoutError } from './subgraph-fetcher.js';

type ProcessOptions = GraphQLDataSourceProcessOptions<GatewayContext>;
type GatewayResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

export type SubgraphDataSourceOptions = {
  name: string;
  url: string;
  gatewaySecret: string;
  fetcher: RemoteGraphQLDataSource['fetcher'];
  logger: Logger;
};

/**
 * Calls one subgraph: signs the call with the gateway credential, forwards the request id and
 * the signed identity of the caller (never anything the client sent under that name), and
 * turns transport failures into the masked SUBGRAPH_UNAVAILABLE / SUBGRAPH_TIMEOUT errors. The
 * query planner records a thrown error and still returns the other subgraphs' data.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly serviceName: string;
  private readonly gatewaySecret: string;
  private readonly logger: Logger;

  constructor(options: SubgraphDataSourceOptions) {
    super({ url: options.url, fetcher: options.fetcher });
    this.serviceName = options.name;
    this.gatewaySecret = options.gatewaySecret;
    this.logger = options.logger;
  }

  override willSendRequest(options: ProcessOptions): void {
    const headers = options.request.http?.headers;
    if (!headers) return;
    headers.set(GATEWAY_CREDENTIAL_HEADER, this.gatewaySecret);
    headers.set(REQUEST_ID_HEADER, requestIdOf(options.context));
    // Signed once per request at admission; without it the subgraph sees an anonymous call.
    const forwardedIdentity = options.context?.forwardedIdentity;
    if (forwardedIdentity) headers.set(IDENTITY_HEADER, forwardedIdentity);
  }

  override async process(options: ProcessOptions): Promise<GatewayResponse> {
    try {
      return await super.process(options);
    } catch (error) {
      return this.recover(error, requestIdOf(options.context));
    }
  }

  /** Returns a subgraph's own GraphQL errors to the planner, or throws the masked error. */
  private recover(error: unknown, requestId: string): GatewayResponse {
    const log = { requestId, serviceName: this.serviceName, url: this.url };
    if (error instanceof SubgraphTimeoutError) {
      this.logger.warn({ ...log, err: error }, 'subgraph call timed out');
      throw subgraphTimeoutError(this.serviceName);
    }
    if (error instanceof SubgraphConnectionError) {
      this.logger.warn({ ...log, err: error }, 'subgraph unreachable');
      throw subgraphUnavailableError(this.serviceName);
    }
    const response = httpFailureOf(error);
    if (response?.status === 401 || response?.status === 403) {
      this.logger.error(
        { ...log, status: response.status },
        'subgraph refused the gateway credential (HUB_GATEWAY_SECRET differs?)',
      );
      throw subgraphUnavailableError(this.serviceName);
    }
    // Apollo subgraphs answer request errors (e.g. variable coercion) with 4xx and a GraphQL
    // body: hand those errors to the planner so their codes reach the client.
    if (response && response.status < 500 && hasGraphQLErrors(response.body)) {
      return { errors: response.body.errors, data: response.body.data ?? undefined };
    }
    this.logger.warn(
      {
        ...log,
        status: response?.status,
        body: truncateForLog(response?.body),
        err: response ? undefined : error,
      },
      'subgraph answered with an unusable response',
    );
    throw subgraphUnavailableError(this.serviceName);
  }
}

function requestIdOf(context: Partial<GatewayContext> | undefined): string {
  return context?.requestId ?? randomUUID();
}

type HttpFailure = { status: number; body: unknown };

// RemoteGraphQLDataSource reports a non-2xx answer as a GraphQLError carrying the response.
function httpFailureOf(error: unknown): HttpFailure | undefined {
  if (!(error instanceof GraphQLError)) return undefined;
  const response = error.extensions.response as Partial<HttpFailure> | undefined;
  if (typeof response?.status !== 'number') return undefined;
  return { status: response.status, body: response.body };
}

function hasGraphQLErrors(
  body: unknown,
): body is { errors: NonNullable<GatewayResponse['errors']>; data?: GatewayResponse['data'] } {
  return (
    typeof body === 'object' &&
    body !== null &&
    Array.isArray((body as { errors?: unknown }).errors) &&
    (body as { errors: unknown[] }).errors.length > 0
  );
}

function truncateForLog(body: unknown): unknown {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text !== undefined && text.length > 2000 ? `${text.slice(0, 2000)}…` : body;
}
