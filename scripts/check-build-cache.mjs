#!/usr/bin/env node
// Fails when a build just done would not be a full cache hit the next time: a dry run of the
// same build must find every task in Turborepo's cache, and no task may hash files that
// another task of the run writes (Turborepo hashes all inputs before any task runs, so such a
// task misses on every fresh clone). Run after a build: `node scripts/check-build-cache.mjs
// [--filter=…]` (`npm test` does, after its build). Takes a second or two.
import { spawnSync } from 'node:child_process';
import { pnpmCommand, ROOT } from './lib.mjs';

const filters = process.argv.slice(2).filter((arg) => arg.startsWith('--filter='));
const [bin, ...pre] = pnpmCommand();
const dry = spawnSync(bin, [...pre, 'exec', 'turbo', 'run', 'build', '--dry=json', ...filters], {
  cwd: ROOT,
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
if (dry.status !== 0) {
  console.error(`[hub] turbo run build --dry=json failed (exit ${dry.status}):\n${dry.stderr}`);
  process.exit(1);
}
const { findBuildCacheProblems } = await import('@hub/dev-infra');
const dryRun = JSON.parse(dry.stdout);
const problems = findBuildCacheProblems(dryRun);
const counted = dryRun.tasks.filter((task) => task.command !== '<NONEXISTENT>').length;
if (problems.length > 0) {
  console.error(`[hub] build cache: ${problems.length} problem(s) in ${counted} tasks:`);
  for (const { taskId, reason } of problems) console.error(`[hub]   ${taskId}: ${reason}`);
  console.error(
    '[hub] a second build with nothing changed would run these again; see docs/performance.md, "Start-up"',
  );
  process.exit(1);
}
console.log(`[hub] build cache: all ${counted} tasks would be cache hits`);
