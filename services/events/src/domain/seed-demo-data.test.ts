import { readFileSync } from 'node:fs';
import { createTestDatabase, type TestDatabase } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedDemoData } from '../app.js';
import { connectDatabase, type Database } from '../db.js';
import { findUpcomingEventsAtSpaces } from './find-upcoming-events.js';

const migrationsDir = new URL('../../prisma/migrations', import.meta.url).pathname;
const JELLY_ID = '6bad7269-bdc0-51c6-a810-3b0de7a2ac6a';
const JELLY_SPACE_ID = '88f48ced-40d1-575f-8852-230bc83a20fd';

let testDatabase: TestDatabase;
let database: Database;

beforeAll(async () => {
  testDatabase = await createTestDatabase({ migrationsDir, prefix: 'hub_events_seed' });
  database = connectDatabase({ url: testDatabase.url, poolMax: 2 });
});

afterAll(async () => {
  await database?.close();
  await testDatabase?.drop();
});

const counts = async () => ({
  events: await database.prisma.event.count(),
  venues: await database.prisma.eventVenue.count(),
  outbox: await database.prisma.outboxEvent.count(),
});

describe('seedDemoData', () => {
  it('loads the demo events once, with their outbox events, however often it runs', async () => {
    expect(await seedDemoData({ prisma: database.prisma })).toEqual({ created: 8, skipped: 0 });
    const first = await counts();
    expect(first).toEqual({ events: 8, venues: 11, outbox: 8 });
    // Also through a URL, as the run command calls it.
    expect(await seedDemoData({ databaseUrl: testDatabase.url })).toEqual({
      created: 0,
      skipped: 8,
    });
    expect(await counts()).toEqual(first);
  });

  it('keeps every demo organiser confirmed (the demo events are official)', async () => {
    const { events } = JSON.parse(
      readFileSync(new URL('../../seed/demo.json', import.meta.url), 'utf8'),
    ) as { events: { id: string; organizerIds?: string[] }[] };
    const stored = await database.prisma.event.findMany({
      select: { id: true, organizerIds: true, pendingOrganizerIds: true },
    });
    for (const event of events) {
      const row = stored.find((found) => found.id === event.id);
      expect(row).toEqual({
        id: event.id,
        organizerIds: event.organizerIds ?? [],
        pendingOrganizerIds: [],
      });
    }
    expect(events.some((event) => (event.organizerIds ?? []).length > 0)).toBe(true);
  });

  it('keeps every demo venue confirmed, though events has not heard of the demo spaces yet', async () => {
    expect(await database.prisma.spaceOperator.count()).toBe(0);
    expect(await database.prisma.eventVenue.count({ where: { confirmedAt: null } })).toBe(0);
  });

  it('keeps the recurring demo Jelly upcoming at its spaces, at 19:00 JST on a Wednesday', async () => {
    const upcoming = await findUpcomingEventsAtSpaces(database.prisma, [JELLY_SPACE_ID]);
    const jelly = upcoming.find((found) => found.event.id === JELLY_ID);
    expect(jelly?.spaceIds).toContain(JELLY_SPACE_ID);
    const tokyo = new Date(jelly!.startsAt.getTime() + 9 * 3600_000);
    expect(tokyo.getUTCDay()).toBe(3);
    expect(tokyo.toISOString().slice(11, 16)).toBe('19:00');
  });
});
