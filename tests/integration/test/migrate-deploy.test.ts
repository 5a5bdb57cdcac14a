import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type EmbeddedPostgres, migrateDeploy, startEmbeddedPostgres } from '@hub/dev-infra';
import { adminDatabaseUrl } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';

// The run command applies migrations with the real `prisma migrate deploy` (through the pg
// driver adapter), while the other tests build their databases by running the same files with
// pg directly. Both must accept every migration: a `;` inside a comment once passed every
// test and broke `npm start`, because the adapter split scripts on semicolons.

const SERVICES = ['spaces', 'members', 'events', 'matching', 'support-programs'] as const;
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const serviceDir = (name: string) => path.join(ROOT, 'services', name);
const migrationCount = (name: string) =>
  fs
    .readdirSync(path.join(serviceDir(name), 'prisma', 'migrations'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory()).length;

async function appliedMigrations(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    return Number(result.rows[0]!.n);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const target = new URL(url);
  target.pathname = `/${database}`;
  return target.toString();
}

describe('prisma migrate deploy on PostgreSQL', () => {
  const created: string[] = [];
  const admin = new pg.Client({ connectionString: adminDatabaseUrl() });

  beforeAll(() => admin.connect());
  afterAll(async () => {
    for (const name of created) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  it.each(SERVICES)(
    'applies every migration of %s to an empty database',
    async (service) => {
      const name = `hub_deploy_${randomBytes(5).toString('hex')}`;
      await admin.query(`CREATE DATABASE "${name}"`);
      created.push(name);
      const url = withDatabase(adminDatabaseUrl(), name);

      await expect(
        migrateDeploy({ serviceDir: serviceDir(service), databaseUrl: url }),
      ).resolves.toBe('applied');

      expect(await appliedMigrations(url)).toBe(migrationCount(service));
      // The next start finds the rows the CLI wrote and skips it (issue 9: start-up time).
      await expect(
        migrateDeploy({ serviceDir: serviceDir(service), databaseUrl: url }),
      ).resolves.toBe('up-to-date');
    },
    120_000,
  );
});

describe('prisma migrate deploy on the embedded PostgreSQL (PGlite)', () => {
  let embedded: EmbeddedPostgres;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-deploy-pglite-'));
    embedded = await startEmbeddedPostgres({
      dataDir,
      databases: SERVICES.map((service) => `hub_${service.replace('-', '_')}`),
    });
  }, 120_000);
  afterAll(async () => {
    await embedded?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(SERVICES)(
    'applies every migration of %s',
    async (service) => {
      const url = embedded.urls[`hub_${service.replace('-', '_')}`]!;

      await expect(
        migrateDeploy({ serviceDir: serviceDir(service), databaseUrl: url }),
      ).resolves.toBe('applied');

      expect(await appliedMigrations(url)).toBe(migrationCount(service));
      // The next start finds the rows the CLI wrote and skips it (issue 9: start-up time).
      await expect(
        migrateDeploy({ serviceDir: serviceDir(service), databaseUrl: url }),
      ).resolves.toBe('up-to-date');
    },
    120_000,
  );
});
