/**
 * `npm run bench`: starts the hub (the run command's launcher, in a child process), then
 * drives a named query mix through the gateway and directly against the subgraphs and prints
 * req/s, p50 and p99 for each. Uses the machine's PostgreSQL if one answers on 127.0.0.1:5432
 * (as on the development machines), else the embedded one — the numbers say which.
 *   BENCH_DURATION=10 BENCH_CONNECTIONS=16 npm run bench
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort, isTcpReachable } from '@hub/dev-infra';
import autocannon from 'autocannon';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const ROOT = new URL('../../', import.meta.url).pathname;

const DEMO_QUERY =
  '{ spaces { name municipality { code name } operator { name } upcomingEvents { title } } }';
const SPACES_QUERY = '{ spaces { name kind municipality { code name } } }';

type Target = { name: string; url: string; body: string; headers?: Record<string, string> };

async function main() {
  const secret = randomBytes(16).toString('hex');
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-bench-'));
  const usePostgres = await isTcpReachable('127.0.0.1', 5432);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HUB_DATA_DIR: dataDir,
    HUB_GATEWAY_SECRET: secret,
    GATEWAY_PORT: String(await findFreePort({ preferred: 4400 })),
    LOG_LEVEL: 'error',
    // Its own databases (hub_bench_<service>), reused across runs; the seeds are idempotent.
    ...(usePostgres
      ? {
          POSTGRES_URL: 'postgresql://postgres@127.0.0.1:5432/postgres',
          HUB_DATABASE_PREFIX: 'hub_bench',
        }
      : {}),
  };
  const hub = spawn(process.execPath, ['launcher/dist/index.js'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const urls = await readUrls(hub);
  try {
    const gateway = urls.get('GraphQL')!;
    const spaces = urls.get('spaces')!;
    const members = urls.get('members')!;
    const asGateway = { 'x-hub-gateway-credential': secret };
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
    console.log(
      `\nCoworking Hub benchmark — ${usePostgres ? 'PostgreSQL 127.0.0.1:5432' : 'embedded PGlite'}, ${CONNECTIONS} connections, ${DURATION}s each\n`,
    );
    console.log(
      `${'target'.padEnd(46)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'errors'.padStart(7)}`,
    );
    for (const target of targets) {
      const result = await autocannon({
        url: target.url,
        method: 'POST',
        connections: CONNECTIONS,
        duration: DURATION,
        headers: { 'content-type': 'application/json', ...target.headers },
        body: target.body,
      });
      const errors = result.errors + result.non2xx;
      console.log(
        `${target.name.padEnd(46)} ${result.requests.average.toFixed(0).padStart(8)} ${String(result.latency.p50).padStart(8)} ${String(result.latency.p99).padStart(8)} ${String(errors).padStart(7)}`,
      );
    }
  } finally {
    hub.kill('SIGTERM');
    await new Promise((resolve) => hub.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The launcher prints `[hub] <name> <url>` lines, then `GraphQL: <url>` when ready. */
function readUrls(child: ReturnType<typeof spawn>): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const urls = new Map<string, string>();
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (const match of buffered.matchAll(/^\[hub\] ([\w-]+):?\s+(http\S+)$/gm))
        urls.set(match[1]!, match[2]!);
      if (urls.has('GraphQL')) resolve(urls);
    });
    child.once('exit', (code) => reject(new Error(`the hub exited (${code}) before it was ready`)));
  });
}

async function fetchOperatorIds(
  spacesUrl: string,
  headers: Record<string, string>,
): Promise<string[]> {
  const response = await fetch(spacesUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ spaces { operator { id } } }' }),
  });
  const body = (await response.json()) as {
    data: { spaces: { operator: { id: string } | null }[] };
  };
  return [
    ...new Set(body.data.spaces.flatMap((space) => (space.operator ? [space.operator.id] : []))),
  ];
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
