#!/usr/bin/env node
// Times `npm start` (docs/performance.md, "Start-up"): runs it in this checkout, prints each
// line with the seconds since the command, then the seconds until the launcher's "ready" line
// and Turborepo's cached-task count, and stops it as Ctrl-C would. Plain Node: on a fresh
// clone it runs before anything is installed.
import { spawn } from 'node:child_process';
import { ROOT } from './lib.mjs';

const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
// Its own process group, so the SIGINT below reaches npm, the launcher and its children alike.
const child = spawn('npm', ['start'], {
  cwd: ROOT,
  detached: true,
  stdio: ['ignore', 'pipe', 'pipe'],
});
let cached = '?';
let ready = null;
let pending = '';
const scan = (chunk) => {
  const lines = (pending + chunk.toString()).split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) {
    console.log(`${seconds().padStart(6)} ${line}`);
    cached = /Cached:\s+(\d+ cached, \d+ total)/.exec(line)?.[1] ?? cached;
    if (ready === null && /\[hub\] ready in/.test(line)) {
      ready = seconds();
      setTimeout(() => process.kill(-child.pid, 'SIGINT'), 200);
    }
  }
};
child.stdout.on('data', scan);
child.stderr.on('data', scan);
const limit = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), 15 * 60_000);
child.on('exit', () => {
  clearTimeout(limit);
  console.log(`[time-start] ready ${ready ?? 'never'} s after \`npm start\`; turbo: ${cached}`);
  process.exitCode = ready === null ? 1 : 0;
});
