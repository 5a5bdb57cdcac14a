import { randomUUID } from 'node:crypto';
import { todayInJapan } from '@hub/contracts';
import { createTestDatabase, type TestDatabase, testPool } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { migrationsDir } from '../../test/support/matching-service.js';
import { japanDate } from '../../test/support/member-events.js';
import { connectDatabase, type Database } from '../db.js';
import { loadWorkerFacts } from './facts.js';
import { RankingIndexFeed } from './index.js';
import { DEFAULT_RANKING_WEIGHTS } from './weights.js';

// The feed's robustness on real Postgres: a reload that fails must not lose the changes it was
// reloading. Each test has a centre of its own, so the tests share the database.

describe('the ranking index feed (real Postgres)', () => {
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
