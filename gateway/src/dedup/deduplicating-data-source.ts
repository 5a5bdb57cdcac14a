import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayContext } from '../gateway-context.js';

type ProcessOptions = GraphQLDataSourceProcessOptions<GatewayContext>;
type GatewayResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

export type DeduplicatingDataSourceOptions = {
  /** Calls the subgraph alone: mutations, and everything that is not a client's operation. */
  direct: GraphQLDataSource<GatewayContext>;
  /** The same subgraph through the in-flight fetcher (inflight-fetcher.ts). */
  shared: GraphQLDataSource<GatewayContext>;
  /** Whether a response's `http` came from another request's call. */
  wasMerged(response: unknown): boolean;
};

/**
 * Sends the fetches of a client's **query** through the merging fetcher and everything else
 * directly. A mutation's fetches — its root field and the entity fetches after it — must see
 * the state after the write, so they never join a call that may have started before it.
 * Counts merged fetches on the request for the access log.
 */
export class DeduplicatingDataSource implements GraphQLDataSource<GatewayContext> {
  constructor(private readonly options: DeduplicatingDataSourceOptions) {}

  async process(options: ProcessOptions): Promise<GatewayResponse> {
    if (!isQueryFetch(options)) return this.options.direct.process(options);
    const response = await this.options.shared.process(options);
    if (this.options.wasMerged(response.http)) {
      const accessLog = options.context?.accessLog;
      if (accessLog) accessLog.mergedFetches += 1;
    }
    return response;
  }
}

// The enum of `kind` is not exported by @apollo/gateway: the client's operation is what tells.
function isQueryFetch(options: ProcessOptions): boolean {
  return (
    'incomingRequestContext' in options &&
    options.incomingRequestContext.operation?.operation === 'query'
  );
}
