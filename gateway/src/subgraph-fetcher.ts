import { STATUS_CODES } from 'node:http';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { Agent, Headers, request } from 'undici';

// Apollo's fetcher types, taken from the data source so we need no dependency of its own.
type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherRequestInit = NonNullable<Parameters<Fetcher>[1]>;
type FetcherResponse = Awaited<ReturnType<Fetcher>>;

export type SubgraphAgentOptions = {
  /** Most sockets kept open to one subgraph origin; more concurrent calls queue. */
  connections: number;
};

/**
 * One keep-alive pool per subgraph origin, bounded: Apollo's default fetcher opens unlimited
 * sockets, which under load exhausts ephemeral ports and the subgraphs' accept queues.
 */
export function createSubgraphAgent(options: SubgraphAgentOptions): Agent {
  return new Agent({ connections: options.connections, keepAliveTimeout: 4_000 });
}

/** The subgraph did not answer (headers and body) within the deadline. */
export class SubgraphTimeoutError extends Error {
  constructor(url: string, timeoutMs: number, options?: ErrorOptions) {
    super(`subgraph call to ${url} exceeded ${timeoutMs} ms`, options);
    this.name = 'SubgraphTimeoutError';
  }
}

/** The call failed below HTTP: refused, reset, DNS, socket closed mid-response. */
export class SubgraphConnectionError extends Error {
  constructor(url: string, options?: ErrorOptions) {
    super(`subgraph call to ${url} failed`, options);
    this.name = 'SubgraphConnectionError';
  }
}

export type SubgraphFetcherOptions = { agent: Agent; timeoutMs: number };

/**
 * A `Fetcher` for `RemoteGraphQLDataSource` on undici's `request` (lighter than `fetch`) with a
 * deadline on every call: Apollo's default fetcher has none, so one hung subgraph would hold
 * gateway requests and sockets forever. The body is read inside the deadline and buffered,
 * which the gateway needs whole anyway.
 */
export function createSubgraphFetcher(options: SubgraphFetcherOptions): Fetcher {
  const { agent, timeoutMs } = options;
  return async (url: string, init?: FetcherRequestInit): Promise<FetcherResponse> => {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await request(url, {
        dispatcher: agent,
        method: (init?.method ?? 'GET') as 'GET' | 'POST',
        headers: init?.headers,
        body: init?.body,
        signal,
      });
      const body = await response.body.text();
      const headers = new Headers();
      for (const [name, value] of Object.entries(response.headers)) {
        if (Array.isArray(value)) for (const item of value) headers.append(name, item);
        else if (value !== undefined) headers.set(name, value);
      }
      return new BufferedResponse(url, response.statusCode, headers, body);
    } catch (error) {
      if (signal.aborted) throw new SubgraphTimeoutError(url, timeoutMs, { cause: error });
      throw new SubgraphConnectionError(url, { cause: error });
    }
  };
}

class BufferedResponse implements FetcherResponse {
  readonly bodyUsed = false;
  readonly redirected = false;
  readonly ok: boolean;
  readonly statusText: string;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly headers: Headers,
    private readonly body: string,
  ) {
    this.ok = status >= 200 && status < 300;
    this.statusText = STATUS_CODES[status] ?? '';
  }

  async text(): Promise<string> {
    return this.body;
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.body);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = Buffer.from(this.body);
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  clone(): FetcherResponse {
    return new BufferedResponse(this.url, this.status, new Headers(this.headers), this.body);
  }
}
