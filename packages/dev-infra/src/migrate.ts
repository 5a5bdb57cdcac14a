import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { childEnv, nodeOptionsWith } from './env.js';
import { OutputTail, siblingScript } from './sibling-script.js';

export type MigrateDeployOptions = {
  /** The service folder holding prisma.config.ts (and node_modules/.bin/prisma). */
  serviceDir: string;
  databaseUrl: string;
  timeoutMs?: number;
};

/**
 * `prisma migrate deploy` for one service with DATABASE_URL set, using the prisma CLI the
 * service depends on. Throws with the CLI's output when it fails.
 */
export async function migrateDeploy(options: MigrateDeployOptions): Promise<void> {
  const serviceDir = path.resolve(options.serviceDir);
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
}
