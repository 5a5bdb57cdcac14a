import { randomUUID } from 'node:crypto';
import { todayInJapan } from '@hub/contracts';
import { createTestDatabase, type TestDatabase, testPool } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { migrationsDir } from '../../test/support/matching-service.js';
import { japanDate } from '../../test/support/member-events.js';
import { connectDatabase, type Database } from '../db.js';
import { capacityOf } from '../domain/assignments/capacity.js';
import { type RankedCandidate, RankingIndexFeed } from './index.js';
import { RefreshSchedule } from './refresh-schedule.js';
import { DEFAULT_RANKING_WEIGHTS } from './weights.js';

// Facts that change by the calendar alone — a home space ending, an assignment leaving the 90
// days, an open assignment's period ending — on real Postgres: the feed is loaded two days in the past (its clock is injectable),
// then the clock moves to today with no ranking_change row, and the next ranking must see them
// gone. The rows carry real past dates, so the database's dates and the feed's clock agree.

const DAY_MS = 24 * 60 * 60 * 1000;

describe('the ranking index follows the calendar (real Postgres)', () => {
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

  /** A data-entry worker (level 4, 30 h a week, outside the centre's municipality) of the centre. */
  async function addWorker(centre: string): Promise<string> {
    const memberId = randomUUID();
    await sql.query(
      `INSERT INTO worker (member_id, display_name, kind, municipality_code, skills,
         available_hours_per_week, registered_at, source_event_at)
       VALUES ($1, 'ワーカー', 'freelancer', '999999',
               '[{"code": "data-entry", "level": 4, "isVerified": false}]', 30, now(), now())`,
      [memberId],
    );
    await sql.query(
      `INSERT INTO worker_affiliation (affiliation_id, member_id, organization_id, role, starts_on,
         source_event_at)
       VALUES ($1, $2, $3, 'member', $4::date, now())`,
      [randomUUID(), memberId, centre, japanDate(-400)],
    );
    return memberId;
  }

  function rank(feed: RankingIndexFeed, centre: string, networkSpaceId: string, now: number) {
    return feed.current().then((index) =>
      index.rank({
        order: {
          requiredSkills: [{ code: 'data-entry', minimumLevel: 3 }],
          hoursNeeded: 60,
          centreMunicipalityCodes: ['011002'],
          centreNetworkSpaceIds: new Set([networkSpaceId]),
          allowedMemberIds: null,
        },
        periodWeeks: 4,
        poolOrganizationId: centre,
        readable: { all: true },
        today: todayInJapan(new Date(now)),
        trustDistances: new Map(),
        weights: { ...DEFAULT_RANKING_WEIGHTS },
        first: 50,
      }),
    );
  }

  const factsOf = (list: RankedCandidate[], memberId: string, factor: string) =>
    list
      .find((candidate) => candidate.memberId === memberId)!
      .parts.find((part) => part.factor === factor)!;

  it('drops a home space that ended yesterday and an assignment now 91 days old, with no event', async () => {
    const centre = randomUUID();
    const space = randomUUID();
    const withHome = await addWorker(centre);
    const withWork = await addWorker(centre);
    await sql.query(
      `INSERT INTO home_space (membership_id, member_id, space_id, municipality_code, plan,
         starts_on, ends_on, source_event_at)
       VALUES ($1, $2, $3, '011002', 'monthly', $4::date, $5::date, now())`,
      [randomUUID(), withHome, space, japanDate(-30), japanDate(-1)],
    );
    const order = randomUUID();
    await sql.query(
      `INSERT INTO work_order (id, title, category, client_id, receiving_centre_id,
         client_confirmed_at, receiving_centre_confirmed_at, volume, volume_unit, pay_model, rate,
         requires_on_site, status, updated_at)
       VALUES ($1, 'データ入力', 'data-entry', $2, $3, now(), now(), 40, 'hours', 'hourly', 1200,
               false, 'open', now())`,
      [order, randomUUID(), centre],
    );
    await sql.query(
      `INSERT INTO assignment (id, work_order_id, member_id, role, allocated_volume,
         allocated_hours, status, period_ends_at, created_at, completed_at, updated_at)
       VALUES ($1, $2, $3, 'worker', 40, 40, 'done', now() - interval '80 days',
               now() - interval '91 days', now() - interval '85 days', now())`,
      [randomUUID(), order, withWork],
    );

    const realNow = Date.now();
    let clock = realNow - 2 * DAY_MS;
    const feed = new RankingIndexFeed(db.prisma, { now: () => clock });

    // Two days ago the home space still covered the day and the assignment was 89 days old.
    const before = await rank(feed, centre, space, clock);
    expect(factsOf(before, withHome, 'proximity').facts).toMatchObject({
      homeSpacesInNetwork: [space],
    });
    expect(factsOf(before, withHome, 'proximity').points).toBeGreaterThan(0);
    expect(factsOf(before, withWork, 'fairSpread').facts).toMatchObject({
      recentAssignedHours: 40,
    });

    // Today, with nothing written since: both facts are gone from the next ranking.
    clock = realNow;
    const after = await rank(feed, centre, space, clock);
    const [changes] = (
      await sql.query<{ count: string }>('SELECT count(*) AS count FROM ranking_change')
    ).rows;
    expect(Number(changes!.count)).toBe(0);
    expect(factsOf(after, withHome, 'proximity')).toMatchObject({
      points: 0,
      facts: { homeSpacesInNetwork: [] },
    });
    expect(factsOf(after, withWork, 'fairSpread').facts).toMatchObject({
      recentAssignedHours: 0,
    });
    expect(factsOf(after, withWork, 'fairSpread').points).toBeGreaterThan(
      factsOf(before, withWork, 'fairSpread').points,
    );
  });

  it('frees the hours of an open assignment whose period ended yesterday, as offers do', async () => {
    const centre = randomUUID();
    const worker = await addWorker(centre);
    const order = randomUUID();
    await sql.query(
      `INSERT INTO work_order (id, title, category, client_id, receiving_centre_id,
         client_confirmed_at, receiving_centre_confirmed_at, volume, volume_unit, pay_model, rate,
         requires_on_site, status, updated_at)
       VALUES ($1, 'データ入力', 'data-entry', $2, $3, now(), now(), 40, 'hours', 'hourly', 1200,
               false, 'in-progress', now())`,
      [order, randomUUID(), centre],
    );
    // Accepted and never completed; its period (the order's deadline) ended a day ago.
    await sql.query(
      `INSERT INTO assignment (id, work_order_id, member_id, role, allocated_volume,
         allocated_hours, status, period_ends_at, created_at, updated_at)
       VALUES ($1, $2, $3, 'worker', 20, 20, 'accepted', now() - interval '1 day',
               now() - interval '20 days', now())`,
      [randomUUID(), order, worker],
    );

    const realNow = Date.now();
    let clock = realNow - 2 * DAY_MS;
    const feed = new RankingIndexFeed(db.prisma, { now: () => clock });
    // Two days ago the period ran: 30 h × 4 weeks − 20 h held.
    const before = await rank(feed, centre, randomUUID(), clock);
    expect(factsOf(before, worker, 'capacity').facts).toMatchObject({ capacityHours: 100 });
    const offersThen = await capacityOf(db.prisma, worker, { weeks: 4 }, new Date(clock));
    expect(offersThen).toEqual({ capacityHours: 120, allocatedHours: 20, remainingHours: 100 });

    // Today, with nothing written since, the ranking and an offer both see the hours free.
    clock = realNow;
    const after = await rank(feed, centre, randomUUID(), clock);
    expect(factsOf(after, worker, 'capacity').facts).toMatchObject({ capacityHours: 120 });
    const offersNow = await capacityOf(db.prisma, worker, { weeks: 4 }, new Date(clock));
    expect(offersNow).toEqual({ capacityHours: 120, allocatedHours: 0, remainingHours: 120 });
  });

  it('picks up a home space starting tomorrow once tomorrow comes', async () => {
    const centre = randomUUID();
    const space = randomUUID();
    const member = await addWorker(centre);
    await sql.query(
      `INSERT INTO home_space (membership_id, member_id, space_id, municipality_code, plan,
         starts_on, source_event_at)
       VALUES ($1, $2, $3, '011002', 'monthly', $4::date, now())`,
      [randomUUID(), member, space, todayInJapan()],
    );
    const realNow = Date.now();
    let clock = realNow - DAY_MS;
    const feed = new RankingIndexFeed(db.prisma, { now: () => clock });
    const yesterday = await rank(feed, centre, space, clock);
    expect(factsOf(yesterday, member, 'proximity').facts).toMatchObject({
      homeSpacesInNetwork: [],
    });
    clock = realNow;
    const today = await rank(feed, centre, space, clock);
    expect(factsOf(today, member, 'proximity').facts).toMatchObject({
      homeSpacesInNetwork: [space],
    });
  });
});

describe('RefreshSchedule', () => {
  it('hands out members in time order, once, and only at their latest moment', () => {
    const schedule = new RefreshSchedule();
    schedule.set('a', 30);
    schedule.set('b', 10);
    schedule.set('c', 20);
    schedule.set('a', 5); // moved earlier: the entry at 30 is stale
    schedule.set('c', null); // nothing due any more
    expect(schedule.takeDue(4)).toEqual([]);
    expect(schedule.takeDue(25)).toEqual(['a', 'b']);
    expect(schedule.takeDue(100)).toEqual([]);
    expect(schedule.size).toBe(0);
    for (let n = 0; n < 5000; n += 1) schedule.set('d', n + 1000);
    expect(schedule.takeDue(5998)).toEqual([]);
    expect(schedule.takeDue(5999)).toEqual(['d']);
  });
});
