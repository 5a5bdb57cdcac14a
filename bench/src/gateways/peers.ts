import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePort } from '@hub/dev-infra';
import { ManagedProcess } from '../faults/process.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const HIVE_BIN = join(ROOT, 'bench', 'node_modules', '@graphql-hive', 'gateway', 'dist', 'bin.js');
const HIVE_CONFIG = join(ROOT, 'bench', 'hive', 'gateway.config.mjs');

export type GatewayName = 'project' | 'project-no-cache' | 'hive' | 'hive-no-dedup';
export const GATEWAY_NAMES: GatewayName[] = [
  'project',
  'project-no-cache',
  'hive',
  'hive-no-dedup',
];

export type PeerGateway = {
  name: GatewayName;
  url: string;
  /** The process measured for CPU and RSS (with its descendants). */
  pid(): number;
  /** Exits the bench did not cause (a crash under load makes the run's figures void). */
  crashes(): number;
};

export type PeerGateways = {
  gateways: Record<GatewayName, PeerGateway>;
  logDir: string;
  stop(): Promise<void>;
};

export type StartPeersOptions = {
  subgraphUrls: Record<string, string>;
  gatewaySecret: string;
};

/**
 * The committed supergraph with its routing URLs pointed at the bench's subgraphs: Hive Gateway
 * reads the same composition the project gateway is built from.
 */
export function localSupergraph(sdl: string, urls: Record<string, string>): string {
  return sdl.replace(/@join__graph\(name: "([^"]+)", url: "[^"]*"\)/g, (match, name: string) => {
    const url = urls[name];
    if (!url) throw new Error(`no URL for subgraph ${name} of the supergraph (${match})`);
    return `@join__graph(name: "${name}", url: "${url}")`;
  });
}

/**
 * Starts the project gateway twice (its package's entry point, as deployed, and with its
 * response cache off) and Hive Gateway twice (as installed, and with in-flight dedup off), each
 * one process of its own on a free port, all over the same running subgraphs. Logs go to a temporary folder, printed on failure.
 */
export async function startPeerGateways(options: StartPeersOptions): Promise<PeerGateways> {
  const logDir = mkdtempSync(join(tmpdir(), 'hub-bench-gateways-'));
  const supergraphFile = join(logDir, 'supergraph.graphql');
  writeFileSync(
    supergraphFile,
    localSupergraph(
      readFileSync(join(ROOT, 'gateway', 'supergraph.graphql'), 'utf8'),
      options.subgraphUrls,
    ),
  );
  const base = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    HUB_GATEWAY_SECRET: options.gatewaySecret,
  };
  const processes = new Map<GatewayName, { process: ManagedProcess; origin: string }>();
  const add = async (name: GatewayName, args: string[], env: NodeJS.ProcessEnv) => {
    const port = await findFreePort();
    const origin = `http://127.0.0.1:${port}`;
    const process = new ManagedProcess(
      name,
      globalThis.process.execPath,
      args.map((arg) => arg.replace('{port}', String(port))),
      { ...base, ...env, PORT: String(port) },
      join(logDir, `${name}.log`),
      ROOT,
    );
    processes.set(name, { process, origin });
  };
  const urls = options.subgraphUrls;
  const projectEnv = {
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SPACES_URL: urls.spaces,
    MEMBERS_URL: urls.members,
    EVENTS_URL: urls.events,
    MATCHING_URL: urls.matching,
    SUPPORT_PROGRAMS_URL: urls['support-programs'],
    // One client address sends thousands of requests a second: lift the per-address limits.
    GATEWAY_ANONYMOUS_RATE_LIMIT_PER_MINUTE: '100000000',
    GATEWAY_MEMBER_RATE_LIMIT_PER_MINUTE: '100000000',
  };
  // As configured by default (its response cache, where the build has one, included), and with
  // the response cache off: what the gateway itself costs per request.
  // BENCH_GATEWAY_PROFILE=1: the project gateways write CPU profiles into the log folder.
  const project = [
    ...(process.env.BENCH_GATEWAY_PROFILE === '1'
      ? ['--cpu-prof', `--cpu-prof-dir=${logDir}`]
      : []),
    join(ROOT, 'gateway', 'dist', 'index.js'),
  ];
  await add('project', project, projectEnv);
  await add('project-no-cache', project, {
    ...projectEnv,
    GATEWAY_RESPONSE_CACHE: 'false',
  });
  const hiveArgs = [
    HIVE_BIN,
    'supergraph',
    supergraphFile,
    '--host',
    '127.0.0.1',
    '--port',
    '{port}',
    '--config-path',
    HIVE_CONFIG,
  ];
  await add('hive', hiveArgs, {});
  await add('hive-no-dedup', hiveArgs, { HIVE_BENCH_DEDUP: 'off' });

  const stop = async () => {
    await Promise.all([...processes.values()].map(({ process }) => process.stop()));
  };
  try {
    for (const { process } of processes.values()) process.start();
    await Promise.all(
      [...processes].map(([name, { process, origin }]) =>
        waitAnswering(name, process, `${origin}/graphql`, logDir),
      ),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const gateways = {} as Record<GatewayName, PeerGateway>;
  for (const [name, { process, origin }] of processes) {
    gateways[name] = {
      name,
      url: `${origin}/graphql`,
      pid: () => {
        if (!process.pid) throw new Error(`${name} is not running; see ${logDir}`);
        return process.pid;
      },
      crashes: () => process.unexpectedExits.length,
    };
  }
  return {
    gateways,
    logDir,
    async stop() {
      await stop();
      // Profiles are written at exit, into the folder: kept for reading.
      if (process.env.BENCH_GATEWAY_PROFILE === '1') {
        console.log(`gateway CPU profiles in ${logDir}`);
      } else {
        rmSync(logDir, { recursive: true, force: true });
      }
    },
  };
}

/** Until the gateway answers a query that reaches a subgraph (its schema is loaded and routed). */
async function waitAnswering(
  name: string,
  process: ManagedProcess,
  url: string,
  logDir: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!process.isRunning && process.unexpectedExits.length > 0) {
      throw new Error(`${name} exited while starting: ${process.unexpectedExits[0]!.logTail}`);
    }
    const answered = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ spaces(first: 1) { totalCount } }' }),
      signal: AbortSignal.timeout(2_000),
    })
      .then(async (response) => response.ok && !(await response.text()).includes('"errors"'))
      .catch(() => false);
    if (answered) return;
    await sleep(200);
  }
  throw new Error(`${name} did not answer within ${timeoutMs} ms; see ${logDir}`);
}
