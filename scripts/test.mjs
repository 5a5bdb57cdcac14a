#!/usr/bin/env node
// `npm test`: make sure Debian's Chromium is there for the browser test, install, build, make
// sure PostgreSQL and NATS are there (start embedded ones if this machine has none, or say
// exactly what is missing), then lint, typecheck and run every package's tests — unit and
// integration — against them.
import { join } from 'node:path';
import {
  ensureChromium,
  installAndBuild,
  log,
  pnpmCommand,
  ROOT,
  runCountingTests,
  runOrExit,
} from './lib.mjs';

const started = performance.now();
// The browser test needs Debian's Chromium: installed now (as root) or the run stops here,
// saying how — never a skipped test.
if (!(await ensureChromium())) process.exit(1);
await installAndBuild();
const [bin, ...pre] = pnpmCommand();
// A second build with nothing changed must be all cache hits (issue 9): fail here, naming the
// tasks, rather than let start-up slow down unnoticed.
log('build cache check');
await runOrExit(process.execPath, [join(ROOT, 'scripts', 'check-build-cache.mjs')]);

const { ensureTestInfra } = await import('@hub/dev-infra');
let infra;
try {
  infra = await ensureTestInfra({ dataDir: join(ROOT, '.hub-data', 'test'), requireNats: true });
} catch (error) {
  console.error(`[hub] cannot run the tests: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
log(`test infrastructure: ${infra.describe}`);
const env = {
  ...process.env,
  TEST_DATABASE_URL: infra.postgresAdminUrl,
  NATS_URL: infra.natsUrl,
  NODE_ENV: 'test',
};

let code = 1;
let totals = { passed: 0, failed: 0, skipped: 0 };
try {
  log('lint (biome) + typecheck + tests (turbo)');
  // Two at a time: the machines have two cores, and each jest run is a process of its own.
  ({ code, totals } = await runCountingTests(
    bin,
    [
      ...pre,
      'exec',
      'turbo',
      'run',
      'lint',
      'lint:root',
      'typecheck',
      'test',
      '--concurrency=2',
      '--continue',
      '--output-logs=new-only',
    ],
    { env },
  ));
} finally {
  // Embedded servers this run started must not outlive it.
  await infra.stop();
}
log(
  `${code === 0 ? 'all passed' : 'FAILED'} in ${((performance.now() - started) / 1000).toFixed(0)}s`,
);
// One plain closing line with the totals over every package's jest run.
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(code);
