import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { Database } from '../../src/index.js';
import { pgDatabase } from './pg-database.js';

export const adminUrl =
  process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

// Derived from prisma/messaging.prisma by scripts/generate-test-prisma.mjs (jest globalSetup).
const ddl = readFileSync(new URL('../../src/generated/messaging.sql', import.meta.url), 'utf8');

export type TestDatabase = { url: string; pool: pg.Pool; db: Database; drop(): Promise<void> };

/** A fresh database with the messaging tables, dropped by `drop()`. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `event_bus_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 10 });
  // An idle connection ended by the server (the final forced DROP, a test killing backends) is
  // expected here; unhandled, pg would re-throw it and fail the whole suite after its tests.
  pool.on('error', () => {});
  await pool.query(ddl);
  return {
    url: url.toString(),
    pool,
    db: pgDatabase(pool),
    async drop() {
      await pool.end();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      try {
        await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
