import { Client } from 'undici';
import {
  type CheckContext,
  checkResponse,
  type FuzzResponse,
  requestKind,
  type Violation,
} from './checks.js';
import { KNOWN_GOOD_QUERY } from './documents.js';
import { type FuzzRequest, graphqlBody } from './requests.js';

export type Finding = { violation: Violation; request: FuzzRequest; response: FuzzResponse };

export type RunResult = {
  sent: number;
  durationMs: number;
  statuses: Map<string, number>;
  codes: Map<string, number>;
  findings: Finding[];
  probes: number;
  /** Root fields that answered with data at least once: how much of the API was reached. */
  answeredFields: Set<string>;
};

export type RunOptions = {
  /** The gateway's origin (`http://127.0.0.1:<port>`). */
  origin: string;
  indices: number[];
  generate(index: number): FuzzRequest;
  check: CheckContext;
  /** Requests in flight at once. */
  concurrency: number;
  /** A health probe after every this many requests (and one at the end). */
  probeEvery: number;
  /** Deadline of one response: far beyond the gateway's own 5 s per subgraph call. */
  timeoutMs: number;
  /** Sees every exchange (FUZZ_TRACE writes them to a file, for tuning the generators). */
  trace?: (request: FuzzRequest, response: FuzzResponse) => void;
};

/**
 * Sends the generated requests with bounded concurrency, checks each response as it arrives
 * and probes the gateway's health along the way. Findings are collected, never thrown: the
 * caller reports them all at the end.
 */
