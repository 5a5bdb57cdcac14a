/** The per-request context of the gateway (what the subgraph data sources see). */
export type GatewayContext = {
  /** The client's `x-request-id` when usable, else a fresh UUID; forwarded to every subgraph. */
  requestId: string;
  /**
   * Filled in while the request runs, for the access log. A nested object because Apollo
   * shallow-copies the context for each operation: only shared objects survive.
   */
  accessLog: { operationName: string | null; errorCodes: string[] };
};

export function createGatewayContext(requestId: string): GatewayContext {
  return { requestId, accessLog: { operationName: null, errorCodes: [] } };
}
