import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { IDENTITY_HEADER } from '@hub/identity';
import { REQUEST_ID_HEADER } from '@hub/service-kit';
import { type CallerKeyOf, createCallerKeyOf } from './caller-key.js';

type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherRequestInit = NonNullable<Parameters<Fetcher>[1]>;
type FetcherResponse = Awaited<ReturnType<Fetcher>>;

export type InflightFetcherOptions = {
  /** The fetcher that really calls the subgraph (subgraph-fetcher.ts). */
  fetcher: Fetcher;
  callerKeyOf?: CallerKeyOf;
};

/** A fetcher that shares identical calls in flight, and says which answers were shared. */
export type InflightFetcher = Fetcher & {
  /** Whether this response answered a fetch that joined another's call (for the access log). */
  wasMerged(response: unknown): boolean;
  /** Fetches answered by another's call since start (a process-wide metric). */
  mergedCount(): number;
};

// Headers that differ per request without changing the answer: the request id only names the
// request in the subgraph's log, and the identity header is compared by its caller (below).
const PER_REQUEST_HEADERS = new Set([REQUEST_ID_HEADER, IDENTITY_HEADER]);

/**
 * Merges identical subgraph fetches in flight (what Hive Gateway and Apollo Router call
 * in-flight/query deduplication): while a call is on its way, an identical one — same URL,
 * method, body (document, variables, operation name) and headers, and the same caller — waits
 * for it and gets the same answer, so a burst of one popular query costs the subgraph one call.
 *
 * Only for fetches whose answer cannot depend on *when* they start, i.e. reads: the data source
 * sends only query operations through here (deduplicating-data-source.ts). Each waiter gets a
 * response object of its own over the one buffered body, so every request parses its own copy:
 * the query planner writes into the objects it parses (merging entities), which two requests
 * must never share. A failure (timeout, connection) reaches every waiter.
 */
export function createInflightFetcher(options: InflightFetcherOptions): InflightFetcher {
  const callerKeyOf = options.callerKeyOf ?? createCallerKeyOf();
  const inflight = new Map<string, Promise<FetcherResponse>>();
  const merged = new WeakSet<object>();
  let mergedTotal = 0;

  const fetcher = (async (url: string, init?: FetcherRequestInit): Promise<FetcherResponse> => {
    const key = fetchKeyOf(url, init, callerKeyOf);
    if (key === null) return options.fetcher(url, init);
    const running = inflight.get(key);
    if (running) {
      const response = (await running).clone();
      merged.add(response);
      mergedTotal += 1;
      return response;
    }
    const call = options.fetcher(url, init);
    inflight.set(key, call);
    try {
      return await call;
    } finally {
      inflight.delete(key);
    }
  }) as InflightFetcher;
  fetcher.wasMerged = (response) =>
    typeof response === 'object' && response !== null && merged.has(response);
  fetcher.mergedCount = () => mergedTotal;
  return fetcher;
}

function fetchKeyOf(
  url: string,
  init: FetcherRequestInit | undefined,
  callerKeyOf: CallerKeyOf,
): string | null {
  // RemoteGraphQLDataSource passes its headers as a plain object with lower-case names.
  const headers = (init?.headers ?? {}) as Record<string, string>;
  const caller = callerKeyOf(headers[IDENTITY_HEADER]);
  // A caller whose fetches must each reach the subgraph (caller-key.ts).
  if (caller === null) return null;
  const sent = Object.keys(headers)
    .filter((name) => !PER_REQUEST_HEADERS.has(name.toLowerCase()))
    .sort()
    .map((name) => [name.toLowerCase(), headers[name]]);
  return JSON.stringify([url, init?.method ?? 'GET', caller, sent, init?.body ?? null]);
}