export async function runFuzz(options: RunOptions): Promise<RunResult> {
  const result: RunResult = {
    sent: 0,
    durationMs: 0,
    statuses: new Map(),
    codes: new Map(),
    findings: [],
    probes: 0,
    answeredFields: new Set(),
  };
  const started = performance.now();
  let next = 0;
  const record = (fuzzRequest: FuzzRequest, response: FuzzResponse, violations: Violation[]) => {
    for (const violation of violations) {
      result.findings.push({ violation, request: fuzzRequest, response });
    }
  };
  const probe = async () => {
    result.probes += 1;
    result.findings.push(...(await probeHealth(options.origin, options.timeoutMs)));
  };
  const worker = async () => {
    const connection = new Connection(options.origin, options.timeoutMs);
    try {
      while (next < options.indices.length) {
        const index = options.indices[next]!;
        next += 1;
        const fuzzRequest = options.generate(index);
        const { response, brokenBy } = await connection.send(fuzzRequest);
        if (brokenBy) record(brokenBy.request, brokenBy.response, [brokenBy.violation]);
        result.sent += 1;
        count(result.statuses, response.failure ? 'no response' : String(response.status));
        for (const code of errorCodes(response.body)) count(result.codes, code);
        if (fuzzRequest.rootField && hasData(response.body)) {
          result.answeredFields.add(fuzzRequest.rootField);
        }
        record(fuzzRequest, response, checkResponse(fuzzRequest, response, options.check));
        options.trace?.(fuzzRequest, response);
        if (result.sent % options.probeEvery === 0) await probe();
      }
    } finally {
      await connection.close();
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  await probe();
  result.durationMs = performance.now() - started;
  return result;
}

// What undici reports when the server closed or reset a connection under a request.
const CONNECTION_LOST = /ECONNRESET|EPIPE|UND_ERR_SOCKET|other side closed|socket hang up/i;

/**
 * One keep-alive connection, as a client keeps one. When a request fails because the server
 * dropped the connection after the previous response had announced it kept alive, the
 * previous request is the culprit: it is blamed, and this request is sent again on a fresh
 * connection so that its own answer is still checked.
 */
class Connection {
  private client: Client;
  private previous: { request: FuzzRequest; response: FuzzResponse } | null = null;

  constructor(
    private readonly origin: string,
    private readonly timeoutMs: number,
  ) {
    this.client = this.open();
  }

  async send(fuzzRequest: FuzzRequest): Promise<{ response: FuzzResponse; brokenBy?: Finding }> {
    const previous = this.previous;
    let response = await this.request(fuzzRequest);
    let brokenBy: Finding | undefined;
    if (response.failure && CONNECTION_LOST.test(response.failure) && previous) {
      brokenBy = {
        request: previous.request,
        response: previous.response,
        violation: {
          kind: 'connection dropped after a response',
          signature: `HTTP ${previous.response.status} (connection: ${String(previous.response.headers.connection)}), then the connection was dropped: the client's next request on it failed with ${response.failure}`,
          where: requestKind(previous.request),
        },
      };
      await this.reopen();
      response = await this.request(fuzzRequest);
    }
    const isClosing =
      Boolean(response.failure) || /close/i.test(String(response.headers.connection ?? ''));
    if (isClosing) await this.reopen();
    this.previous = isClosing ? null : { request: fuzzRequest, response };
    return { response, ...(brokenBy ? { brokenBy } : {}) };
  }

  async close(): Promise<void> {
    await this.client.destroy();
  }

  private open(): Client {
    return new Client(this.origin, {
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
      pipelining: 1,
    });
  }

  private async reopen(): Promise<void> {
    await this.client.destroy();
    this.client = this.open();
    this.previous = null;
  }

  private async request(fuzzRequest: FuzzRequest): Promise<FuzzResponse> {
    const started = performance.now();
    try {
      const answer = await this.client.request({
        path: fuzzRequest.path,
        method: fuzzRequest.method as 'GET',
        headers: fuzzRequest.headers,
        ...(fuzzRequest.body !== undefined ? { body: fuzzRequest.body } : {}),
        signal: AbortSignal.timeout(this.timeoutMs * 2),
      });
      return {
        status: answer.statusCode,
        headers: answer.headers,
        body: await answer.body.text(),
        durationMs: performance.now() - started,
      };
    } catch (error) {
      return {
        status: 0,
        headers: {},
        body: '',
        durationMs: performance.now() - started,
        failure: describeFailure(error),
      };
    }
  }
}

function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return `${error.name}${code ? ` ${String(code)}` : ''}: ${error.message}`;
}

/** `/_health` and a known-good query must keep answering while the fuzz runs and after it. */
async function probeHealth(origin: string, timeoutMs: number): Promise<Finding[]> {
  const findings: Finding[] = [];
  const probes: FuzzRequest[] = [
    {
      index: -1,
      label: 'health probe /_health',
      caller: 'anonymous',
      method: 'GET',
      path: '/_health',
      headers: {},
    },
    {
      index: -1,
      label: 'health probe: known-good query',
      caller: 'anonymous',
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json' },
      body: graphqlBody({ query: KNOWN_GOOD_QUERY }),
    },
  ];
  const connection = new Connection(origin, timeoutMs);
  try {
    for (const probe of probes) {
      const { response } = await connection.send(probe);
      const problem = probeProblem(probe, response);
      if (problem) {
        findings.push({
          violation: { kind: 'gateway unhealthy', signature: problem },
          request: probe,
          response,
        });
      }
    }
  } finally {
    await connection.close();
  }
  return findings;
}

function probeProblem(probe: FuzzRequest, response: FuzzResponse): string | null {
  if (response.failure) return `${probe.label}: ${response.failure}`;
  if (response.status !== 200) return `${probe.label}: HTTP ${response.status}`;
  let body: {
    status?: string;
    data?: { spaces?: { nodes?: { municipality?: unknown }[] } };
    errors?: unknown;
  };
  try {
    body = JSON.parse(response.body);
  } catch {
    return `${probe.label}: body is not JSON`;
  }
  if (probe.path === '/_health') return body.status === 'ok' ? null : `${probe.label}: not ok`;
  if (body.errors) return `${probe.label}: errors`;
  const spaces = body.data?.spaces?.nodes ?? [];
  if (spaces.length === 0 || spaces.some((space) => !space.municipality)) {
    return `${probe.label}: wrong data`;
  }
  return null;
}

function errorCodes(body: string): string[] {
  try {
    const parsed = JSON.parse(body) as { errors?: { extensions?: { code?: unknown } }[] };
    if (!Array.isArray(parsed?.errors)) return [];
    return parsed.errors.map((error) => String(error?.extensions?.code ?? '(no code)'));
  } catch {
    return [];
  }
}

function hasData(body: string): boolean {
  try {
    const { data } = JSON.parse(body) as { data?: Record<string, unknown> | null };
    return Object.values(data ?? {}).some((value) => value !== null);
  } catch {
    return false;
  }
}

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
