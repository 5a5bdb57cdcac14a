import { Agent, request } from 'undici';

/**
 * Sockets for readiness probes only, apart from the GraphQL calls' pool. A few per subgraph:
 * each readiness answer takes two, and a hung probe holds one at most until its deadline.
 */
export function createProbeAgent(): Agent {
  return new Agent({ connections: 8, keepAliveTimeout: 4_000 });
}

/**
 * `up`: the subgraph's `/_readiness` answered 200 (it can serve: its database and bus answer).
 * `not-ready`: its process answers `/_health` but its readiness refused (503) or did not answer
 * within the deadline — a wedged subgraph looks like this. `down`: not even `/_health` answers.
 */
export type SubgraphStatus = 'up' | 'not-ready' | 'down';

/**
 * Asks each subgraph's `/_readiness` and `/_health` (same origin as its GraphQL URL), all in
 * parallel and each bounded by `timeoutMs`, so a subgraph whose readiness hangs (a database pool
 * that never hands out a connection) costs the gateway's readiness at most the deadline. Liveness
 * alone is not enough: a process that is alive but cannot reach its database answers `/_health`
 * while every GraphQL call to it fails. Give it an agent of its own (createProbeAgent): on the
 * GraphQL agent, probes would wait behind the calls a wedged subgraph is holding.
 */
export async function probeSubgraphs(options: {
  agent: Agent;
  subgraphUrls: ReadonlyMap<string, string>;
  timeoutMs: number;
}): Promise<Record<string, SubgraphStatus>> {
  const entries = await Promise.all(
    [...options.subgraphUrls].map(async ([name, url]) => {
      const [isReady, isAlive] = await Promise.all([
        answersOk(options.agent, new URL('/_readiness', url), options.timeoutMs),
        answersOk(options.agent, new URL('/_health', url), options.timeoutMs),
      ]);
      return [name, statusOf(isReady, isAlive)] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** A ready subgraph counts as up even if its liveness probe lost a race with the deadline. */
export function statusOf(isReady: boolean, isAlive: boolean): SubgraphStatus {
  if (isReady) return 'up';
  return isAlive ? 'not-ready' : 'down';
}

async function answersOk(agent: Agent, url: URL, timeoutMs: number): Promise<boolean> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  // undici only fails an aborted request once it has a socket: one queued behind busy sockets
  // would outlive its signal. The race keeps the deadline whatever the pool is doing.
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => {
      abort.abort();
      resolve(false);
    }, timeoutMs);
  });
  const probe = (async () => {
    try {
      const response = await request(url, { dispatcher: agent, signal: abort.signal });
      await response.body.dump();
      return response.statusCode === 200;
    } catch {
      return false;
    }
  })();
  try {
    return await Promise.race([probe, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
