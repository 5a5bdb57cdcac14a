import { setTimeout as sleep } from 'node:timers/promises';
import { SERVICES } from './databases.js';
import { originOf, type ProcessStack, type Target } from './stack.js';

/** A probe that has not answered within this long has hung. */
const PROBE_DEADLINE_MS = 2_000;
const PROBE_INTERVAL_MS = 200;
/** After the recovery deadline, readiness and GraphQL are compared for this long. */
const VERDICT_WINDOW_MS = 3_000;

// A query per subgraph that reads its own database (an empty list is an answer): a process
// whose pool hands out no connection cannot answer it, even if `{ __typename }` would work.
const DATABASE_QUERIES: Record<Target, string> = {
  spaces: '{ spaces(first: 1) { nodes { id } } }',
  members: '{ organizations(first: 1) { edges { node { id } } } }',
  events: '{ events(first: 1) { nodes { id } } }',
  matching: '{ workOrders(first: 1) { nodes { id } } }',
  'support-programs': '{ programs(first: 1) { nodes { id } } }',
  gateway: '{ __typename }',
};

export type WedgeReason =
  | 'no GraphQL answer'
  | 'readiness says ready, GraphQL fails'
  | 'readiness hangs';

export type Recovery = {
  target: Target;
  /**
   * ms from the end of the faults to the first probe it answered over GraphQL (timed from when
   * that probe was sent); undefined = none within the bound.
   */
  graphqlAfterMs?: number;
  /** The same for its first readiness 200. */
  readyAfterMs?: number;
  wedged?: WedgeReason;
  /** Its readiness hung at least once in the verdict window (whatever made it wedged). */
  readinessHung?: true;
};

export type ReadinessAnswer =
  | { kind: 'status'; status: number }
  | { kind: 'hung' }
  | { kind: 'refused' };

/** One probe round: GraphQL and readiness asked together, `sentAt` ms after the faults ended. */
export type ProbeRound = { sentAt: number; answersGraphql: boolean; readiness: ReadinessAnswer };

/**
 * The verdict on one target from its probe rounds. Wedged if it did not answer GraphQL within
 * `recoveryMs`, or if during the verdict window after that its readiness lied (200 while its
 * GraphQL failed in the same round) or hung (no answer within the probe deadline — a refused
 * connection is an answer: the process is gone, which the GraphQL rule counts).
 */
export function judgeRecovery(
  target: Target,
  rounds: readonly ProbeRound[],
  recoveryMs: number,
  verdictWindowMs = VERDICT_WINDOW_MS,
): Recovery {
  const recovery: Recovery = { target };
  recovery.graphqlAfterMs = rounds.find((round) => round.answersGraphql)?.sentAt;
  recovery.readyAfterMs = rounds.find(isReady)?.sentAt;
  const verdict = rounds.filter(
    (round) => round.sentAt >= recoveryMs && round.sentAt < recoveryMs + verdictWindowMs,
  );
  const hasHung = verdict.some((round) => round.readiness.kind === 'hung');
  if (hasHung) recovery.readinessHung = true;
  if (recovery.graphqlAfterMs === undefined || recovery.graphqlAfterMs > recoveryMs) {
    recovery.wedged = 'no GraphQL answer';
  } else if (hasHung) {
    recovery.wedged = 'readiness hangs';
  } else if (verdict.some((round) => isReady(round) && !round.answersGraphql)) {
    recovery.wedged = 'readiness says ready, GraphQL fails';
  }
  return recovery;
}

const isReady = (round: ProbeRound) =>
  round.readiness.kind === 'status' && round.readiness.status === 200;

/**
 * Probes every process from the moment the faults end (see judgeRecovery), until both of its
 * recovery times are known and the verdict window has passed, or `boundAt`.
 */
export async function watchRecovery(
  stack: ProcessStack,
  options: { faultsEndedAt: number; recoveryMs: number; boundAt: number; gatewaySecret: string },
): Promise<Recovery[]> {
  const targets: Target[] = [...SERVICES, 'gateway'];
  return Promise.all(targets.map((target) => watchOne(stack, target, options)));
}

async function watchOne(
  stack: ProcessStack,
  target: Target,
  options: { faultsEndedAt: number; recoveryMs: number; boundAt: number; gatewaySecret: string },
): Promise<Recovery> {
  const rounds: ProbeRound[] = [];
  const since = () => Date.now() - options.faultsEndedAt;
  const url = target === 'gateway' ? stack.gatewayUrl : stack.serviceUrls[target];
  const readinessUrl = `${originOf(stack, target)}/_readiness`;
  const headers: Record<string, string> =
    target === 'gateway' ? {} : { 'x-hub-gateway-credential': options.gatewaySecret };
  for (;;) {
    // Timed from when the probe was sent: a target that never stopped answering recovered
    // at 0, whatever the probe's own round trip on a busy machine.
    const sentAt = since();
    const [answersGraphql, readiness] = await Promise.all([
      graphqlAnswers(url, DATABASE_QUERIES[target], headers),
      askReadiness(readinessUrl),
    ]);
    rounds.push({ sentAt, answersGraphql, readiness });
    const isKnown = rounds.some((round) => round.answersGraphql) && rounds.some(isReady);
    const isPastVerdict = since() >= options.recoveryMs + VERDICT_WINDOW_MS;
    if ((isKnown && isPastVerdict) || Date.now() >= options.boundAt) break;
    await sleep(PROBE_INTERVAL_MS);
  }
  return judgeRecovery(target, rounds, options.recoveryMs);
}

async function graphqlAnswers(
  url: string,
  query: string,
  headers: Record<string, string>,
): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
      signal: AbortSignal.timeout(PROBE_DEADLINE_MS),
    });
    const body = (await response.json()) as { data?: unknown; errors?: unknown[] };
    return response.status === 200 && body.data != null && !body.errors?.length;
  } catch {
    return false;
  }
}

async function askReadiness(url: string): Promise<ReadinessAnswer> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_DEADLINE_MS) });
    await response.arrayBuffer();
    return { kind: 'status', status: response.status };
  } catch (error) {
    return (error as Error).name === 'TimeoutError' ? { kind: 'hung' } : { kind: 'refused' };
  }
}
