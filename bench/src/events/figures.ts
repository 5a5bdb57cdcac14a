/**
 * The pure parts of the event-rate bench: how many events are due at a moment of an open-loop
 * schedule, and what the commit and effect times of a run add up to.
 */

/** Events due by `elapsedMs` at `ratePerS` for a run of `durationS` (open loop: never fewer). */
export function dueBy(elapsedMs: number, ratePerS: number, durationS: number): number {
  const total = Math.floor(ratePerS * durationS);
  return Math.min(total, Math.floor((elapsedMs / 1000) * ratePerS));
}

/** The value at quantile `q` (0–1) of sorted `values`: the nearest rank. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export type EventRunFigures = {
  committed: number;
  /** Committed events whose effect never appeared. */
  lost: number;
  /** Deliveries beyond the first of an event (redeliveries the inbox absorbed). */
  redeliveries: number;
  /** Effects written more than once for one event (the inbox should make this 0). */
  duplicateEffects: number;
  /** Commits per second over the publishing window. */
  achievedRate: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
};

export type EventRunInput = {
  /** Commit time per event (ms, one clock). */
  commits: Map<string, number>;
  /** First effect time per event (same clock). */
  effects: Map<string, number>;
  deliveries: Map<string, number>;
  /** Effect rows per event, counted in the consumer's database. */
  effectRows: Map<string, number>;
  publishWindowMs: number;
};

/** Commit → effect latency of each event, and what was lost or duplicated. */
export function eventRunFigures(input: EventRunInput): EventRunFigures {
  const latencies: number[] = [];
  let lost = 0;
  for (const [id, committedAt] of input.commits) {
    const effectAt = input.effects.get(id);
    if (effectAt === undefined || !input.effectRows.has(id)) lost += 1;
    else latencies.push(effectAt - committedAt);
  }
  latencies.sort((a, b) => a - b);
  let redeliveries = 0;
  for (const count of input.deliveries.values()) redeliveries += count - 1;
  let duplicateEffects = 0;
  for (const count of input.effectRows.values()) duplicateEffects += count - 1;
  return {
    committed: input.commits.size,
    lost,
    redeliveries,
    duplicateEffects,
    achievedRate:
      input.publishWindowMs > 0 ? input.commits.size / (input.publishWindowMs / 1000) : 0,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    p99: quantile(latencies, 0.99),
    max: latencies.at(-1) ?? Number.NaN,
  };
}
