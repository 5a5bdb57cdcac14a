import { createLogger } from '@hub/service-kit';
import { createTestDatabase, type TestDatabase } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedDemoData } from '../app.js';
import { connectDatabase, type Database } from '../db.js';
import { SPACE_ORDER } from '../schema/space.js';
import { firstPageOfSpaces, type SpacePageQuery } from './first-page-of-spaces.js';

// The one-statement first page must answer exactly as Prisma's findMany does: the demo data
// covers every enum, nulls and filled columns, dates and facilities.
const logger = createLogger({ name: 'spaces-first-page-test', level: 'silent' });
let testDatabase: TestDatabase;
let database: Database;

beforeAll(async () => {
  testDatabase = await createTestDatabase({
    migrationsDir: new URL('../../prisma/migrations', import.meta.url).pathname,
    prefix: 'hub_test_spaces_page',
  });
  database = connectDatabase({ url: testDatabase.url, poolMax: 2, logger });
  await seedDemoData({ prisma: database.prisma });
  // A space written without facilities (the column then holds NULL) and with an early name, so
  // it is on every page below.
  await database.prisma.$executeRaw`
    INSERT INTO space (id, name, kind, municipality_code, updated_at)
    SELECT '00000000-0000-4000-8000-000000000001', '0 設備なし', 'coworking', code, now()
    FROM municipality LIMIT 1`;
  // And one with every directory column filled (prices, photos, links, hours, town).
  await database.prisma.$executeRaw`
    INSERT INTO space (id, name, kind, admission_policy, municipality_code, town, address_line,
                       drop_in_price_yen, monthly_price_yen, photo_urls, links, weekly_hours,
                       hours_exceptions, closed_on_holidays, search_text, updated_at)
    SELECT '00000000-0000-4000-8000-000000000002', '0 全項目', 'incubator', 'members-only', code,
           '大門一番町', '12-2', 500, 11000, ARRAY['https://example.jp/a.jpg'],
           ARRAY['https://example.jp/'], '{"MONDAY":[{"opens":"09:00","closes":"18:00"}]}',
           '{"2026-12-28":[]}', true, '0 ぜんこうもく', now()
    FROM municipality LIMIT 1`;
}, 60_000);

afterAll(async () => {
  await database?.close(2_000);
  await testDatabase?.drop();
});

const viaPrisma = (query: SpacePageQuery) =>
  // biome-ignore lint/suspicious/noExplicitAny: the page query as Pothos hands it over
  database.prisma.space.findMany({ ...(query as any), orderBy: SPACE_ORDER });

describe('firstPageOfSpaces', () => {
  it.each([
    ['with municipalities', { include: { municipality: true }, take: 21, skip: 0, where: {} }],
    ['without', { take: 21, skip: 0, where: {} }],
    ['a short page', { include: { municipality: true }, take: 4, skip: 0, where: {} }],
  ])('reads the page as findMany does (%s)', async (_name, query) => {
    const expected = await viaPrisma(query);
    expect(expected.length).toBeGreaterThan(0);
    expect(await firstPageOfSpaces(database.prisma, query)).toEqual(expected);
  });

  it.each([
    ['a filter', { take: 21, skip: 0, where: { kind: 'COWORKING' } }],
    ['a cursor', { take: 21, skip: 1, cursor: { id: '00000000-0000-0000-0000-000000000000' } }],
    ['paging backwards', { take: -4, skip: 0, where: {} }],
    ['a deeper include', { include: { municipality: { include: { _count: true } } }, take: 5 }],
    ['a selection', { select: { id: true }, take: 5, skip: 0, where: {} }],
  ])('leaves other page queries to Prisma (%s)', (_name, query) => {
    expect(firstPageOfSpaces(database.prisma, query)).toBeNull();
  });
});
