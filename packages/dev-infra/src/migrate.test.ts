import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { ensureDatabase } from './databases.js';
import { readInfraEnv } from './env.js';
import { migrateDeploy } from './migrate.js';
import { DEFAULT_POSTGRES_ADMIN_URL } from './test-infra.js';

// A stand-in prisma CLI (a real executable) that records how it was called. Running the real
// Prisma CLI needs a service with its schema; README.md has those measurements.
let serviceDir: string;

beforeAll(() => {
  serviceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-infra-migrate-'));
  fs.mkdirSync(path.join(serviceDir, 'node_modules', '.bin'), { recursive: true });
});

afterAll(() => {
  fs.rmSync(serviceDir, { recursive: true, force: true });
});

function fakePrisma(script: string): void {
  const bin = path.join(serviceDir, 'node_modules', '.bin', 'prisma');
  fs.writeFileSync(bin, `#!/bin/sh\n${script}\n`);
  fs.chmodSync(bin, 0o755);
}

describe('migrateDeploy', () => {
  it('runs `prisma migrate deploy` in the service folder with DATABASE_URL and the preload', async () => {
    fakePrisma('printf "%s|%s|%s|%s" "$*" "$DATABASE_URL" "$PWD" "$NODE_OPTIONS" > called.txt');
    await migrateDeploy({ serviceDir, databaseUrl: 'postgresql://u@127.0.0.1:1/spaces' });
    const [args, url, cwd, nodeOptions] = fs
      .readFileSync(path.join(serviceDir, 'called.txt'), 'utf8')
      .split('|');
    expect(args).toBe('migrate deploy');
    expect(url).toBe('postgresql://u@127.0.0.1:1/spaces');
    expect(fs.realpathSync(cwd ?? '')).toBe(fs.realpathSync(serviceDir));
    expect(nodeOptions).toMatch(/--import=file:.*prisma-cli-preload\.js/);
  });

  it('throws with the CLI output when it fails', async () => {
    fakePrisma('echo "Error: P3009 migrate found failed migrations" >&2; exit 1');
    await expect(
      migrateDeploy({ serviceDir, databaseUrl: 'postgresql://u@127.0.0.1:1/spaces' }),
    ).rejects.toThrow(/migrate deploy failed[\s\S]*P3009 migrate found failed migrations/);
  });

  it('says where it looked when the service has no prisma CLI', async () => {
    await expect(
      migrateDeploy({ serviceDir: os.tmpdir(), databaseUrl: 'postgresql://u@127.0.0.1:1/x' }),
    ).rejects.toThrow(/prisma CLI not found at/);
  });
});

// What `prisma migrate deploy` creates and fills (Prisma 6.19): one row per migration, the
// checksum being the SHA-256 of its migration.sql.
const MIGRATIONS_TABLE = `CREATE TABLE "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

describe('migrateDeploy on a database that has every migration already', () => {
  const adminUrl = readInfraEnv().testDatabaseUrl ?? DEFAULT_POSTGRES_ADMIN_URL;
  const name = `dev_infra_migrate_${randomBytes(4).toString('hex')}`;
  let url: string;
  let db: pg.Client;
  const called = () => path.join(serviceDir, 'called.txt');

  function writeMigration(migration: string, sql: string): string {
    const dir = path.join(serviceDir, 'prisma', 'migrations', migration);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'migration.sql'), sql);
    return createHash('sha256').update(sql).digest('hex');
  }

  async function recordApplied(migration: string, checksum: string, finished = true) {
    await db.query(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, ${finished ? 'now()' : 'NULL'}, 1)`,
      [randomBytes(16).toString('hex'), checksum, migration],
    );
  }

  beforeAll(async () => {
    url = await ensureDatabase(adminUrl, name);
    db = new pg.Client({ connectionString: url });
    await db.connect();
  });

  afterAll(async () => {
    await db.end();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  beforeEach(async () => {
    fs.rmSync(path.join(serviceDir, 'prisma'), { recursive: true, force: true });
    fs.rmSync(called(), { force: true });
    await db.query('DROP TABLE IF EXISTS _prisma_migrations');
    fakePrisma('echo called > called.txt');
  });

  it('answers up-to-date without running the CLI', async () => {
    await db.query(MIGRATIONS_TABLE);
    await recordApplied('20260101000000_init', writeMigration('20260101000000_init', 'SELECT 1;'));
    await recordApplied('20260102000000_more', writeMigration('20260102000000_more', 'SELECT 2;'));

    await expect(migrateDeploy({ serviceDir, databaseUrl: url })).resolves.toBe('up-to-date');
    expect(fs.existsSync(called())).toBe(false);
  });

  it('runs the CLI on a database that has no migrations table yet', async () => {
    writeMigration('20260101000000_init', 'SELECT 1;');
    await expect(migrateDeploy({ serviceDir, databaseUrl: url })).resolves.toBe('applied');
    expect(fs.existsSync(called())).toBe(true);
  });

  it('runs the CLI when a migration is pending', async () => {
    await db.query(MIGRATIONS_TABLE);
    await recordApplied('20260101000000_init', writeMigration('20260101000000_init', 'SELECT 1;'));
    writeMigration('20260102000000_more', 'SELECT 2;');
    await expect(migrateDeploy({ serviceDir, databaseUrl: url })).resolves.toBe('applied');
    expect(fs.existsSync(called())).toBe(true);
  });

  it('runs the CLI (which reports it) when an applied migration was edited or failed', async () => {
    await db.query(MIGRATIONS_TABLE);
    const checksum = writeMigration('20260101000000_init', 'SELECT 1;');
    await recordApplied('20260101000000_init', checksum);
    writeMigration('20260101000000_init', 'SELECT 1; -- edited');
    await expect(migrateDeploy({ serviceDir, databaseUrl: url })).resolves.toBe('applied');
    expect(fs.existsSync(called())).toBe(true);

    fs.rmSync(called());
    await db.query('DELETE FROM _prisma_migrations');
    await recordApplied('20260101000000_init', writeMigration('20260101000000_init', 'SELECT 1;'));
    await recordApplied('20260102000000_more', writeMigration('20260102000000_more', 'x'), false);
    await expect(migrateDeploy({ serviceDir, databaseUrl: url })).resolves.toBe('applied');
    expect(fs.existsSync(called())).toBe(true);
  });

  it('runs the CLI when the database has a migration this service does not know', async () => {
    await db.query(MIGRATIONS_TABLE);
    await recordApplied('20260101000000_init', writeMigration('20260101000000_init', 'SELECT 1;'));
    await recordApplied('20260103000000_elsewhere', 'f'.repeat(64));
    await expect(migrateDeploy({ serviceDir, databaseUrl: url })).resolves.toBe('applied');
    expect(fs.existsSync(called())).toBe(true);
  });
});
