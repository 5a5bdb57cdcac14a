import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort, isTcpReachable } from '@hub/dev-infra';

const ROOT = new URL('../../', import.meta.url).pathname;
// BENCH_DATABASE_PREFIX keeps a branch's migrations off the databases other checkouts reuse.
const DATABASE_PREFIX = process.env.BENCH_DATABASE_PREFIX ?? 'hub_bench';
const POSTGRES_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

export type BenchHub = {
  /** `GraphQL` (the gateway) and each subgraph by name. */
  urls: Map<string, string>;
  secret: string;
  usePostgres: boolean;
  /** The launcher's process: the five subgraphs share it. */
  pid: number;
  /** The database of a service, when the machine's PostgreSQL is used. */
  databaseUrl(service: string): string;
  stop(): Promise<void>;
};

/**
 * Starts the hub with the run command's launcher in a child process, with the demo data, on
 * the machine's PostgreSQL if one answers on 127.0.0.1:5432 (its own hub_bench_* databases,
 * reused across runs; the seeds are idempotent), else the embedded one. Rate limits are lifted:
 * a benchmark is one client address sending thousands of requests a second.
 */
export async function startBenchHub(): Promise<BenchHub> {
  const secret = randomBytes(16).toString('hex');
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-bench-'));
  const usePostgres = await isTcpReachable('127.0.0.1', 5432);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HUB_DATA_DIR: dataDir,
    HUB_GATEWAY_SECRET: secret,
    GATEWAY_PORT: String(await findFreePort({ preferred: 4400 })),
    GATEWAY_ANONYMOUS_RATE_LIMIT_PER_MINUTE: '100000000',
    GATEWAY_MEMBER_RATE_LIMIT_PER_MINUTE: '100000000',
    LOG_LEVEL: 'error',
    ...(usePostgres ? { POSTGRES_URL, HUB_DATABASE_PREFIX: DATABASE_PREFIX } : {}),
  };
  const child = spawn(process.execPath, ['launcher/dist/index.js'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const urls = await readUrls(child);
  return {
    urls,
    secret,
    usePostgres,
    pid: child.pid!,
    databaseUrl(service) {
      const url = new URL(POSTGRES_URL);
      url.pathname = `/${DATABASE_PREFIX}_${service.replaceAll('-', '_')}`;
      return url.toString();
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The launcher prints `[hub] <name> <url>` lines, then `GraphQL: <url>` when ready. */
function readUrls(child: ChildProcess): Promise<Map<string, string>> {
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

/** One GraphQL call; throws on errors so a benchmark never times failures. */
export async function graphql<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length || !body.data) {
    throw new Error(`GraphQL error (${response.status}): ${JSON.stringify(body.errors)}`);
  }
  return body.data;
}

/** p50/p99/max of a list of durations in ms. */
export function percentiles(samples: number[]): { p50: number; p99: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1)! };
}

export const ms = (value: number) => value.toFixed(1).padStart(8);
