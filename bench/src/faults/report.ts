import { cpus } from 'node:os';
import { type Counts, percentile, totalDoubled, totalLost, totalStuck } from './count.js';
import type { LoadResult } from './load.js';
import type { Recovery } from './probe.js';
import { RESTART_DELAY_MS, type StopOutcome, type UnexpectedExit } from './process.js';

export type ExperimentResult = {
  name: string;
  faults: string;
  load: LoadResult;
  counts: Counts;
  recoveries: Recovery[];
  stopped: StopOutcome[];
  crashes: UnexpectedExit[];
  /** ms from the end of the load until every effect was in place and nothing pending. */
  settledAfterMs?: number;
  /** The counts when the load ended, before settling. */
  atLoadEnd?: Counts;
  /** Highest 1-minute load average during the experiment (the machine is shared). */
  maxLoad: number;
  /** Why the operation count differs from FAULTS_OPERATIONS, if it does. */
  note?: string;
  durationMs: number;
};

/**
 * The benchmark's own processes kept a 2-core machine's 1-minute load average at 2.3–4.0 when
 * nothing else ran; well above that, others' work is taking the cores the services need (at
 * 25 sign-ups/s argon2 alone needs about 0.6 of a core in members).
 */
const OVERLOADED_PER_CORE = 4;

const latency = (values: number[]) => {
  const p50 = percentile(values, 0.5);
  const p99 = percentile(values, 0.99);
  return p50 === undefined || p99 === undefined ? '—' : `${ms(p50)} / ${ms(p99)}`;
};
const ms = (value: number) => (value < 10 ? value.toFixed(1) : Math.round(value).toString());
const seconds = (value: number | undefined) =>
  value === undefined ? '—' : `${(value / 1000).toFixed(1)} s`;

function row(cells: (string | number)[]): string {
  return `| ${cells.join(' | ')} |`;
}

function slowest(recoveries: Recovery[], key: 'graphqlAfterMs' | 'readyAfterMs') {
  const values = recoveries.map((recovery) => recovery[key]);
  return values.some((value) => value === undefined)
    ? undefined
    : Math.max(...(values as number[]));
}

/** Markdown tables (so docs/reliability.md takes them as printed) and a detail list. */
export function printResults(results: ExperimentResult[]): void {
  console.log(
    `\n${row([
      'experiment',
      'operations',
      'acknowledged',
      'lost',
      'doubled',
      'stuck',
      'wedged',
      'crashed',
      'recovery GraphQL / ready',
      'effect p50 / p99 ms during',
      'effect p50 / p99 ms after',
    ])}`,
  );
  console.log(
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
  );
  for (const result of results) {
    const { load, counts, recoveries } = result;
    const operations = load.signUps.length + load.erasures.length;
    const acknowledged =
      load.signUps.filter((signUp) => signUp.memberId).length +
      load.erasures.filter((erasure) => erasure.isAcknowledged).length;
    const wedged = recoveries.filter((recovery) => recovery.wedged).length;
    console.log(
      row([
        result.name,
        operations,
        acknowledged,
        totalLost(counts),
        totalDoubled(counts),
        totalStuck(counts) + (counts.stuck.consumerPending === null ? ' (+?)' : ''),
        wedged,
        result.crashes.length,
        `${seconds(slowest(recoveries, 'graphqlAfterMs'))} / ${seconds(slowest(recoveries, 'readyAfterMs'))}`,
        latency(counts.latency.registration.during),
        latency(counts.latency.registration.after),
      ]),
    );
  }
  console.log(
    '\nEffect = `member.registered` outbox commit → matching’s worker effect (its inbox row). Erasure fan-out = `member.erased` outbox commit → the last of the four other services’ inbox rows:',
  );
  console.log(
    `\n${row(['experiment', 'registration before', 'erasure fan-out before', 'erasure fan-out during', 'erasure fan-out after'])}`,
  );
  console.log(row(['---', '---:', '---:', '---:', '---:']));
  for (const result of results) {
    const { registration, erasure } = result.counts.latency;
    console.log(
      row([
        result.name,
        latency(registration.before),
        latency(erasure.before),
        latency(erasure.during),
        latency(erasure.after),
      ]),
    );
  }
  console.log('');
  for (const result of results) console.log(describe(result));
}

