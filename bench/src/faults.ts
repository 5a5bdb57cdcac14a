/**
 * `npm run bench faults`: the fault benchmark. Each service and the gateway run as processes
 * of their own (`node services/<name>/dist/index.js`, `node gateway/dist/index.js`) on fresh
 * databases of the machine's PostgreSQL and on the harness's own nats-server; sign-ups go
 * through the gateway at a fixed rate while faults are injected; then it counts what was lost,
 * doubled, stuck or wedged, and how long effects took during and after the faults.
 * Knobs: FAULTS_OPERATIONS, FAULTS_RATE, FAULTS_EXPERIMENTS, … (faults/config.ts, README).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findNatsServerBinary, isTcpReachable } from '@hub/dev-infra';
import pg from 'pg';
import { type FaultsConfig, readFaultsConfig, seededRandom } from './faults/config.js';
import { isSettled } from './faults/count.js';
import { RunDatabases, SERVICES, type ServiceName } from './faults/databases.js';
import { type Experiment, experimentNamed } from './faults/inject.js';
import { runLoad, warmUp } from './faults/load.js';
import { FactReader } from './faults/measure.js';
import { type HarnessNats, startHarnessNats } from './faults/nats.js';
import { watchRecovery } from './faults/probe.js';
import { type ExperimentResult, printResults } from './faults/report.js';
import { type ProcessStack, startProcessStack } from './faults/stack.js';

const ROOT = new URL('../../', import.meta.url).pathname;
/** Load before the first fault, for a baseline, and after the last, for the "after" numbers. */
const LEAD_MS = 2_000;
const TAIL_MS = 8_000;
const WARM_UP_SIGN_UPS = 10;

