import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { childEnv, nodeOptionsWith } from './env.js';
import { OutputTail, siblingScript } from './sibling-script.js';

export type MigrateDeployOptions = {
  /** The service folder holding prisma.config.ts (and node_modules/.bin/prisma). */
  serviceDir: string;
  databaseUrl: string;
  timeoutMs?: number;
};

export type MigrateDeployOutcome = 'applied' | 'up-to-date';

/**
 * `prisma migrate deploy` for one service with DATABASE_URL set, using the prisma CLI the
 * service depends on. Throws with the CLI's output when it fails. When the database already
 * has exactly the service's migrations applied it answers 'up-to-date' without the CLI,
 * whose start-up alone costs seconds of CPU per service on every `npm start`.
 */
export async function migrateDeploy(options: MigrateDeployOptions): Promise<MigrateDeployOutcome> {
  const serviceDir = path.resolve(options.serviceDir);
  if (await isUpToDate(serviceDir, options.databaseUrl)) return 'up-to-date';
  const isWindows = process.platform === 'win32';
  const bin = path.join(serviceDir, 'node_modules', '.bin', isWindows ? 'prisma.cmd' : 'prisma');
  if (!fs.existsSync(bin)) {
    throw new Error(
      `prisma CLI not found at ${bin}: is prisma a dependency of that service, and installed?`,
    );
  }
  const preload = pathToFileURL(siblingScript('prisma-cli-preload')).href;
  const env = childEnv({
    DATABASE_URL: options.databaseUrl,
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    NODE_OPTIONS: nodeOptionsWith(`--import=${preload}`),
  });
  const output = new OutputTail(200);
  const child = spawn(bin, ['migrate', 'deploy'], {
    cwd: serviceDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: isWindows, // .cmd shims need a shell there
  });
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
  const timeoutMs = options.timeoutMs ?? 300_000;
  const code = await new Promise<number | string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(`timeout after ${timeoutMs} ms`);
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not run ${bin}: ${error.message}`));
    });
    child.once('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve(exitCode ?? signal ?? 'unknown');
    });
  });
  if (code !== 0) {
    throw new Error(`prisma migrate deploy failed in ${serviceDir} (${code}):\n${output}`);
  }
  return 'applied';
}

/** Where every service keeps its migrations (`defineServiceConfig` in @hub/prisma-config). */
const MIGRATIONS_DIR = path.join('prisma', 'migrations');

/**
 * True only when `_prisma_migrations` holds one finished, not rolled back row for every
 * migration folder, with the checksum Prisma records (SHA-256 of migration.sql), and nothing
 * else: no pending, edited, failed or unknown migration. Anything else — including no table or
 * no connection — leaves the decision, and the error message, to the CLI.
 */
async function isUpToDate(serviceDir: string, databaseUrl: string): Promise<boolean> {
  const local = new Map<string, string>();
  try {
    const dir = path.join(serviceDir, MIGRATIONS_DIR);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name, 'migration.sql');
      if (!entry.isDirectory() || !fs.existsSync(file)) continue;
      local.set(entry.name, createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
    }
  } catch {
    return false;
  }
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  // An unreachable server surfaces as an error event as well as a rejected connect().
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{
      migration_name: string;
      checksum: string;
      is_applied: boolean;
    }>(
      `SELECT migration_name, checksum,
              finished_at IS NOT NULL AND rolled_back_at IS NULL AS is_applied
         FROM _prisma_migrations WHERE rolled_back_at IS NULL`,
    );
    return (
      rows.length === local.size &&
      rows.every((row) => row.is_applied && local.get(row.migration_name) === row.checksum)
    );
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}
