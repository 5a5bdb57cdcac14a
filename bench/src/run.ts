/**
 * `npm run bench [throughput|identity]`: starts the hub (the run command's launcher, in a child
 * process, with the demo data), runs the named suites (default: all) and prints their numbers.
 * Uses the machine's PostgreSQL if one answers on 127.0.0.1:5432 (as on the development
 * machines), else the embedded one — the output says which.
 *   BENCH_DURATION=10 BENCH_CONNECTIONS=16 npm run bench
 */
import { startBenchHub } from './hub.js';
import { runIdentity } from './identity.js';
import { runThroughput } from './throughput.js';

const SUITES = { throughput: runThroughput, identity: runIdentity } as const;

async function main() {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !(name in SUITES));
  if (unknown.length > 0) {
    console.error(
      `unknown suite(s): ${unknown.join(', ')} — choose from ${Object.keys(SUITES).join(', ')}`,
    );
    process.exit(2);
  }
  const names = (asked.length > 0 ? asked : Object.keys(SUITES)) as (keyof typeof SUITES)[];
  const hub = await startBenchHub();
  try {
    console.log(
      `\nCoworking Hub benchmark — ${hub.usePostgres ? 'PostgreSQL 127.0.0.1:5432' : 'embedded PGlite'}`,
    );
    for (const name of names) await SUITES[name](hub);
  } finally {
    await hub.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
