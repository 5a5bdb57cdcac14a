import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase, testPool } from '@hub/testing';
import { afterAll, beforeAll, expect, it } from '@jest/globals';

// Venues listed before venues needed their operator's say were shown as they are: the
// migration keeps them in effect (docs/authorization.md, "Links that name another organisation").

const migrationsDir = new URL('../../prisma/migrations', import.meta.url).pathname;
const folders = readdirSync(migrationsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const target = folders.findIndex((name) => name.endsWith('_venue_confirmation'));
let before: string;
let database: TestDatabase;

beforeAll(async () => {
  // The database as the migrations before this one left it.
  before = mkdtempSync(join(tmpdir(), 'events-migrations-'));
  for (const folder of folders.slice(0, target)) {
    cpSync(join(migrationsDir, folder), join(before, folder), { recursive: true });
  }
  database = await createTestDatabase({ migrationsDir: before, prefix: 'hub_events_migration' });
});

afterAll(async () => {
  await database?.drop();
  rmSync(before, { recursive: true, force: true });
});

it('keeps every venue listed before it in effect, as of its event’s creation', async () => {
  const sql = testPool(database.url);
  try {
    const { rows } = await sql.query(
      `INSERT INTO event (id, title, kind, status, starts_at, ends_at, created_at, updated_at)
       VALUES (gen_random_uuid(), '既存の Jelly', 'jelly', 'published', now(), now(),
               '2026-01-05T10:00:00Z', now())
       RETURNING id`,
    );
    const eventId = rows[0].id;
    await sql.query(
      `INSERT INTO event_venue (id, event_id, position, space_id, place_name)
       VALUES (gen_random_uuid(), $1, 0, gen_random_uuid(), NULL),
              (gen_random_uuid(), $1, 1, NULL, '公民館')`,
      [eventId],
    );
    await sql.query(readFileSync(join(migrationsDir, folders[target]!, 'migration.sql'), 'utf8'));
    const venues = await sql.query(
      'SELECT confirmed_at, publisher_organization_ids FROM event_venue ORDER BY position',
    );
    expect(venues.rows).toEqual([
      { confirmed_at: new Date('2026-01-05T10:00:00Z'), publisher_organization_ids: [] },
      { confirmed_at: new Date('2026-01-05T10:00:00Z'), publisher_organization_ids: [] },
    ]);
  } finally {
    await sql.end();
  }
});
