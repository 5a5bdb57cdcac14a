/** Figures of `npm run bench gateways`: one run's measurements, their summary and the tables. */

export type RunFigures = {
  requests: number;
  durationS: number;
  p50: number;
  p99: number;
  /** Socket errors, non-2xx answers and answers carrying GraphQL errors. */
  errors: number;
  /** CPU time of the gateway process over the run; undefined for a subgraph measured direct. */
  cpuMs?: number;
  peakRssBytes?: number;
  /** CPU time of the subgraphs' process (the launcher's, all five) over the run. */
  subgraphsCpuMs?: number;
};

export type Summary = {
  runs: number;
  reqPerS: number;
  p50: number;
  p99: number;
  errors: number;
  /** Gateway CPU per answered request, in ms. */
  cpuMsPerRequest?: number;
  peakRssMb?: number;
  /** The subgraphs' CPU per answered request, in ms (all calls the request made). */
  subgraphsCpuMsPerRequest?: number;
};

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * Several alternated runs of one gateway on one query: req/s, p50 and p99 are the means of the
 * runs; CPU per request is the CPU of all runs over their requests; RSS is the highest seen.
 */
export function summarize(runs: RunFigures[]): Summary {
  if (runs.length === 0) throw new Error('no runs to summarize');
  const requests = runs.reduce((sum, run) => sum + run.requests, 0);
  const cpu = runs.map((run) => run.cpuMs).filter((value) => value !== undefined);
  const rss = runs.map((run) => run.peakRssBytes).filter((value) => value !== undefined);
  const subgraphs = runs.map((run) => run.subgraphsCpuMs).filter((value) => value !== undefined);
  return {
    runs: runs.length,
    reqPerS: mean(runs.map((run) => run.requests / run.durationS)),
    p50: mean(runs.map((run) => run.p50)),
    p99: mean(runs.map((run) => run.p99)),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    ...(cpu.length === runs.length &&
      requests > 0 && { cpuMsPerRequest: cpu.reduce((sum, value) => sum + value, 0) / requests }),
    ...(rss.length > 0 && { peakRssMb: Math.max(...rss) / 2 ** 20 }),
    ...(subgraphs.length === runs.length &&
      requests > 0 && {
        subgraphsCpuMsPerRequest: subgraphs.reduce((sum, value) => sum + value, 0) / requests,
      }),
  };
}

/** `a / b` to two decimals, or a dash when there is nothing to compare. */
export function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || b === 0) return '–';
  return `${(a / b).toFixed(2)}×`;
}

const cell = (value: number | undefined, digits: number) =>
  value === undefined ? '–' : value.toFixed(digits);

/** One markdown row per target of a query: the table docs/performance.md records. */
export function figuresTable(rows: { query: string; target: string; summary: Summary }[]): string {
  const lines = [
    '| query | target | req/s | p50 ms | p99 ms | gateway CPU ms/req | gateway RSS MB | subgraphs CPU ms/req | errors |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { query, target, summary } of rows) {
    lines.push(
      `| ${query} | ${target} | ${cell(summary.reqPerS, 0)} | ${cell(summary.p50, 1)} | ${cell(summary.p99, 1)} | ${cell(summary.cpuMsPerRequest, 2)} | ${cell(summary.peakRssMb, 0)} | ${cell(summary.subgraphsCpuMsPerRequest, 2)} | ${summary.errors} |`,
    );
  }
  return lines.join('\n');
}

/**
 * The project gateway against each Hive run: req/s (higher is better for the project), p99,
 * CPU per request and RSS (lower is better for the project), as project ÷ Hive.
 */
export function ratiosTable(
  rows: { query: string; project: Summary; hive: Summary; hiveNoDedup: Summary }[],
): string {
  const lines = [
    '| query | req/s project÷Hive | req/s project÷Hive no-dedup | p99 project÷Hive | p99 project÷Hive no-dedup | CPU/req project÷Hive | RSS project÷Hive |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { query, project, hive, hiveNoDedup } of rows) {
    lines.push(
      `| ${query} | ${ratio(project.reqPerS, hive.reqPerS)} | ${ratio(project.reqPerS, hiveNoDedup.reqPerS)} | ${ratio(project.p99, hive.p99)} | ${ratio(project.p99, hiveNoDedup.p99)} | ${ratio(project.cpuMsPerRequest, hive.cpuMsPerRequest)} | ${ratio(project.peakRssMb, hive.peakRssMb)} |`,
    );
  }
  return lines.join('\n');
}

/**
 * Where two answers to the same request first differ, for the byte-identity check; undefined
 * when they are the same bytes.
 */
export function firstDifference(a: string, b: string): string | undefined {
  if (a === b) return undefined;
  let at = 0;
  while (at < a.length && at < b.length && a[at] === b[at]) at += 1;
  const around = (text: string) => JSON.stringify(text.slice(Math.max(0, at - 40), at + 40));
  return `at byte ${at}: ${around(a)} vs ${around(b)}`;
}
