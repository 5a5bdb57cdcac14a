/**
 * One subgraph, alone in its own process, under load as the gateway calls it (credential and
 * signed identity header): req/s, latency, the process's CPU per request and its RSS (the
 * highest under load, then at once and after --settle seconds idle) — and with
 * `--prof`, where that CPU goes (self time per function and module, from `node --cpu-prof`,
 * over the measured runs only).
 *
 *   pnpm --filter @hub/bench build
 *   node bench/dist/profile-subgraph.js                      # spaces, Q2, 3 runs of 10 s
 *   node bench/dist/profile-subgraph.js --prof --runs 1      # and a CPU profile
 *   node bench/dist/profile-subgraph.js --settle 0           # skip the settled-RSS wait (30 s)
 *   node bench/dist/profile-subgraph.js --service events --query '{ events { nodes { title } } }'
 *   node bench/dist/profile-subgraph.js --root /path/to/baseline-checkout   # its build, same DB
 *
 * The service gets its own database `hub_profile_<service>` on POSTGRES_URL (default the
 * machine's 127.0.0.1:5432), migrated and loaded with its demo data (idempotent, kept between
 * runs), and NATS_URL (default nats://127.0.0.1:4222) under the namespace `profile`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureDatabase, findFreePort, migrateDeploy } from '@hub/dev-infra';
import { IDENTITY_HEADER, signForwardedIdentity } from '@hub/identity';
import autocannon from 'autocannon';
import { measureUsage, treeUsage } from './gateways/process-stats.js';
import { type CpuProfile, formatSelfTimes, summarizeProfile } from './profile/cpuprofile.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const SERVICES = ['spaces', 'members', 'events', 'matching', 'support-programs'];
/** Q2 of issue 9: the simple list the per-call target is set for. */
const SPACES_LIST = '{ spaces { nodes { name kind municipality { code name } } } }';
// USER_HZ of /proc/<pid>/stat's utime and stime: 100 on every Linux this runs on.
const TICKS_PER_SECOND = 100;

const { values: options } = parseArgs({
  options: {
    service: { type: 'string', default: 'spaces' },
    query: { type: 'string', default: SPACES_LIST },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    runs: { type: 'string', default: '3' },
    connections: { type: 'string', default: '16' },
    prof: { type: 'boolean', default: false },
    // Seconds of idle after the runs before the settled RSS is read (V8 gives its grown heap
    // back to the system after ~20 s idle; 0 skips the wait).
    settle: { type: 'string', default: '30' },
    top: { type: 'string', default: '30' },
    // Another checkout's built service (e.g. a worktree of the baseline commit), on the same
    // database, for before/after figures from one sitting.
    root: { type: 'string' },
  },
});

/** CPU time (user + system) the process has used, from /proc: the child is not ours to ask. */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

async function prepareDatabase(service: string): Promise<string> {
  const adminUrl = process.env.POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const url = await ensureDatabase(adminUrl, `hub_profile_${service.replaceAll('-', '_')}`);
  const serviceDir = join(ROOT, 'services', service);
  await migrateDeploy({ serviceDir, databaseUrl: url });
  // Each service's built entry exports its idempotent demo-data loader (defineService's seed);
  // loaded by path since the bench depends on no service's code.
  const app = (await import(pathToFileURL(join(serviceDir, 'dist', 'app.js')).href)) as {
    seedDemoData(access: { databaseUrl: string }): Promise<unknown>;
  };
  await app.seedDemoData({ databaseUrl: url });
  return url;
}

