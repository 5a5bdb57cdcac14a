import { createTestDatabase, type TestDatabase } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedDemoData } from '../app.js';
import { connectDatabase, type Database } from '../db.js';

const migrationsDir = new URL('../../prisma/migrations', import.meta.url).pathname;

let testDatabase: TestDatabase;
let database: Database;

beforeAll(async () => {
  testDatabase = await createTestDatabase({ migrationsDir, prefix: 'hub_programs_seed' });
  database = connectDatabase({ url: testDatabase.url, poolMax: 2 });
});

afterAll(async () => {
  await database?.close();
  await testDatabase?.drop();
});

const counts = async () => ({
  programs: await database.prisma.program.count(),
  outbox: await database.prisma.outboxEvent.count(),
});

describe('seedDemoData', () => {
  it('loads the demo support menu once, with its outbox events, however often it runs', async () => {
    expect(await seedDemoData({ prisma: database.prisma })).toEqual({ created: 11, skipped: 0 });
    const first = await counts();
    expect(first).toEqual({ programs: 11, outbox: 11 });
    // Also through a URL, as the run command calls it.
    expect(await seedDemoData({ databaseUrl: testDatabase.url })).toEqual({
      created: 0,
      skipped: 11,
    });
    expect(await counts()).toEqual(first);
    const training = await database.prisma.program.findUnique({
      where: { id: '5dc91aa8-b309-51e6-be53-69a1e7fc6195' },
    });
    expect(training).toMatchObject({
      kind: 'TRAINING',
      spaceId: '599e3a60-01f8-5a23-b140-e0676f6f354b',
    });
  });
});
