import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { dueBy, eventRunFigures, quantile } from './figures.js';
import { PgDatabase } from './pg-database.js';

// The pure parts of `npm run bench events`, and its pg adapter against the real PostgreSQL; the
// suite itself is run by hand (it takes minutes).

describe('the open-loop schedule', () => {
  it('has rate × elapsed events due, never more than the run holds', () => {
    expect(dueBy(0, 500, 60)).toBe(0);
    expect(dueBy(1, 500, 60)).toBe(0);
    expect(dueBy(2, 500, 60)).toBe(1);
    expect(dueBy(1000, 500, 60)).toBe(500);
    expect(dueBy(59_999, 500, 60)).toBe(29_999);
    expect(dueBy(120_000, 500, 60)).toBe(30_000);
  });
});

describe('event run figures', () => {
  it('takes nearest-rank quantiles', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantile(sorted, 0.5)).toBe(50);
    expect(quantile(sorted, 0.99)).toBe(99);
    expect(quantile(sorted, 1)).toBe(100);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('counts commit → effect per event, and what was lost, redelivered or duplicated', () => {
    const figures = eventRunFigures({
      commits: new Map([
        ['a', 1000],
        ['b', 1002],
        ['c', 1004],
        ['d', 1006],
      ]),
      effects: new Map([
        ['a', 1010],
        ['b', 1032],
        ['c', 1005],
      ]),
      deliveries: new Map([
        ['a', 1],
        ['b', 3],
        ['c', 1],
      ]),
      effectRows: new Map([
        ['a', 1],
        ['b', 1],
        ['c', 2],
      ]),
      publishWindowMs: 2000,
    });
    expect(figures).toEqual({
      committed: 4,
      lost: 1,
      redeliveries: 2,
      duplicateEffects: 1,
      achievedRate: 2,
      p50: 10,
      p95: 30,
      p99: 30,
      max: 30,
    });
  });
});

describe('PgDatabase (the event bus on pg)', () => {
  // One connection: the temporary table lives on it.
  const pool = new pg.Pool({
    connectionString:
      process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
    max: 1,
  });
  const db = new PgDatabase(pool);

  beforeAll(async () => {
    await pool.query('CREATE TEMP TABLE bench_pg_database (n int PRIMARY KEY)');
  });
  afterAll(async () => {
    await pool.end();
  });

  it('commits a transaction whole and answers rows and row counts', async () => {
    const value = await db.$transaction(async (tx) => {
      expect(
        await tx.$executeRawUnsafe('INSERT INTO bench_pg_database VALUES ($1), ($2)', 1, 2),
      ).toBe(2);
      return 'done';
    });
    expect(value).toBe('done');
    expect(await db.$queryRawUnsafe('SELECT n FROM bench_pg_database ORDER BY n')).toEqual([
      { n: 1 },
      { n: 2 },
    ]);
  });

  it('rolls a failed transaction back entirely', async () => {
    await expect(
      db.$transaction(async (tx) => {
        await tx.$executeRawUnsafe('INSERT INTO bench_pg_database VALUES ($1)', 3);
        await tx.$executeRawUnsafe('INSERT INTO bench_pg_database VALUES ($1)', 1);
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await db.$queryRawUnsafe('SELECT count(*)::int AS c FROM bench_pg_database')).toEqual([
      { c: 2 },
    ]);
  });

  it('rolls back a transaction whose work ran past its timeout', async () => {
    await expect(
      db.$transaction(
        async (tx) => {
          await tx.$executeRawUnsafe('INSERT INTO bench_pg_database VALUES ($1)', 4);
          await tx.$queryRawUnsafe('SELECT pg_sleep(0.2)');
        },
        { timeout: 50 },
      ),
    ).rejects.toThrow(/transaction timeout/);
    expect(await db.$queryRawUnsafe('SELECT n FROM bench_pg_database WHERE n = 4')).toEqual([]);
  });
});
