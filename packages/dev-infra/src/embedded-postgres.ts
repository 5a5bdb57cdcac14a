import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type InfraLogger, logError, warn } from './logger.js';
import type { HostToParent, ParentToHost } from './pglite-host.js';
import { findFreePort } from './ports.js';
import { OutputTail, siblingScript } from './sibling-script.js';

export type EmbeddedPostgres = {
  /** database name → postgres:// URL */
  urls: Record<string, string>;
  /** URL of the admin database `postgres`: CREATE DATABASE there creates a new database. */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
};

export type StartEmbeddedPostgresOptions = {
  dataDir: string;
  databases: string[];
  logger?: InfraLogger;
  /** Preferred port (default 54329); any free port when taken. Never 5432. */
  port?: number;
  /** Postgres shared_buffers per database (default 16MB). */
  sharedBuffers?: string;
  /** A connection idle inside a transaction while others wait for its database is closed
   * after this long (default 30 s): a database runs one transaction at a time. */
  idleInTransactionTimeoutMs?: number;
  startTimeoutMs?: number;
};

export const EMBEDDED_POSTGRES_PORT = 54329;

/**
 * Starts PostgreSQL (PGlite, one instance per database behind one port) in a child process,
 * keeping data under dataDir, and creates the missing databases. A second start on the same
 * dataDir keeps the data. stop() rolls back open transactions and closes every database
 * cleanly; if this process dies instead, the child notices and does the same.
 */
export async function startEmbeddedPostgres(
  options: StartEmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const preferred = await findFreePort({ preferred: options.port ?? EMBEDDED_POSTGRES_PORT });
  const logFile = path.join(dataDir, 'embedded-postgres.log');
  const stderr = fs.openSync(logFile, 'a');
  const args = [
    siblingScript('pglite-host'),
    '--data-dir',
    dataDir,
    '--port',
    String(preferred),
    '--shared-buffers',
    options.sharedBuffers ?? '16MB',
    '--idle-in-transaction-timeout',
    String(options.idleInTransactionTimeoutMs ?? 30_000),
    ...options.databases.flatMap((name) => ['--database', name]),
  ];
  const started = Date.now();
  // Own process group: Ctrl-C in a terminal reaches the parent only, which stops its services
  // while their database is still up, then calls stop().
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'ignore', stderr, 'ipc'],
    detached: true,
  });
  fs.closeSync(stderr);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const logger = options.logger;
  child.on('message', (message: HostToParent) => {
    if (message.type !== 'log' || !logger) return;
    const fields = { component: 'embedded-postgres', ...(message.fields as object) };
    const text = `embedded Postgres: ${message.message}`;
    if (message.level === 'error') logError(logger, fields, text);
    else if (message.level === 'warn') warn(logger, fields, text);
    else logger.info(fields, text);
  });

  let port: number;
  try {
    port = await waitUntilReady(child, exited, options.startTimeoutMs ?? 120_000, logFile);
  } catch (error) {
    // A host that reported its failure is cleaning up (lock file); give it a moment.
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    child.kill('SIGKILL');
    throw error;
  }
  // The host must not keep this process alive on its own: when this process ends, the IPC
  // channel closes and the host shuts its databases down cleanly.
  child.unref();
  child.channel?.unref();

  const url = (name: string) =>
    `postgresql://postgres:postgres@127.0.0.1:${port}/${encodeURIComponent(name)}`;
  const urls = Object.fromEntries(options.databases.map((name) => [name, url(name)]));
  logger?.info(
    {
      component: 'embedded-postgres',
      port,
      dataDir,
      databases: options.databases,
      ms: Date.now() - started,
    },
    'embedded Postgres (PGlite) ready',
  );

  let stopping: Promise<void> | null = null;
  return {
    urls,
    adminUrl: url('postgres'),
    port,
    stop() {
      stopping ??= stopHost(child, exited);
      return stopping;
    },
  };
}

function waitUntilReady(
  child: ChildProcess,
  exited: Promise<number | null>,
  timeoutMs: number,
  logFile: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`embedded Postgres did not start within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const settle = (error: Error | null, port?: number) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      if (error) reject(error);
      else resolve(port ?? 0);
    };
    const onMessage = (message: HostToParent) => {
      if (message.type === 'ready') settle(null, message.port);
      if (message.type === 'failed') {
        settle(new Error(`embedded Postgres failed to start: ${message.message}`));
      }
    };
    child.on('message', onMessage);
    child.once('error', (error) => settle(error));
    void exited.then((code) => {
      const tail = new OutputTail(20);
      try {
        tail.push(fs.readFileSync(logFile, 'utf8'));
      } catch {
        // no log yet
      }
      settle(new Error(`embedded Postgres exited (code ${code}) while starting:\n${tail}`));
    });
  });
}

async function stopHost(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.ref();
  const message: ParentToHost = { type: 'stop' };
  if (child.connected) child.send(message);
  else child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}
