// Child-process entry that hosts the embedded Postgres (startEmbeddedPostgres spawns it).
// A process of its own keeps PGlite's synchronous WebAssembly work off the launcher's event
// loop, and lets it shut PGlite down cleanly even when the parent dies: IPC disconnect,
// SIGINT (Ctrl-C reaches the whole process group) and SIGTERM all close every database first.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PgliteServer, type PgliteServerLog } from './pglite-server.js';

export type HostToParent =
  | { type: 'ready'; port: number }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string; fields?: unknown }
  | { type: 'failed'; message: string };
export type ParentToHost = { type: 'stop' };

const LOCK_FILE = 'host.lock';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      database: { type: 'string', multiple: true, default: [] },
      'shared-buffers': { type: 'string', default: '16MB' },
      'idle-in-transaction-timeout': { type: 'string', default: '30000' },
    },
  });
  const dataDir = values['data-dir'];
  if (!dataDir) throw new Error('--data-dir is required');
  fs.mkdirSync(dataDir, { recursive: true });
  const lock = path.join(dataDir, LOCK_FILE);
  acquireLock(lock);

  const log: PgliteServerLog = (level, message, fields) => {
    if (!send({ type: 'log', level, message, fields })) {
      process.stderr.write(
        `[embedded-postgres] ${level} ${message} ${JSON.stringify(fields ?? {})}\n`,
      );
    }
  };
  const server = new PgliteServer({
    dataDir,
    host: values.host,
    port: Number(values.port),
    sharedBuffers: values['shared-buffers'],
    idleInTransactionTimeoutMs: Number(values['idle-in-transaction-timeout']),
    log,
  });

  let stopping: Promise<void> | null = null;
  const shutdown = (why: string) => {
    if (stopping) return stopping;
    log('info', 'embedded Postgres stopping', { why });
    stopping = server
      .stop()
      .catch((error: Error) => log('error', 'stop failed', { error: error.message }))
      .finally(() => {
        releaseLock(lock);
        process.exit(0);
      });
    return stopping;
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('disconnect', () => void shutdown('parent disconnected'));
  process.on('message', (message: ParentToHost) => {
    if (message?.type === 'stop') void shutdown('stop requested');
  });

  try {
    const port = await server.start();
    for (const name of values.database) await server.ensureDatabase(name);
    send({ type: 'ready', port });
  } catch (error) {
    send({ type: 'failed', message: (error as Error).message });
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    await server.stop().catch(() => {});
    releaseLock(lock);
    process.exit(1);
  }
}

function send(message: HostToParent): boolean {
  if (!process.send || !process.connected) return false;
  process.send(message);
  return true;
}

// Two processes must never open the same PGlite directories: the second would corrupt them.
function acquireLock(lock: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(fs.readFileSync(lock, 'utf8').trim());
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new Error(
          `${path.dirname(lock)} is in use by another embedded Postgres (pid ${pid}); stop that ` +
            'process first (it exits when its parent does), or use another data directory',
        );
      }
      fs.rmSync(lock, { force: true });
    }
  }
  throw new Error(`could not lock ${lock}`);
}

function releaseLock(lock: string): void {
  try {
    if (Number(fs.readFileSync(lock, 'utf8').trim()) === process.pid) fs.rmSync(lock);
  } catch {
    // already gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  send({ type: 'failed', message: error.message });
  process.exit(1);
});
