/**
 * `npm run bench [throughput|identity|gateways|directory|passes|assignments|events|faults|ranking]`: runs the named suites (default:
 * throughput and identity) and prints their numbers.
 * - throughput, identity: start the hub (the run command's launcher, in a child process, with
 *   the demo data) on the machine's PostgreSQL if one answers on 127.0.0.1:5432, else the
 *   embedded one — the output says which.
 *     BENCH_DURATION=10 BENCH_CONNECTIONS=16 npm run bench
 * - gateways: the same hub's subgraphs behind the project gateway and Hive Gateway, each a
 *   process of its own (bench/src/gateways.ts); BENCH_REPEATS alternated runs of each.
 * - passes: concurrent pass redemptions through the gateway (bench/src/passes.ts); only when
 *   named. BENCH_PASSES=20 BENCH_USES_PER_PASS=20 npm run bench passes
 * - assignments: concurrent offers and double-tapped acceptances on the matching subgraph, many
 *   per order (its row lock) — latency, per second, and no over-allocation (bench/src/assignments.ts;
 *   PostgreSQL only). ASSIGNMENT_ORDERS=10 ASSIGNMENT_OFFERS_PER_ORDER=20 npm run bench assignments
 * - directory: 10,000 generated spaces in the spaces database (PostgreSQL only), then `near` +
 *   filters + openNow, openAt and text search via the gateway and direct (bench/src/directory.ts).
 *     DIRECTORY_SPACES=10000 BENCH_DURATION=10 npm run bench directory
 * - events: a fixed rate of domain events through the outbox, relay, NATS and an idempotent
 *   consumer, on databases and a nats-server of its own; commit → effect latency per event.
 *     EVENTS_RATE=500 EVENTS_DURATION_S=60 npm run bench events
 * - faults: starts its own processes (one per service, the gateway, nats-server) on fresh
 *   databases; only when named, as it takes minutes and needs PostgreSQL and nats-server.
 *     FAULTS_OPERATIONS=2000 FAULTS_RATE=25 npm run bench faults
 * - ranking: matching's candidate ranking engine in this process over 100,000 synthetic workers
 *   (bench/src/ranking-data.ts), one order with 5 required skills, top 50 explained; then, with
 *   PostgreSQL, the same ranking as SQL and through the matching subgraph over HTTP (its own
 *   database and service, no hub).
 *     RANKING_WORKERS=100000 RANKING_RUNS=300 npm run bench ranking
 */
import { runAssignments } from './assignments.js';
import { runDirectory } from './directory.js';
import { runEvents } from './events.js';
import { runFaults } from './faults.js';
import { runGateways } from './gateways.js';
import { type BenchHub, startBenchHub } from './hub.js';
import { runIdentity } from './identity.js';
import { runPasses } from './passes.js';
import { runRanking } from './ranking.js';
import { runThroughput } from './throughput.js';

const HUB_SUITES: Record<string, (hub: BenchHub) => Promise<void>> = {
  throughput: runThroughput,
  identity: runIdentity,
  gateways: runGateways,
  passes: runPasses,
  directory: runDirectory,
  assignments: runAssignments,
};
// The gateway comparison takes minutes: only when named, like faults.
const DEFAULT_SUITES = ['throughput', 'identity'];
const OWN_SUITES: Record<string, () => Promise<void>> = {
  events: runEvents,
  faults: runFaults,
  ranking: runRanking,
};

async function main() {
  const asked = process.argv.slice(2);
  const known = [...Object.keys(HUB_SUITES), ...Object.keys(OWN_SUITES)];
  const unknown = asked.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    console.error(`unknown suite(s): ${unknown.join(', ')} — choose from ${known.join(', ')}`);
    process.exit(2);
  }
  const names = asked.length > 0 ? asked : DEFAULT_SUITES;
  const hubSuites = names.filter((name) => name in HUB_SUITES);
  if (hubSuites.length > 0) {
    const hub = await startBenchHub();
    try {
      console.log(
        `\nCoworking Hub benchmark — ${hub.usePostgres ? 'PostgreSQL 127.0.0.1:5432' : 'embedded PGlite'}`,
      );
      for (const name of hubSuites) await HUB_SUITES[name]!(hub);
    } finally {
      await hub.stop();
    }
  }
  for (const name of names.filter((candidate) => candidate in OWN_SUITES)) {
    await OWN_SUITES[name]!();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