async function waitReady(origin: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the service exited; see ${logFile}`);
    const status = await fetch(`${origin}/_readiness`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await sleep(100);
  }
  throw new Error(`the service was not ready within 30 s; see ${logFile}`);
}

/** The headers of a gateway call for an anonymous client, as the gateway signs them. */
function gatewayHeaders(secret: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-hub-gateway-credential': secret,
    [IDENTITY_HEADER]: signForwardedIdentity(
      { identity: null, clientAddress: '127.0.0.1' },
      secret,
    ),
  };
}

function load(url: string, body: string, secret: string, seconds: number) {
  return autocannon({
    url,
    method: 'POST',
    connections: Number(options.connections),
    duration: seconds,
    // A fresh signature per run: the header is valid for 60 s.
    headers: gatewayHeaders(secret),
    body,
  });
}

async function main() {
  const service = options.service!;
  if (!SERVICES.includes(service)) throw new Error(`unknown service ${service}`);
  const workDir = mkdtempSync(join(tmpdir(), `hub-profile-${service}-`));
  const logFile = join(workDir, 'service.log');
  const databaseUrl = await prepareDatabase(service);
  const secret = randomBytes(16).toString('hex');
  const port = await findFreePort();
  const log = openSync(logFile, 'a');
  const serviceRoot = options.root ?? ROOT;
  const nodeEnv = process.env.NODE_ENV ?? 'production';
  const child = spawn(
    process.execPath,
    [
      ...(options.prof ? ['--cpu-prof', `--cpu-prof-dir=${workDir}`] : []),
      join(serviceRoot, 'services', service, 'dist', 'index.js'),
    ],
    {
      cwd: serviceRoot,
      // Only what a service reads; LOG_LEVEL and NODE_ENV as deployed (info, production: the
      // Dockerfile's) unless the caller sets them.
      env: {
        NODE_ENV: nodeEnv,
        PATH: process.env.PATH,
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        NATS_URL: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
        HUB_NATS_NAMESPACE: 'profile',
        HUB_GATEWAY_SECRET: secret,
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      },
      stdio: ['ignore', log, log],
    },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const origin = `http://127.0.0.1:${port}`;
  const url = `${origin}/graphql`;
  const body = JSON.stringify({ query: options.query });
  const windows: { fromUs: number; toUs: number }[] = [];
  try {
    await waitReady(origin, child, logFile);
    const probe = await fetch(url, { method: 'POST', headers: gatewayHeaders(secret), body });
    const answer = await probe.text();
    if (probe.status !== 200 || answer.includes('"errors"')) {
      throw new Error(`the query failed (${probe.status}): ${answer.slice(0, 500)}`);
    }
    console.log(
      `\n${service} subgraph alone (${serviceRoot}) — ${options.connections} connections`,
    );
    console.log(`query: ${options.query}`);
    console.log(
      `answer: ${answer.length} bytes; LOG_LEVEL ${process.env.LOG_LEVEL ?? 'info'}, NODE_ENV ${nodeEnv}`,
    );
    await load(url, body, secret, Number(options.warmup));
    console.log(
      `${'run'.padEnd(5)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'CPU ms/req'.padStart(11)} ${'CPU %'.padStart(6)} ${'RSS MB'.padStart(7)} ${'errors'.padStart(7)}`,
    );
    for (let run = 1; run <= Number(options.runs); run += 1) {
      const cpuBefore = cpuMsOf(child.pid!);
      const memory = measureUsage(child.pid!);
      const fromUs = monotonicUs();
      const result = await load(url, body, secret, Number(options.duration));
      const toUs = monotonicUs();
      const cpuMs = cpuMsOf(child.pid!) - cpuBefore;
      const peakRssMb = memory.stop().peakRssBytes / 2 ** 20;
      windows.push({ fromUs, toUs });
      const requests = result.requests.total;
      const errors = result.errors + result.non2xx;
      console.log(
        `${String(run).padEnd(5)} ${result.requests.average.toFixed(0).padStart(8)} ${String(result.latency.p50).padStart(7)} ${String(result.latency.p99).padStart(7)} ${(cpuMs / requests).toFixed(3).padStart(11)} ${((cpuMs / ((toUs - fromUs) / 1000)) * 100).toFixed(0).padStart(6)} ${peakRssMb.toFixed(0).padStart(7)} ${String(errors).padStart(7)}`,
      );
    }
    // What the process keeps once the load is over (RSS MB above: the highest sampled during a
    // run): at once, and once V8's memory reducer has given the grown heap back.
    const rssMb = () => (treeUsage(child.pid!).rssBytes / 2 ** 20).toFixed(0);
    const settleS = Number(options.settle);
    const atOnce = rssMb();
    if (settleS > 0) await new Promise((resolve) => setTimeout(resolve, settleS * 1000));
    console.log(
      `RSS after the runs: ${atOnce} MB at once${settleS > 0 ? `, ${rssMb()} MB after ${settleS} s idle` : ''}`,
    );
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  if (options.prof) {
    const file = readdirSync(workDir).find((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error(`no .cpuprofile in ${workDir}`);
    const profile = JSON.parse(readFileSync(join(workDir, file), 'utf8')) as CpuProfile;
    const summary = summarizeProfile(profile, {
      fromUs: windows[0]!.fromUs,
      toUs: windows.at(-1)!.toUs,
    });
    const top = Number(options.top);
    console.log(
      `\nCPU profile of the measured runs: busy ${summary.busyMs.toFixed(0)} ms, idle ${summary.idleMs.toFixed(0)} ms (${join(workDir, file)})`,
    );
    console.log('\nself time by module');
    for (const line of formatSelfTimes(summary.modules, top)) console.log(line);
    console.log('\nself time by function');
    for (const line of formatSelfTimes(summary.functions, top)) console.log(line);
  } else {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