export async function runFaults(): Promise<void> {
  const config = readFaultsConfig();
  const experiments = config.experiments.map((name) =>
    experimentNamed(name, config.pgServices.map(asService)),
  );
  const postgres = new URL(config.postgresUrl);
  if (!(await isTcpReachable(postgres.hostname, Number(postgres.port || 5432)))) {
    throw new Error(`the fault benchmark needs PostgreSQL at ${config.postgresUrl}`);
  }
  if (!findNatsServerBinary()) throw new Error('the fault benchmark needs nats-server on PATH');

  const runId = randomBytes(3).toString('hex');
  const runDir = mkdtempSync(join(tmpdir(), 'hub-faults-'));
  const databases = new RunDatabases(`hub_faults_${runId}`, config.postgresUrl, ROOT);
  const running = new Set<() => Promise<unknown>>();
  const cleanUp = async () => {
    for (const stop of [...running].reverse()) await stop().catch(() => {});
    await databases.dropAll().catch((error: unknown) => {
      console.error(`could not drop the ${databases.prefix}_* databases:`, error);
    });
    if (config.keepLogs) console.log(`logs kept in ${runDir}`);
    else rmSync(runDir, { recursive: true, force: true });
  };
  // Ctrl-C mid-run still stops the processes and drops the databases.
  const onSignal = () => {
    console.error('\ninterrupted: cleaning up');
    cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    await printPreamble(config, databases.prefix, runId);
    const started = Date.now();
    await databases.createTemplates();
    console.log(`migrated template databases in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const results: ExperimentResult[] = [];
    const failed: string[] = [];
    for (const [index, experiment] of experiments.entries()) {
      // One experiment that cannot run (a process that does not start) must not cost the rest.
      try {
        const result = await runExperiment({
          experiment,
          tag: `e${index + 1}`,
          config,
          databases,
          runDir,
          runId,
          running,
        });
        console.log(
          `  ${experiment.name}: done in ${(result.durationMs / 1000).toFixed(0)} s (${result.faults})`,
        );
        results.push(result);
      } catch (error) {
        console.error(`  ${experiment.name}: could not be run —`, error);
        failed.push(experiment.name);
      }
    }
    printResults(results);
    console.log(`\nwhole run: ${((Date.now() - started) / 1000).toFixed(0)} s`);
    if (failed.length > 0) {
      throw new Error(`experiments that could not be run: ${failed.join(', ')}`);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanUp();
  }
}

async function runExperiment(options: {
  experiment: Experiment;
  tag: string;
  config: FaultsConfig;
  databases: RunDatabases;
  runDir: string;
  runId: string;
  running: Set<() => Promise<unknown>>;
}): Promise<ExperimentResult> {
  const { experiment, tag, config, databases, running } = options;
  const began = Date.now();
  // Other work on this shared machine starves the services as surely as a fault: keep the
  // highest 1-minute load average seen, so the report can say when numbers are suspect.
  let maxLoad = loadavg()[0]!;
  const loadSampler = setInterval(() => {
    maxLoad = Math.max(maxLoad, loadavg()[0]!);
  }, 2_000);
  const dir = join(options.runDir, tag);
  mkdirSync(join(dir, 'nats'), { recursive: true });
  const gatewaySecret = randomBytes(24).toString('hex');

  const databaseUrls = await databases.createFor(tag);
  const dropDatabases = () => databases.dropFor(tag);
  running.add(dropDatabases);
  let nats: HarnessNats | undefined;
  let stack: ProcessStack | undefined;
  let facts: FactReader | undefined;
  const stopNats = () => nats?.stop() ?? Promise.resolve();
  const stopStack = () => stack?.stop() ?? Promise.resolve([]);
  running.add(stopNats);
  running.add(stopStack);
  try {
    nats = await startHarnessNats(join(dir, 'nats'));
    stack = await startProcessStack({
      root: ROOT,
      logDir: dir,
      databaseUrls,
      nats,
      natsNamespace: `faults-${options.runId}-${tag}`,
      gatewaySecret,
    });
    facts = new FactReader(databaseUrls, nats);

    // The load covers the faults plus a lead and a tail; FAULTS_OPERATIONS may stretch it.
    const neededMs = LEAD_MS + experiment.minSpanMs + TAIL_MS;
    const needed = Math.ceil((neededMs / 1000) * config.rate);
    const operations = Math.max(config.operations ?? needed, needed);
    const windowMs = (operations / config.rate) * 1000;
    const warmedUp = await warmUp(stack.gatewayUrl, WARM_UP_SIGN_UPS, `${options.runId}-${tag}`);
    await facts.settle(
      { acknowledgedSignUps: warmedUp, acknowledgedErasures: [], warmUp: [] },
      { start: Date.now(), end: Date.now() },
      Date.now() + 10_000,
    );
    const load = runLoad({
      gatewayUrl: stack.gatewayUrl,
      operations,
      rate: config.rate,
      eraseEvery: config.eraseEvery,
      tag: `${options.runId}-${tag}`,
    });
    await sleep(LEAD_MS);
    const faultsStartedAt = Date.now();
    const faults = await experiment.inject(
      {
        stack,
        nats,
        postgresUrl: config.postgresUrl,
        databasesOf: (services) => databases.namesFor(tag, services),
        random: seededRandom(config.seed + tag.length * 7919 + experiment.name.length),
      },
      windowMs - LEAD_MS - TAIL_MS,
    );
    const faultsEndedAt = Date.now();
    const boundAt = faultsEndedAt + config.settleSeconds * 1000;
    const recovery = watchRecovery(stack, {
      faultsEndedAt,
      recoveryMs: config.recoveryMs,
      boundAt,
      gatewaySecret,
    });
    const loadResult = await load;
    const loadEndedAt = Date.now();
    const settleBy = Math.max(boundAt, loadEndedAt + config.settleSeconds * 1000);
    const [recoveries, counts] = await Promise.all([
      recovery,
      facts.settle(
        {
          acknowledgedSignUps: loadResult.signUps.flatMap((signUp) =>
            signUp.memberId ? [signUp.memberId] : [],
          ),
          acknowledgedErasures: loadResult.erasures
            .filter((erasure) => erasure.isAcknowledged)
            .map((erasure) => erasure.memberId),
          warmUp: warmedUp,
        },
        { start: faultsStartedAt, end: faultsEndedAt },
        settleBy,
      ),
    ]);
    // Read before stopping: how long after the load everything was in place (or the bound).
    const settledAfterMs = isSettled(counts) ? facts.settledAt - loadEndedAt : undefined;
    const stopped = await stack.stop();
    return {
      name: experiment.name,
      faults,
      load: loadResult,
      counts,
      recoveries,
      stopped,
      crashes: stack.unexpectedExits(),
      settledAfterMs,
      atLoadEnd: facts.firstCounts,
      maxLoad,
      note:
        config.operations !== undefined && operations > config.operations
          ? `operations raised from ${config.operations} to ${operations} to cover the faults`
          : undefined,
      durationMs: Date.now() - began,
    };
  } finally {
    clearInterval(loadSampler);
    await facts?.close();
    await stopStack();
    await stopNats();
    await dropDatabases();
    running.delete(stopStack);
    running.delete(stopNats);
    running.delete(dropDatabases);
  }
}

function asService(name: string): ServiceName {
  if (!(SERVICES as readonly string[]).includes(name)) {
    throw new Error(`FAULTS_PG_SERVICES: unknown service '${name}' (${SERVICES.join(', ')})`);
  }
  return name as ServiceName;
}

/** The command, the commit and the machine, as docs/reliability.md records them. */
async function printPreamble(config: FaultsConfig, prefix: string, runId: string): Promise<void> {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  const commit = git('rev-parse', '--short', 'HEAD') || 'unknown';
  const isDirty = git('status', '--porcelain', '--untracked-files=no') !== '';
  const client = new pg.Client({ connectionString: config.postgresUrl });
  await client.connect();
  const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
  await client.end();
  let natsVersion = '';
  try {
    natsVersion = execFileSync(findNatsServerBinary()!, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    natsVersion = 'nats-server (version unknown)';
  }
  console.log(`\nCoworking Hub fault benchmark — run ${runId}`);
  console.log(`  commit ${commit}${isDirty ? ' (with uncommitted changes)' : ''}`);
  console.log(
    `  machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, PostgreSQL ${rows[0]?.server_version}, ${natsVersion}`,
  );
  console.log(
    `  experiments: ${config.experiments.join(', ')}; ${config.operations ?? 'as many sign-ups as each needs'} at ${config.rate}/s, every ${config.eraseEvery}th erased; settle ${config.settleSeconds} s; seed ${config.seed}`,
  );
  console.log(
    `  databases ${prefix}_*, dropped at the end; each experiment on its own nats-server`,
  );
}
