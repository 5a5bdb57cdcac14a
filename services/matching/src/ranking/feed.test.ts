import { randomUUID } from 'node:crypto';
import { todayInJapan } from '@hub/contracts';
import { createTestDatabase, type TestDatabase, testPool } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { migrationsDir } from '../../test/support/matching-service.js';
import { japanDate } from '../../test/support/member-events.js';
import { connectDatabase, type Database } from '../db.js';
import { loadWorkerFacts } from './facts.js';
import { FIRST_LOAD_LOOKBACK, RankingIndexFeed } from './index.js';
import { pruneRankingChanges, RANKING_CHANGE_RETENTION_MS } from './prune-ranking-changes.js';
import { DEFAULT_RANKING_WEIGHTS } from './weights.js';

// The feed's robustness on real Postgres: a reload that fails must not lose the changes it was
// reloading; pruning ranking_change keeps what feeds need, and a feed idle while rows it never
// read were pruned loads in full. Each test has a centre of its own; the pruning tests count
// rows of the whole table, so they start by emptying it (no other test reads older rows).

const DAY_MS = 24 * 60 * 60 * 1000;

describe('the ranking index feed and its pruning (real Postgres)', () => {
  let database: TestDatabase;
  let db: Database;
  let sql: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase({ migrationsDir, prefix: 'matching_test' });
    db = connectDatabase({ url: database.url, poolMax: 2 });
    sql = testPool(database.url, 2);
  });

  afterAll(async () => {
    await db?.close();
    await sql?.end();
    await database?.drop();
  });

  /** A data-entry worker (level `level`, 30 h a week) registered with the centre. */
  async function addWorker(centre: string, level: number): Promise<string> {
    const memberId = randomUUID();
    await sql.query(
      `INSERT INTO worker (member_id, display_name, kind, municipality_code, skills,
         available_hours_per_week, registered_at, source_event_at)
       VALUES ($1, 'ワーカー', 'freelancer', '999999',
               jsonb_build_array(jsonb_build_object('code', 'data-entry', 'level', $2::int,
                                                    'isVerified', false)),
               30, now(), now())`,
      [memberId, level],
    );
    await sql.query(
      `INSERT INTO worker_affiliation (affiliation_id, member_id, organization_id, role, starts_on,
         source_event_at)
       VALUES ($1, $2, $3, 'member', $4::date, now())`,
      [randomUUID(), memberId, centre, japanDate(-400)],
    );
    return memberId;
  }

  /** As a read-model write does: the row changes and ranking_change names the member. */
  async function setLevel(memberId: string, level: number): Promise<void> {
    await sql.query(
      `UPDATE worker SET skills = jsonb_build_array(jsonb_build_object('code', 'data-entry',
         'level', $2::int, 'isVerified', false)) WHERE member_id = $1`,
      [memberId, level],
    );
    await sql.query('INSERT INTO ranking_change (member_id) VALUES ($1)', [memberId]);
  }

  async function levelsOf(feed: RankingIndexFeed, centre: string): Promise<Map<string, unknown>> {
    const index = await feed.current();
    const list = index.rank({
      order: {
        requiredSkills: [{ code: 'data-entry', minimumLevel: 1 }],
        hoursNeeded: 60,
        centreMunicipalityCodes: [],
        centreNetworkSpaceIds: new Set(),
        allowedMemberIds: null,
      },
      periodWeeks: 4,
      poolOrganizationId: centre,
      readable: { all: true },
      today: todayInJapan(),
      trustDistances: new Map(),
      weights: { ...DEFAULT_RANKING_WEIGHTS },
      first: 50,
    });
    return new Map(
      list.map((candidate) => {
        const part = candidate.parts.find((p) => p.factor === 'skillCoverage')!;
        const [skill] = part.facts.required as { level: number }[];
        return [candidate.memberId, skill!.level];
      }),
    );
  }

  /** `count` changes naming members with no worker row, created `ageMs` ago. */
  async function addChanges(count: number, ageMs: number): Promise<void> {
    await sql.query(
      `INSERT INTO ranking_change (member_id, created_at)
       SELECT gen_random_uuid(), now() - make_interval(secs => $2::double precision / 1000)
         FROM generate_series(1, $1::int)`,
      [count, ageMs],
    );
  }

  async function seqRange(): Promise<{ count: number; min: number; max: number }> {
    const { rows } = await sql.query<{ count: string; min: string; max: string }>(
      'SELECT count(*) AS count, min(seq) AS min, max(seq) AS max FROM ranking_change',
    );
    return { count: Number(rows[0]!.count), min: Number(rows[0]!.min), max: Number(rows[0]!.max) };
  }

  /** A feed counting its full loads (the loader asked for every worker). */
  function countingFeed(): { feed: RankingIndexFeed; fullLoads: () => number } {
    let fullLoads = 0;
    const feed = new RankingIndexFeed(db.prisma, {
      loadFacts: (prisma, memberIds, now) => {
        if (memberIds === null) fullLoads += 1;
        return loadWorkerFacts(prisma, memberIds, now);
      },
    });
    return { feed, fullLoads: () => fullLoads };
  }

  it('deletes changes older than a day but never the newest ones a first load rereads', async () => {
    await sql.query('DELETE FROM ranking_change');
    const keep = Number(FIRST_LOAD_LOOKBACK);
    await addChanges(keep + 500, 2 * DAY_MS);
    await addChanges(10, 0);
    const before = await seqRange();
    expect(await pruneRankingChanges(db.prisma)).toBe(510);
    // Of the old rows only those among the newest `keep` are left, and every recent one.
    expect(await seqRange()).toEqual({
      count: keep,
      min: before.max - keep + 1,
      max: before.max,
    });

    // With enough recent rows, every old one goes; recent ones stay however many there are.
    await addChanges(keep + 200, 0);
    expect(await pruneRankingChanges(db.prisma)).toBe(keep - 10);
    expect((await seqRange()).count).toBe(keep + 210);
    // A retention of a day: rows 23 hours old stay.
    await sql.query(`UPDATE ranking_change SET created_at = now() - interval '23 hours'`);
    expect(await pruneRankingChanges(db.prisma)).toBe(0);
    expect(
      await pruneRankingChanges(db.prisma, { now: Date.now() + RANKING_CHANGE_RETENTION_MS }),
    ).toBe(210);
  });

  it('loads in full when changes it never read were pruned while it sat idle', async () => {
    const centre = randomUUID();
    const [erased, changed, kept] = await Promise.all([
      addWorker(centre, 2),
      addWorker(centre, 2),
      addWorker(centre, 3),
    ]);
    const idle = countingFeed();
    expect([...(await levelsOf(idle.feed, centre)).keys()].sort()).toEqual(
      [erased, changed, kept].sort(),
    );

    // A day passes, the idle feed reads nothing: one worker erased, one changed, then many more
    // changes, and the pruning removes the two that name them.
    await sql.query('DELETE FROM worker_affiliation WHERE member_id = $1', [erased]);
    await sql.query('DELETE FROM worker WHERE member_id = $1', [erased]);
    await sql.query('INSERT INTO ranking_change (member_id) VALUES ($1)', [erased]);
    await setLevel(changed, 5);
    await sql.query(`UPDATE ranking_change SET created_at = now() - interval '2 days'`);
    await addChanges(Number(FIRST_LOAD_LOOKBACK) + 10, 2 * DAY_MS);
    // A busy feed, current until the pruning, must not load in full.
    const busy = countingFeed();
    await busy.feed.current();
    expect(await pruneRankingChanges(db.prisma)).toBeGreaterThan(0);
    const { rows } = await sql.query(
      'SELECT 1 FROM ranking_change WHERE member_id = ANY($1::uuid[])',
      [[erased, changed]],
    );
    expect(rows).toEqual([]);

    const levels = await levelsOf(idle.feed, centre);
    expect(idle.fullLoads()).toBe(2);
    expect(levels.has(erased)).toBe(false);
    expect(levels.get(changed)).toBe(5);
    expect(levels.get(kept)).toBe(3);
    expect((await levelsOf(idle.feed, centre)).size).toBe(2);
    expect(idle.fullLoads()).toBe(2);

    await busy.feed.current();
    expect(busy.fullLoads()).toBe(1);
  });

  it('reloads a changed member on the next ranking after its reload failed once', async () => {
    const centre = randomUUID();
    const member = await addWorker(centre, 2);
    let failNextReload = false;
    const feed = new RankingIndexFeed(db.prisma, {
      loadFacts: (prisma, memberIds, now) => {
        if (failNextReload && memberIds !== null) {
          failNextReload = false;
          return Promise.reject(new Error('injected reload failure'));
        }
        return loadWorkerFacts(prisma, memberIds, now);
      },
    });
    expect((await levelsOf(feed, centre)).get(member)).toBe(2);

    await setLevel(member, 4);
    failNextReload = true;
    await expect(feed.current()).rejects.toThrow('injected reload failure');
    // No new ranking_change row: the member must still be reloaded.
    expect((await levelsOf(feed, centre)).get(member)).toBe(4);
  });
});
