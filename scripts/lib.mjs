// Helpers for the two top-level commands. Plain Node (no dependencies): they run before
// anything is installed.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PNPM_VERSION = '10.34.9';

export function log(line) {
  console.log(`[hub] ${line}`);
}

/** pnpm 10 from PATH if present, else through npm exec (corepack fails on these machines). */
export function pnpmCommand() {
  const found = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (found.status === 0 && found.stdout.trim().startsWith('10.')) return ['pnpm'];
  return ['npm', 'exec', '--yes', `pnpm@${PNPM_VERSION}`, '--'];
}

/** Runs a command with inherited stdio; resolves with its exit code. */
export function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
    // Ctrl-C reaches the whole foreground process group, child included: the parent only
    // waits. SIGTERM is usually sent to the parent alone, so it is passed on.
    const ignore = () => {};
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', ignore);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', ignore);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

export async function runOrExit(command, args, options) {
  const code = await run(command, args, options);
  if (code !== 0) {
    console.error(`[hub] failed: ${command} ${args.join(' ')} (exit ${code})`);
    process.exit(code);
  }
}

/** Install dependencies (skipped when nothing changed since the last install) and build with Turborepo. */
export async function installAndBuild(filters = []) {
  const node = process.versions.node.split('.').map(Number);
  if (node[0] < 20 || (node[0] === 20 && node[1] < 19)) {
    console.error(`[hub] Node.js 20.19+ is required (found ${process.versions.node})`);
    process.exit(1);
  }
  const installed = installStamp();
  const args = ['run', 'build', '--output-logs=errors-only'];
  for (const filter of filters) args.push(`--filter=${filter}`);
  // (Windows' .cmd shims need a shell: there pnpm runs it.)
  if (installed.isCurrent && process.platform !== 'win32') {
    log('dependencies already installed (lockfile and package.json files unchanged)');
    log('building (turbo)');
    // Turborepo's own binary: two pnpm start-ups (finding it, `pnpm exec`) cost ~1 s here.
    await runOrExit(join(ROOT, 'node_modules', '.bin', 'turbo'), args);
    return;
  }
  const [bin, ...pre] = pnpmCommand();
  log('installing dependencies (pnpm install)');
  await runOrExit(bin, [...pre, 'install', '--frozen-lockfile', '--reporter=silent']);
  installed.write();
  log('building (turbo)');
  await runOrExit(bin, [...pre, 'exec', 'turbo', ...args]);
}

const INSTALL_STAMP = join(ROOT, 'node_modules', '.hub-install-stamp');

/**
 * Whether `pnpm install` would change nothing: the stamp written after the last install (in
 * node_modules, so deleting that deletes it) matches the lockfile, the workspace file, every
 * workspace package.json, Node's major version and pnpm's version, and every workspace package
 * still has its node_modules. Saves ~2 s of pnpm's own start-up on each warm start.
 */
export function installStamp() {
  const hash = createHash('sha256');
  hash.update(`node ${process.versions.node.split('.')[0]} pnpm ${PNPM_VERSION}\n`);
  const packageDirs = workspacePackageDirs();
  for (const file of ['pnpm-lock.yaml', 'pnpm-workspace.yaml', 'package.json']) {
    hash.update(`${file}\n`).update(readFileSync(join(ROOT, file)));
  }
  for (const dir of packageDirs) {
    hash.update(`${dir}/package.json\n`).update(readFileSync(join(ROOT, dir, 'package.json')));
  }
  const key = hash.digest('hex');
  const isComplete = packageDirs.every((dir) => existsSync(join(ROOT, dir, 'node_modules')));
  const isCurrent =
    isComplete && existsSync(INSTALL_STAMP) && readFileSync(INSTALL_STAMP, 'utf8') === key;
  return { isCurrent, write: () => writeFileSync(INSTALL_STAMP, key) };
}

/** The workspace packages' folders, from pnpm-workspace.yaml's `packages:` list (`dir` or `dir/*`). */
function workspacePackageDirs() {
  const text = readFileSync(join(ROOT, 'pnpm-workspace.yaml'), 'utf8');
  const list = /^packages:\n((?:[ \t]+- .*\n)+)/m.exec(text)?.[1] ?? '';
  const patterns = [...list.matchAll(/- ["']?([^"'\n]+?)["']?\s*$/gm)].map((match) => match[1]);
  return patterns
    .flatMap((pattern) => {
      if (!pattern.endsWith('/*')) return [pattern];
      const parent = pattern.slice(0, -2);
      return readdirSync(join(ROOT, parent), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => `${parent}/${entry.name}`);
    })
    .filter((dir) => existsSync(join(ROOT, dir, 'package.json')))
    .sort();
}

/**
 * Like run, but also scans the output for jest's "Tests: …" lines and returns the totals, so
 * the test command can end with one plain "N passed, N failed" line.
 */
export function runCountingTests(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      stdio: ['inherit', 'pipe', 'inherit'],
      ...options,
    });
    const totals = { passed: 0, failed: 0, skipped: 0 };
    let pending = '';
    const scan = (line) => {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: strip terminal colours
      const plain = line.replace(/\x1b\[[0-9;]*m/g, '');
      const counts = plain.match(/Tests:\s+(.*) total/);
      if (!counts) return;
      for (const [, n, kind] of counts[1].matchAll(/(\d+) (passed|failed|skipped|todo)/g)) {
        if (kind in totals) totals[kind] += Number(n);
      }
    };
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      lines.forEach(scan);
    });
    const ignore = () => {};
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', ignore);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      scan(pending);
      process.off('SIGINT', ignore);
      process.off('SIGTERM', forward);
      resolve({ code: code ?? (signal ? 1 : 0), totals });
    });
  });
}

/** Where the browser test expects Debian's Chromium (the package `chromium`). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Makes sure Debian's Chromium is installed for the browser test: as root it installs the
 * package with apt-get when missing; otherwise it says how to. Resolves whether it is there.
 * Never a test tool's own browser download: those cannot reach their servers from here.
 */
export async function ensureChromium() {
  if (existsSync(CHROMIUM_PATH)) return true;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot) {
    console.error(
      `[hub] the browser test needs Debian's Chromium at ${CHROMIUM_PATH}: ` +
        'install it with `sudo apt-get update && sudo apt-get install -y chromium`, then run again',
    );
    return false;
  }
  log('installing Chromium for the browser test (apt-get install -y chromium)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const updated = await run('apt-get', ['update', '-qq'], { env });
  const installed =
    updated === 0 ? await run('apt-get', ['install', '-y', '-qq', 'chromium'], { env }) : updated;
  if (installed !== 0 || !existsSync(CHROMIUM_PATH)) {
    console.error(
      `[hub] could not install Chromium (apt-get exit ${installed}); the browser test needs it at ${CHROMIUM_PATH}`,
    );
    return false;
  }
  return true;
}
