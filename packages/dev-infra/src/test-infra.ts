import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { readInfraEnv } from './env.js';
import type { InfraLogger } from './logger.js';
import { DEFAULT_NATS_URL, findOrStartNats, NATS_INSTALL_HINT, type NatsHandle } from './nats.js';
import { isTcpReachable } from './ports.js';

export type TestInfra = {
  /** Admin database URL; tests create their databases through it (ensureDatabase). */
  postgresAdminUrl: string;
  natsUrl: string | null;
  /** One line saying what is used, e.g. for the test runner to print. */
  describe: string;
  stop(): Promise<void>;
};

export type EnsureTestInfraOptions = {
  dataDir: string;
  requireNats: boolean;
  logger?: InfraLogger;
  /** Passed to findOrStartNats (null = never spawn nats-server). */
  natsBinary?: string | null;
};

export const DEFAULT_POSTGRES_ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

/**
 * Postgres and NATS for the test command. Postgres: TEST_DATABASE_URL, else PGHOST/PGPORT/
 * PGUSER/PGPASSWORD, else 127.0.0.1:5432 if it answers, else the embedded server (which also
 * supports CREATE DATABASE). NATS: NATS_URL, else 127.0.0.1:4222 if it answers, else a spawned
 * nats-server; else null — or, when requireNats, an Error saying what to install.
 */
export async function ensureTestInfra(options: EnsureTestInfraOptions): Promise<TestInfra> {
  const env = readInfraEnv();
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    const postgres = await findTestPostgres(env, options, stops);
    const nats = await findTestNats(env, options);
    stops.push(() => nats.stop());
    return {
      postgresAdminUrl: postgres.url,
      natsUrl: nats.url,
      describe: `Postgres: ${postgres.describe}; NATS: ${describeNats(nats)}`,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function findTestPostgres(
  env: ReturnType<typeof readInfraEnv>,
  options: EnsureTestInfraOptions,
  stops: (() => Promise<void>)[],
): Promise<{ url: string; describe: string }> {
  const explicit = env.testDatabaseUrl ?? pgEnvUrl(env);
  if (explicit) {
    const source = env.testDatabaseUrl ? 'TEST_DATABASE_URL' : 'PGHOST';
    await assertPostgresAnswers(explicit, source);
    return { url: explicit, describe: `${redact(explicit)} (from ${source})` };
  }
  if (await isTcpReachable('127.0.0.1', 5432)) {
    await assertPostgresAnswers(DEFAULT_POSTGRES_ADMIN_URL, 'the local server at 127.0.0.1:5432');
    return { url: DEFAULT_POSTGRES_ADMIN_URL, describe: 'local server at 127.0.0.1:5432' };
  }
  const embedded = await startEmbeddedPostgres({
    dataDir: path.join(options.dataDir, 'postgres'),
    databases: [],
    ...(options.logger ? { logger: options.logger } : {}),
  });
  stops.push(() => embedded.stop());
  return {
    url: embedded.adminUrl,
    describe: `embedded PGlite at 127.0.0.1:${embedded.port} (no Postgres at 127.0.0.1:5432)`,
  };
}

async function findTestNats(
  env: ReturnType<typeof readInfraEnv>,
  options: EnsureTestInfraOptions,
): Promise<NatsHandle> {
  const url = env.natsUrl ?? DEFAULT_NATS_URL;
  const nats = await findOrStartNats({
    url,
    dataDir: options.dataDir,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.natsBinary !== undefined ? { binary: options.natsBinary } : {}),
  });
  if (nats.mode === 'none' && options.requireNats) {
    throw new Error(
      `These tests need NATS with JetStream: nothing answers at ${url}${env.natsUrl ? ' (NATS_URL)' : ''} ` +
        `and no nats-server binary is on PATH. To fix: ${NATS_INSTALL_HINT}.`,
    );
  }
  return nats;
}

function pgEnvUrl(env: ReturnType<typeof readInfraEnv>): string | undefined {
  if (!env.pgHost) return undefined;
  const url = new URL('postgresql://localhost/postgres');
  if (env.pgHost.startsWith('/')) {
    url.searchParams.set('host', env.pgHost);
  } else {
    url.hostname = env.pgHost;
  }
  if (env.pgPort) url.port = String(env.pgPort);
  url.username = encodeURIComponent(env.pgUser ?? 'postgres');
  if (env.pgPassword) url.password = encodeURIComponent(env.pgPassword);
  return url.toString();
}

async function assertPostgresAnswers(url: string, source: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(
      `Postgres from ${source} (${redact(url)}) does not answer: ${(error as Error).message}`,
    );
  } finally {
    await client.end().catch(() => {});
  }
}

function describeNats(nats: NatsHandle): string {
  if (nats.mode === 'external') return `${nats.url} (running server)`;
  if (nats.mode === 'spawned') return `${nats.url} (spawned nats-server)`;
  return 'none (in-process bus)';
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
