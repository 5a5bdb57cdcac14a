import autocannon from 'autocannon';
import type { BenchHub } from './hub.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);

const DEMO_QUERY =
  '{ spaces { nodes { id name municipality { id code name } operator { id name } upcomingEvents { totalCount nodes { id title } } } } }';
export const SPACES_QUERY = '{ spaces { nodes { name kind municipality { code name } } } }';

type Target = { name: string; url: string; body: string; headers?: Record<string, string> };

/** Throughput and latency of a query mix through the gateway and direct to subgraphs. */
export async function runThroughput(hub: BenchHub): Promise<void> {
  const gateway = hub.urls.get('GraphQL')!;
  const spaces = hub.urls.get('spaces')!;
  const members = hub.urls.get('members')!;
  const asGateway = { 'x-hub-gateway-credential': hub.secret };
  const organizationIds = await fetchOperatorIds(spaces, asGateway);
  const entities = JSON.stringify({
    query:
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { name kind } } }',
    variables: { r: organizationIds.map((id) => ({ __typename: 'Organization', id })) },
  });
  const targets: Target[] = [
    {
      name: 'demo query via gateway (4 subgraphs)',
      url: gateway,
      body: JSON.stringify({ query: DEMO_QUERY }),
    },
    {
      // The same query past the response cache (docs/gateway-cache.md): its full cost.
      name: 'demo query via gateway, no-cache (bypass)',
      url: gateway,
      body: JSON.stringify({ query: DEMO_QUERY }),
      headers: { 'cache-control': 'no-cache' },
    },
    {
      name: 'spaces list via gateway',
      url: gateway,
      body: JSON.stringify({ query: SPACES_QUERY }),
    },
    {
      name: 'spaces list direct to spaces subgraph',
      url: spaces,
      body: JSON.stringify({ query: SPACES_QUERY }),
      headers: asGateway,
    },
    {
      name: `_entities ×${organizationIds.length} orgs direct to members`,
      url: members,
      body: entities,
      headers: asGateway,
    },
  ];
  console.log(`\nThroughput — ${CONNECTIONS} connections, ${DURATION}s each\n`);
  printHeader();
  for (const target of targets) printRow(target.name, await load(target));
}

export function printHeader(): void {
  console.log(
    `${'target'.padEnd(46)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'mean ms'.padStart(8)} ${'errors'.padStart(7)}`,
  );
}

export function printRow(name: string, result: autocannon.Result): void {
  const errors = result.errors + result.non2xx;
  console.log(
    `${name.padEnd(46)} ${result.requests.average.toFixed(0).padStart(8)} ${String(result.latency.p50).padStart(8)} ${String(result.latency.p99).padStart(8)} ${result.latency.average.toFixed(2).padStart(8)} ${String(errors).padStart(7)}`,
  );
}

export function load(target: Target, duration = DURATION): Promise<autocannon.Result> {
  return autocannon({
    url: target.url,
    method: 'POST',
    connections: CONNECTIONS,
    duration,
    headers: { 'content-type': 'application/json', ...target.headers },
    body: target.body,
  });
}

async function fetchOperatorIds(
  spacesUrl: string,
  headers: Record<string, string>,
): Promise<string[]> {
  const response = await fetch(spacesUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ spaces(first: 100) { nodes { operator { id } } } }' }),
  });
  const body = (await response.json()) as {
    data: { spaces: { nodes: { operator: { id: string } | null }[] } };
  };
  return [
    ...new Set(
      body.data.spaces.nodes.flatMap((space) => (space.operator ? [space.operator.id] : [])),
    ),
  ];
}
