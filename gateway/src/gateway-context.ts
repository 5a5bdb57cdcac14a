/** The per-request context of the gateway (what the subgraph data sources see). */
export type GatewayContext = {
  /** The client's `x-request-id` when usable, else a fresh UUID; forwarded to every subgraph. */
  requestId: string;
  /**
   * The verified caller and client address, signed once for the whole request and sent as
   * `x-hub-identity` on every subgraph call. Null only before admission.
   */
  forwardedIdentity: string | null;
  /**
   * Filled in while the request runs, for the access log. A nested object because Apollo
   * shallow-copies the context for each operation: only shared objects survive.
   */
  accessLog: {
    operationName: string | null;
    errorCodes: string[];
    caller: 'anonymous' | 'member' | 'partner' | null;
    /** A partner's key id (members are not named in the access log). */
    keyId: string | null;
    /** Why the request was refused before running (never the credential itself). */
    refusal: string | null;
    /** Subgraph fetches answered by another request's identical call in flight (dedup/). */
    mergedFetches: number;
    /** The response cache's verdict (cache/), null when the cache is off or not reached. */
    cache: 'HIT' | 'MISS' | 'BYPASS' | null;
  };
};

export function createGatewayContext(requestId: string): GatewayContext {
  return {
    requestId,
    forwardedIdentity: null,
    accessLog: {
      operationName: null,
      errorCodes: [],
      caller: null,
      keyId: null,
      refusal: null,
      mergedFetches: 0,
      cache: null,
    },
  };
}
