import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

/** The server tests create their databases on (trust auth on dev machines and CI). */
export function adminDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
}

export type TestDatabase = { url: string; name: string; drop(): Promise<void> };

/**
 * A fresh database with a service's migrations applied (the same SQL `prisma migrate deploy`
 * runs; none without `migrationsDir`, for a test that makes its own tables), so tests never
 * share state and can run concurrently.
 */
export async function createTestDatabase(options: {
  migrationsDir?: string;
  prefix?: string;
}): Promise<TestDatabase> {
  const name = `${options.prefix ?? 'hub_test'}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminDatabaseUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminDatabaseUrl(), name);
  if (options.migrationsDir !== undefined) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (const sql of migrationScripts(options.migrationsDir)) await client.query(sql);
    } finally {
      await client.end();
    }
  }
  return {
    url,
    name,
    async drop() {
      const dropper = new pg.Client({ connectionString: adminDatabaseUrl() });
      await dropper.connect();
      try {
        // pg's Pool.end() resolves before its sockets have closed; a backend killed by FORCE
        // in that window sends FATAL 57P01 to a client that may have no listener left. Give
        // closing connections a moment to go, then force whatever is still there.
        await waitForDisconnects(dropper, name, 2_000);
        await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

async function waitForDisconnects(admin: pg.Client, database: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const result = await admin.query<{ n: string }>(
      'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1',
      [database],
    );
    if (Number(result.rows[0]!.n) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * A pg pool for looking at a test database directly. Its 'error' listener keeps a connection
 * ended by the database's drop from crashing the test process.
 */
export function testPool(url: string, max = 2): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => {});
  return pool;
}

/** migration.sql of each folder under prisma/migrations, oldest first (folders sort by time). */
export function migrationScripts(migrationsDir: string): string[] {
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((folder) => readFileSync(join(migrationsDir, folder, 'migration.sql'), 'utf8'));
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
