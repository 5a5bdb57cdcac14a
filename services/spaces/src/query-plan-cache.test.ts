import { randomUUID } from 'node:crypto';
import { createLogger, queryPlanCacheStats } from '@hub/service-kit';
import { createTestDatabase, type TestDatabase } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connectDatabase, type Database } from './db.js';

// The kit's query plan cache on this service's real Prisma client (client engine): plans are
// reused for identical reads, results never are, and writes are compiled every time.
const logger = createLogger({ name: 'spaces-plan-cache-test', level: 'silent' });
let testDatabase: TestDatabase;
let database: Database;

beforeAll(async () => {
  testDatabase = await createTestDatabase({
    migrationsDir: new URL('../prisma/migrations', import.meta.url).pathname,
    prefix: 'hub_test_spaces_plans',
  });
  database = connectDatabase({ url: testDatabase.url, poolMax: 2, logger });
  await database.prisma.municipality.create({
    data: { code: '011002', name: '札幌市', prefecture: '北海道' },
  });
}, 30_000);

afterAll(async () => {
  await database?.close(2_000);
  await testDatabase?.drop();
});

const createSpace = (name: string) =>
  database.prisma.space.create({
    data: { id: randomUUID(), name, kind: 'COWORKING', municipalityCode: '011002' },
  });
const firstPage = () =>
  database.prisma.space.findMany({
    take: 21,
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    include: { municipality: true },
  });

describe('query plan cache', () => {
  it('compiles an identical read once and reads the current rows every time', async () => {
    await createSpace('札幌 A');
    const first = await firstPage();
    const before = queryPlanCacheStats();
    const again = await firstPage();
    const after = queryPlanCacheStats();
    // The first page and its municipalities: both plans came from the cache.
    expect(after.hits - before.hits).toBeGreaterThanOrEqual(1);
    expect(after.misses).toBe(before.misses);
    expect(again).toEqual(first);

    await createSpace('札幌 B');
    const grown = await firstPage();
    expect(grown.map((space) => space.name)).toEqual(['札幌 A', '札幌 B']);
    expect(grown[1]!.municipality.name).toBe('札幌市');
  });

  it('compiles a read with other values on its own and answers for those values', async () => {
    const a = await createSpace('函館 C');
    const b = await createSpace('函館 D');
    const before = queryPlanCacheStats();
    const foundA = await database.prisma.space.findUnique({ where: { id: a.id } });
    const foundB = await database.prisma.space.findUnique({ where: { id: b.id } });
    const foundAAgain = await database.prisma.space.findUnique({ where: { id: a.id } });
    const after = queryPlanCacheStats();
    expect([foundA?.name, foundB?.name, foundAAgain?.name]).toEqual(['函館 C', '函館 D', '函館 C']);
    expect(after.misses - before.misses).toBe(2);
    expect(after.hits - before.hits).toBe(1);
  });

  it('reuses the plan of an identical raw query, and runs it every time', async () => {
    const names = () =>
      database.prisma.$queryRaw<
        { name: string }[]
      >`SELECT name FROM space WHERE name LIKE ${'札幌%'} ORDER BY name`;
    const first = await names();
    const before = queryPlanCacheStats();
    await createSpace('札幌 Z');
    const after = await names();
    expect(queryPlanCacheStats().hits - before.hits).toBe(1);
    expect(after.map((row) => row.name)).toEqual([...first.map((row) => row.name), '札幌 Z']);
  });

  it('never caches writes: each create gets its own id and row', async () => {
    const before = queryPlanCacheStats();
    const [x, y] = [await createSpace('同名'), await createSpace('同名')];
    expect(x.id).not.toBe(y.id);
    expect(queryPlanCacheStats()).toEqual(before);
    expect(await database.prisma.space.count({ where: { name: '同名' } })).toBe(2);
  });
});
