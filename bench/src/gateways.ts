import autocannon from 'autocannon';
import { seededRandom } from './faults/config.js';
import { type BenchMember, createBenchMembers, hiveIdentityHeaders } from './gateways/members.js';
import { GATEWAY_NAMES, type PeerGateway, startPeerGateways } from './gateways/peers.js';
import { measureUsage, treeUsage } from './gateways/process-stats.js';
import {
  FIXED_QUERIES,
  nextVariedRequest,
  type VariedPools,
  type VariedRequest,
} from './gateways/queries.js';
import {
  figuresTable,
  firstDifference,
  type RunFigures,
  ratiosTable,
  type Summary,
  summarize,
} from './gateways/report.js';
import { type BenchHub, graphql } from './hub.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 2);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
/** Which query mixes to run (`BENCH_QUERIES=Q2,varied`); all by default. */
const QUERIES = process.env.BENCH_QUERIES?.split(',').map((name) => name.trim());
const MEMBERS = 20;
// Draws of the varied mix compared byte for byte across the gateways before the runs.
const VARIED_CHECKS = 60;
const VARIED_SEED = 9;

const SUBGRAPHS = ['spaces', 'members', 'events', 'matching', 'support-programs'];

type Target = {
  name: string;
  /** Measured for CPU and RSS; absent for a subgraph called direct. */
  gateway?: PeerGateway;
  url: string;
  /** The request of the given draw (a fixed query ignores `random`). */
  request(random: () => number): { body: string; headers: Record<string, string> };
};

type Mix = {
  name: string;
  /** Requests of the mix compared byte for byte across the gateways before the runs. */
  checks: number;
  targets: Target[];
};

/**
 * `npm run bench gateways`: the project gateway against Hive Gateway (as installed, and with
 * its in-flight dedup off) over the same running subgraphs, each gateway a process of its own.
 */
export async function runGateways(hub: BenchHub): Promise<void> {
  const subgraphUrls = Object.fromEntries(
    SUBGRAPHS.map((name) => {
      const url = hub.urls.get(name);
      if (!url) throw new Error(`the hub printed no URL for ${name}`);
      return [name, url];
    }),
  );
  const peers = await startPeerGateways({ subgraphUrls, gatewaySecret: hub.secret });
  try {
    const { gateways } = peers;
    console.log(
      `\nGateways — project (as configured / response cache off) vs Hive Gateway 2.15 (as installed / in-flight dedup off), ${CONNECTIONS} connections, ${DURATION}s runs ×${REPEATS}, alternated`,
    );
    const members = await createBenchMembers(gateways.project.url, MEMBERS);
    const pools = await readVariedPools(gateways.project.url, members.length);
    const hiveHeaders = hiveIdentityHeaders(hub.secret);
    const targetsOf = (query: string): Target[] =>
      GATEWAY_NAMES.map((name) => fixedTarget(gateways[name], query, hiveHeaders));
    const mixes: Mix[] = FIXED_QUERIES.map(({ name, query }) => ({
      name,
      checks: 1,
      targets: targetsOf(query),
    }));
    // Q2's one subgraph called direct: what the gateway adds to it.
    mixes[1]!.targets.push({
      name: 'spaces subgraph direct',
      url: subgraphUrls.spaces!,
      request: () => ({
        body: JSON.stringify({ query: FIXED_QUERIES[1].query }),
        headers: { 'x-hub-gateway-credential': hub.secret, ...hiveHeaders(null) },
      }),
    });
    mixes.push({
      name: 'varied',
      checks: VARIED_CHECKS,
      targets: GATEWAY_NAMES.map((name) =>
        variedTarget(gateways[name], pools, members, hiveHeaders),
      ),
    });

    if (QUERIES) {
      const unknown = QUERIES.filter((name) => !mixes.some((mix) => mix.name === name));
      if (unknown.length > 0) throw new Error(`BENCH_QUERIES: no mix named ${unknown.join(', ')}`);
      mixes.splice(0, mixes.length, ...mixes.filter((mix) => QUERIES.includes(mix.name)));
    }
    for (const mix of mixes) await checkIdentical(mix);
    console.log('answers byte-identical across the gateways for every query checked');

    for (const target of mixes.flatMap((mix) => mix.targets)) {
      if (target.gateway) await measure(target, hub.pid, WARMUP);
    }
    const figures = new Map<string, Summary>();
    for (const mix of mixes) {
      const runs = new Map<string, RunFigures[]>(mix.targets.map((target) => [target.name, []]));
      for (let repeat = 0; repeat < REPEATS; repeat += 1) {
        for (const target of mix.targets) {
          runs.get(target.name)!.push(await measure(target, hub.pid));
        }
      }
      for (const [name, list] of runs) figures.set(`${mix.name}/${name}`, summarize(list));
      console.log(`  ${mix.name} done`);
    }
    const crashed = GATEWAY_NAMES.filter((name) => gateways[name].crashes() > 0);
    if (crashed.length > 0) {
      throw new Error(`${crashed.join(', ')} crashed during the runs; see ${peers.logDir}`);
    }

    const rows = mixes.flatMap((mix) =>
      mix.targets.map((target) => ({
        query: mix.name,
        target: target.name,
        summary: figures.get(`${mix.name}/${target.name}`)!,
      })),
    );
    console.log(`\n${figuresTable(rows)}\n`);
    for (const project of ['project', 'project-no-cache']) {
      console.log(`\n${project} ÷ Hive`);
      console.log(
        ratiosTable(
          mixes.map((mix) => ({
            query: mix.name,
            project: figures.get(`${mix.name}/${project}`)!,
            hive: figures.get(`${mix.name}/hive`)!,
            hiveNoDedup: figures.get(`${mix.name}/hive-no-dedup`)!,
          })),
        ),
      );
    }
  } finally {
    await peers.stop();
  }
}

