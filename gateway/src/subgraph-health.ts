import { type Agent, request } from 'undici';

export type SubgraphStatus = 'up' | 'down';

/**
 * Asks each subgraph's `/_health` (same origin as its GraphQL URL) in parallel, each bounded by
 * `timeoutMs`, so a hung subgraph cannot stall the readiness endpoint.
 */
export async function probeSubgraphs(options: {
  agent: Agent;
  subgraphUrls: ReadonlyMap<string, string>;
  timeoutMs: number;
}): Promise<Record<string, SubgraphStatus>> {
  const entries = await Promise.all(
    [...options.subgraphUrls].map(async ([name, url]) => {
      const status = await isHealthy(options.agent, new URL('/_health', url), options.timeoutMs);
      return [name, status ? 'up' : 'down'] as const;
    }),
  );
  return Object.fromEntries(entries);
}

async function isHealthy(agent: Agent, url: URL, timeoutMs: number): Promise<boolean> {
  try {
    const response = await request(url, {
      dispatcher: agent,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body.dump();
    return response.statusCode === 200;
  } catch {
    return false;
  }
}
