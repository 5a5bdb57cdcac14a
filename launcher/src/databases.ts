import { join } from 'node:path';
import { ensureDatabase, startEmbeddedPostgres } from '@hub/dev-infra';
import { databaseUrlVariable, SERVICE_NAMES, type ServiceName, type TLauncherEnv } from './env.js';

export type ServiceDatabases = {
  urls: Record<ServiceName, string>;
  /** How the databases were found, for the start-up banner. */
  describe: string;
  isEmbedded: boolean;
  stop(): Promise<void>;
};

const databaseName = (name: ServiceName, prefix = 'hub') =>
  `${prefix}_${name.replaceAll('-', '_')}`;

/**
 * Per-service database URLs, from (in order): all five *_DATABASE_URL variables, a
 * POSTGRES_URL server to create them on, or an embedded PostgreSQL (PGlite) under the data dir.
 */
export async function resolveDatabases(env: TLauncherEnv): Promise<ServiceDatabases> {
  const given = SERVICE_NAMES.filter((name) => env[databaseUrlVariable(name)]);
  if (given.length === SERVICE_NAMES.length) {
    const urls = Object.fromEntries(
      SERVICE_NAMES.map((name) => [name, env[databaseUrlVariable(name)]!]),
    );
    return {
      urls: urls as ServiceDatabases['urls'],
      describe: 'PostgreSQL (from *_DATABASE_URL)',
      isEmbedded: false,
      stop: async () => {},
    };
  }
  if (given.length > 0) {
    const missing = SERVICE_NAMES.filter((name) => !given.includes(name)).map(databaseUrlVariable);
    throw new Error(`Set all five service database URLs or none; missing: ${missing.join(', ')}`);
  }
  if (env.POSTGRES_URL) {
    const entries = await Promise.all(
      SERVICE_NAMES.map(
        async (name) =>
          [
            name,
            await ensureDatabase(env.POSTGRES_URL!, databaseName(name, env.HUB_DATABASE_PREFIX)),
          ] as const,
      ),
    );
    return {
      urls: Object.fromEntries(entries) as ServiceDatabases['urls'],
      describe: `PostgreSQL at ${new URL(env.POSTGRES_URL).host}`,
      isEmbedded: false,
      stop: async () => {},
    };
  }
  const embedded = await startEmbeddedPostgres({
    dataDir: join(env.HUB_DATA_DIR, 'postgres'),
    databases: SERVICE_NAMES.map((name) => databaseName(name)),
  });
  const urls = Object.fromEntries(
    SERVICE_NAMES.map((name) => [name, embedded.urls[databaseName(name)]!]),
  );
  return {
    urls: urls as ServiceDatabases['urls'],
    describe: `embedded PostgreSQL (PGlite; data in ${join(env.HUB_DATA_DIR, 'postgres')})`,
    isEmbedded: true,
    stop: () => embedded.stop(),
  };
}