const isProject = (gateway: PeerGateway) => gateway.name.startsWith('project');

function fixedTarget(
  gateway: PeerGateway,
  query: string,
  hiveHeaders: ReturnType<typeof hiveIdentityHeaders>,
): Target {
  const body = JSON.stringify({ query });
  return {
    name: gateway.name,
    gateway,
    url: gateway.url,
    request: () => ({ body, headers: isProject(gateway) ? {} : hiveHeaders(null) }),
  };
}

/**
 * The varied mix: each request a fresh draw. The project gateway gets a member's bearer token;
 * Hive, which cannot verify it, the identity the project gateway forwards for that member.
 */
function variedTarget(
  gateway: PeerGateway,
  pools: VariedPools,
  members: BenchMember[],
  hiveHeaders: ReturnType<typeof hiveIdentityHeaders>,
): Target {
  const headersFor = (draw: VariedRequest): Record<string, string> => {
    const member = draw.member === null ? null : members[draw.member]!;
    if (isProject(gateway)) {
      return member ? { authorization: `Bearer ${member.accessToken}` } : {};
    }
    return hiveHeaders(member?.identity ?? null);
  };
  return {
    name: gateway.name,
    gateway,
    url: gateway.url,
    request: (random) => {
      const draw = nextVariedRequest(random, pools);
      return { body: JSON.stringify(draw.body), headers: headersFor(draw) };
    },
  };
}

/** Spaces, cursors, municipalities and prefectures the varied mix draws from. */
async function readVariedPools(gateway: string, memberCount: number): Promise<VariedPools> {
  const data = await graphql<{
    spaces: {
      edges: {
        cursor: string;
        node: { id: string; municipality: { code: string; prefecture: string } | null };
      }[];
    };
  }>(
    gateway,
    '{ spaces(first: 100) { edges { cursor node { id municipality { code prefecture } } } } }',
  );
  const edges = data.spaces.edges;
  const municipalities = edges.flatMap((edge) =>
    edge.node.municipality ? [edge.node.municipality] : [],
  );
  return {
    spaceIds: edges.map((edge) => edge.node.id),
    spaceCursors: edges.map((edge) => edge.cursor),
    municipalityCodes: [...new Set(municipalities.map((m) => m.code))],
    prefectures: [...new Set(municipalities.map((m) => m.prefecture))],
    memberCount,
  };
}

async function answer(target: Target, request: ReturnType<Target['request']>): Promise<string> {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...request.headers },
    body: request.body,
  });
  const text = await response.text();
  if (!response.ok || text.includes('"errors"')) {
    throw new Error(`${target.name} answered ${response.status}: ${text.slice(0, 300)}`);
  }
  // Apollo Server ends a body with a newline, Hive Gateway does not: the JSON text is compared.
  return text.trimEnd();
}

/**
 * Before anything is measured, every gateway must answer each request of the mix with the same
 * bytes as the project gateway, and without errors: otherwise the runs would compare different
 * work.
 */
async function checkIdentical(mix: Mix): Promise<void> {
  const targets = mix.targets.filter((target) => target.gateway);
  const randoms = targets.map(() => seededRandom(VARIED_SEED));
  for (let i = 0; i < mix.checks; i += 1) {
    const answers = await Promise.all(
      targets.map(async (target, t) => {
        const request = target.request(randoms[t]!);
        return { target, request, text: await answer(target, request) };
      }),
    );
    const reference = answers[0]!;
    for (const other of answers.slice(1)) {
      const difference = firstDifference(reference.text, other.text);
      if (difference) {
        throw new Error(
          `${mix.name}: ${other.target.name} answered ${reference.request.body} differently from ${reference.target.name} ${difference}`,
        );
      }
    }
  }
}

/**
 * One autocannon run against a target, with the gateway process's CPU and RSS over it, and the
 * CPU of the subgraphs' process (`subgraphsPid`, the launcher) over the same run.
 */
async function measure(
  target: Target,
  subgraphsPid: number,
  duration = DURATION,
): Promise<RunFigures> {
  // The same seed each run: every gateway is sent the same sequence of the varied mix.
  const random = seededRandom(VARIED_SEED);
  const usage = target.gateway ? measureUsage(target.gateway.pid()) : undefined;
  const subgraphsCpuBefore = treeUsage(subgraphsPid).cpuMs;
  // A 200 can still carry GraphQL errors (an expired token, a refused page): count them too.
  let graphqlErrors = 0;
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    connections: CONNECTIONS,
    duration,
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (request) => {
          const next = target.request(random);
          return {
            ...request,
            body: next.body,
            headers: { ...request.headers, ...next.headers },
          };
        },
        onResponse: (_status, body) => {
          if (body.includes('"errors"')) graphqlErrors += 1;
        },
      },
    ],
  });
  const used = usage?.stop();
  const subgraphsCpuMs = treeUsage(subgraphsPid).cpuMs - subgraphsCpuBefore;
  return {
    requests: result.requests.total,
    durationS: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + graphqlErrors,
    ...(used && { cpuMs: used.cpuMs, peakRssBytes: used.peakRssBytes }),
    subgraphsCpuMs,
  };
}
