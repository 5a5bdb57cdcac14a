import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { readInfraEnv } from './env.js';
import { type InfraLogger, warn } from './logger.js';
import { findFreePort } from './ports.js';
import { OutputTail } from './sibling-script.js';

export type NatsHandle = {
  url: string | null;
  mode: 'external' | 'spawned' | 'none';
  stop(): Promise<void>;
};

export type FindOrStartNatsOptions = {
  /** NATS_URL when set; `nats://host:port`, `host:port` or a comma-separated list. */
  url?: string;
  dataDir: string;
  logger?: InfraLogger;
  /** Preferred port for a spawned server (default 42229); never 4222. */
  port?: number;
  /** A nats-server binary to use instead of searching PATH; null = never spawn one. */
  binary?: string | null;
};

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
export const EMBEDDED_NATS_PORT = 42229;
const EXTRA_BINARY_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/local/bin', '/usr/bin'];
const STATE_FILE = 'hub-nats.json';

export const NATS_INSTALL_HINT =
  'install nats-server (Debian/Ubuntu: `apt-get install nats-server`; macOS: `brew install ' +
  'nats-server`; or a release binary from https://github.com/nats-io/nats-server/releases on ' +
  'PATH), or set NATS_URL to a running NATS server with JetStream (`nats-server -js`)';

/**
 * NATS for the embedded run mode and tests: `url` if a NATS server answers there (external);
 * else a `nats-server -js` spawned on a free port with its store under <dataDir>/nats
 * (spawned); else none — the caller falls back to its in-process bus and should say so.
 */
export async function findOrStartNats(options: FindOrStartNatsOptions): Promise<NatsHandle> {
  const logger = options.logger;
  if (options.url) {
    for (const server of parseNatsUrls(options.url)) {
      if (await isNatsReachable(server.host, server.port)) {
        logger?.info({ component: 'nats', url: options.url }, 'using NATS at NATS_URL');
        return { url: options.url, mode: 'external', stop: async () => {} };
      }
    }
    warn(logger, { component: 'nats', url: options.url }, 'no NATS server answers at NATS_URL');
  }
  const binary = options.binary === undefined ? findNatsServerBinary() : options.binary;
  if (!binary) {
    warn(logger, { component: 'nats' }, `no NATS available: ${NATS_INSTALL_HINT}`);
    return { url: null, mode: 'none', stop: async () => {} };
  }
  return spawnNatsServer(binary, options);
}

/** A `nats-server` on PATH or in the usual system directories, or null. */
export function findNatsServerBinary(): string | null {
  const dirs = [...readInfraEnv().path, ...EXTRA_BINARY_DIRS];
  for (const dir of dirs) {
    const candidate = path.join(dir, 'nats-server');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

export function parseNatsUrls(url: string): { host: string; port: number }[] {
  return url
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => {
      const parsed = new URL(part.includes('://') ? part : `nats://${part}`);
      return { host: parsed.hostname.replace(/^\[|\]$/g, ''), port: Number(parsed.port || 4222) };
    });
}

/** True when a NATS server greets a new connection with its INFO line. */
export function isNatsReachable(host: string, port: number, timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let received = '';
    const done = (reachable: boolean) => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => {});
      socket.destroy();
      resolve(reachable);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.length >= 5) done(received.startsWith('INFO '));
    });
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
}

type NatsState = { pid: number; ownerPid: number; port: number };

async function spawnNatsServer(
  binary: string,
  options: FindOrStartNatsOptions,
): Promise<NatsHandle> {
  const logger = options.logger;
  const dir = path.resolve(options.dataDir, 'nats');
  fs.mkdirSync(dir, { recursive: true });
  await stopOrphan(dir);
  let lastError: Error | null = null;
  // A port found free can be taken before nats-server binds it; the second try asks the OS.
  for (const preferred of [options.port ?? EMBEDDED_NATS_PORT, 0]) {
    const port = await findFreePort({ preferred });
    try {
      const child = await startOnPort(binary, dir, port);
      const state: NatsState = { pid: child.pid ?? 0, ownerPid: process.pid, port };
      fs.writeFileSync(path.join(dir, STATE_FILE), `${JSON.stringify(state)}\n`);
      const url = `nats://127.0.0.1:${port}`;
      logger?.info({ component: 'nats', url, binary, storeDir: dir }, 'spawned nats-server -js');
      // A spawned server does not notice when this process dies; end it with us.
      const killOnExit = () => child.kill('SIGTERM');
      process.once('exit', killOnExit);
      let stopping: Promise<void> | null = null;
      return {
        url,
        mode: 'spawned',
        stop() {
          stopping ??= (async () => {
            process.off('exit', killOnExit);
            await stopChild(child);
            fs.rmSync(path.join(dir, STATE_FILE), { force: true });
          })();
          return stopping;
        },
      };
    } catch (error) {
      lastError = error as Error;
    }
  }
  throw lastError ?? new Error('nats-server did not start');
}

async function startOnPort(binary: string, dir: string, port: number): Promise<ChildProcess> {
  const args = ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir, '-n', `hub-dev-${port}`];
  // Output goes to a file, not a pipe, so the server never keeps this process alive.
  const logFile = path.join(dir, 'nats-server.log');
  const logStart = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
  const log = fs.openSync(logFile, 'a');
  // Own process group, so Ctrl-C reaches only the parent, which stops its NATS clients first
  // and then the server (stop(), or the exit hook in spawnNatsServer).
  const child = spawn(binary, args, { stdio: ['ignore', log, log], detached: true });
  fs.closeSync(log);
  const output = () => {
    const tail = new OutputTail(20);
    try {
      tail.push(fs.readFileSync(logFile).subarray(logStart));
    } catch {
      // no output
    }
    return tail.toString();
  };
  let exitCode: number | null | undefined;
  child.once('exit', (code) => {
    exitCode = code;
  });
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const failed = await Promise.race([spawnError, delay(100).then(() => null)]);
    if (failed) throw new Error(`could not run ${binary}: ${failed.message}`);
    if (exitCode !== undefined) {
      throw new Error(`nats-server exited (code ${exitCode}) while starting:\n${output()}`);
    }
    // JetStream is enabled before nats-server starts accepting clients, so a greeting means
    // streams can be used.
    if (await isNatsReachable('127.0.0.1', port, 500)) {
      child.unref();
      return child;
    }
  }
  child.kill('SIGKILL');
  throw new Error(
    `nats-server did not accept connections on port ${port} within 15 s:\n${output()}`,
  );
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.ref();
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

// A server left behind by a process that was killed would hold the store directory.
async function stopOrphan(dir: string): Promise<void> {
  let state: NatsState;
  try {
    state = JSON.parse(fs.readFileSync(path.join(dir, STATE_FILE), 'utf8')) as NatsState;
  } catch {
    return;
  }
  if (isAlive(state.pid) && isNatsServerProcess(state.pid)) {
    if (isAlive(state.ownerPid) && state.ownerPid !== process.pid) {
      throw new Error(
        `${dir} is used by a nats-server (pid ${state.pid}, port ${state.port}) that process ` +
          `${state.ownerPid} started; stop it or use another data directory`,
      );
    }
    process.kill(state.pid, 'SIGTERM');
    for (let i = 0; i < 100 && isAlive(state.pid); i++) await delay(100);
    if (isAlive(state.pid)) process.kill(state.pid, 'SIGKILL');
  }
  fs.rmSync(path.join(dir, STATE_FILE), { force: true });
}

function isNatsServerProcess(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('nats-server');
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