function describe(result: ExperimentResult): string {
  const { load, counts } = result;
  const lines = [
    `- **${result.name}** (${(result.durationMs / 1000).toFixed(0)} s, load average up to ${result.maxLoad.toFixed(1)} on ${cpus().length} cores${result.maxLoad > OVERLOADED_PER_CORE * cpus().length ? ' — overloaded: other work competed for the cores, timings and wedged verdicts are suspect' : ''}): ${result.faults}.`,
  ];
  const signUpsAcked = load.signUps.filter((signUp) => signUp.memberId).length;
  const erasuresAcked = load.erasures.filter((erasure) => erasure.isAcknowledged).length;
  lines.push(
    `  sign-ups ${signUpsAcked}/${load.signUps.length} acknowledged, erasures ${erasuresAcked}/${load.erasures.length}` +
      failures([...load.signUps, ...load.erasures].map((outcome) => outcome.failure)) +
      (counts.appliedButUnacknowledged > 0
        ? `; ${counts.appliedButUnacknowledged} sign-ups committed but not acknowledged (answer lost, not counted)`
        : '') +
      (result.note ? `; ${result.note}` : ''),
  );
  lines.push(
    result.settledAfterMs === undefined
      ? '  not settled within the bound: the counts below are as of then'
      : `  everything in place and nothing pending ${seconds(result.settledAfterMs)} after the load ended${outstanding(result.atLoadEnd)}`,
  );
  const { registrations, erasures } = counts.lost;
  if (registrations.length + erasures.length > 0) {
    lines.push(
      `  lost: ${registrations.length} registrations, ${erasures.length} erasures (e.g. member ${[...registrations, ...erasures][0]})`,
    );
  }
  if (totalDoubled(counts) > 0) {
    const { doubled } = counts;
    lines.push(
      `  doubled: ${doubled.registrations} registrations, ${doubled.erasures} erasures, ${doubled.phantoms} effects of unknown events`,
    );
  }
  const { stuck } = counts;
  if (totalStuck(counts) > 0 || stuck.consumerPending === null) {
    lines.push(
      `  stuck: ${stuck.unsentOutbox} outbox rows unsent, ${stuck.consumerPending ?? '?'} messages pending at consumers, ${stuck.deadLetters} dead letters`,
    );
  }
  for (const recovery of result.recoveries.filter((candidate) => candidate.wedged)) {
    lines.push(
      `  wedged: ${recovery.target} — ${recovery.wedged} (GraphQL after ${seconds(recovery.graphqlAfterMs)}, ready after ${seconds(recovery.readyAfterMs)}${recovery.readinessHung ? '; its readiness hung rather than answer 503' : ''})`,
    );
  }
  const crashesByProcess = new Map<string, UnexpectedExit[]>();
  for (const crash of result.crashes) {
    crashesByProcess.set(crash.name, [...(crashesByProcess.get(crash.name) ?? []), crash]);
  }
  for (const [name, crashes] of crashesByProcess) {
    const last = crashes.at(-1)!;
    lines.push(
      `  crashed: ${name} exited by itself ${crashes.length}× (last: ${last.signal ?? `code ${last.code}`}), each time restarted after ${RESTART_DELAY_MS} ms; its log's last error: ${last.logTail}`,
    );
  }
  const forced = result.stopped.filter((outcome) => outcome.forced).map((outcome) => outcome.name);
  if (forced.length > 0) {
    lines.push(`  did not stop within 5 s of SIGTERM (killed): ${forced.join(', ')}`);
  }
  return lines.join('\n');
}

function outstanding(counts: Counts | undefined): string {
  if (!counts || (totalLost(counts) === 0 && totalStuck(counts) === 0)) return '';
  const { unsentOutbox, consumerPending } = counts.stuck;
  return ` (then: ${totalLost(counts)} effects missing, ${unsentOutbox} outbox rows unsent, ${consumerPending ?? '?'} messages pending at consumers)`;
}

function failures(reasons: (string | undefined)[]): string {
  const counted = new Map<string, number>();
  for (const reason of reasons) if (reason) counted.set(reason, (counted.get(reason) ?? 0) + 1);
  if (counted.size === 0) return '';
  const list = [...counted].sort((a, b) => b[1] - a[1]).map(([reason, n]) => `${reason} ${n}`);
  return ` (not acknowledged: ${list.join(', ')})`;
}
