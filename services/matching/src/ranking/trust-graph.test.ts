import { randomUUID } from 'node:crypto';
import { createTestDatabase, seededRandom, type TestDatabase, testPool } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { migrationsDir } from '../../test/support/matching-service.js';
import { japanDate } from '../../test/support/member-events.js';
import { connectDatabase, type Database } from '../db.js';
import { TRUST_MAX_HOPS, type TrustViewer, trustDistancesFrom } from '../read-models/trust.js';
import { noteRankingChange } from './change-log.js';
import { RankingIndexFeed } from './index.js';
import { loadTrustFacts, TrustGraph } from './trust-graph.js';

// The ranking walks the referral graph in memory (trust-graph.ts); trustDistancesFrom walks the
// same rule in SQL. On random graphs with every kind of viewer the two must agree exactly —
// which links count is a privacy rule, and the memory copy must not widen it — and the feed
// must carry a change (a new link, a visibility turned to staff, an affiliation ending) into
// the next walk.

const VISIBILITIES = ['public', 'members', 'staff'] as const;

describe('the referral graph in memory (real Postgres)', () => {
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

  async function addReferral(memberId: string, referredById: string | null, visibility: string) {
    await sql.query(
      `INSERT INTO referral (member_id, referred_by_id, profile_visibility, source_event_at)
       VALUES ($1, $2, $3, now())
       ON CONFLICT (member_id) DO UPDATE
          SET referred_by_id = EXCLUDED.referred_by_id,
              profile_visibility = EXCLUDED.profile_visibility`,
      [memberId, referredById, visibility],
    );
  }

  async function addAffiliation(
    memberId: string,
    organizationId: string,
    startsOn: string,
    endsOn: string | null,
  ) {
    await sql.query(
      `INSERT INTO worker_affiliation (affiliation_id, member_id, organization_id, role, starts_on,
         ends_on, source_event_at)
       VALUES ($1, $2, $3, 'member', $4::date, $5::date, now())`,
      [randomUUID(), memberId, organizationId, startsOn, endsOn],
    );
  }

  const sorted = (distances: ReadonlyMap<string, number>) =>
    [...distances].sort(([a], [b]) => a.localeCompare(b));

  it.each([1, 2, 3, 4, 5, 6])(
    'gives the same distances as the SQL walk for every viewer (random graph, seed %i)',
    async (seed) => {
      const random = seededRandom(seed);
      const organizations = [randomUUID(), randomUUID(), randomUUID()];
      const members: string[] = [];
      // 120 members; two in three introduced by an earlier one, some referrers without a row
      // of their own (erased, or not announced yet), as the read model can hold them.
      for (let n = 0; n < 120; n += 1) {
        const memberId = randomUUID();
        const referrer =
          members.length > 0 && random.next() < 0.67
            ? random.next() < 0.05
              ? randomUUID()
              : random.pick(members)
            : null;
        await addReferral(memberId, referrer, random.pick(VISIBILITIES));
        members.push(memberId);
        if (random.next() < 0.4) {
          const ended = random.next() < 0.25;
          await addAffiliation(
            memberId,
            random.pick(organizations),
            random.next() < 0.1 ? japanDate(3) : japanDate(-100),
            ended ? japanDate(-1) : random.next() < 0.2 ? japanDate(0) : null,
          );
        }
      }
      const graph = new TrustGraph();
      await loadTrustFacts(db.prisma, graph, null);
      const today = japanDate(0);
      const viewers: TrustViewer[] = [
        'everyone',
        { memberId: random.pick(members), staffOrganizationIds: [], today },
        { memberId: randomUUID(), staffOrganizationIds: [organizations[0]!], today },
        { memberId: random.pick(members), staffOrganizationIds: organizations.slice(1), today },
      ];
      let farthest = 0;
      for (const viewer of viewers) {
        for (const from of [random.pick(members), random.pick(members), randomUUID()]) {
          for (const maxHops of [2, 4, TRUST_MAX_HOPS]) {
            const inSql = await trustDistancesFrom(db.prisma, {
              fromMemberId: from,
              viewer,
              maxHops,
            });
            expect(sorted(graph.distancesFrom(from, viewer, maxHops))).toEqual(sorted(inSql));
            farthest = Math.max(farthest, ...inSql.values());
          }
        }
      }
      // The graphs are not trivial: some walk goes at least two steps.
      expect(farthest).toBeGreaterThanOrEqual(2);
    },
  );

  it('follows the changes noted in ranking_change into the next walk', async () => {
    const organization = randomUUID();
    const [coordinator, a, b, c] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await addReferral(coordinator, null, 'members');
    await addReferral(a, coordinator, 'staff');
    await addReferral(b, a, 'members');
    const viewer: TrustViewer = {
      memberId: coordinator,
      staffOrganizationIds: [organization],
      today: japanDate(0),
    };
    const feed = new RankingIndexFeed(db.prisma);
    const walk = async () => {
      await feed.current();
      return feed.trust.distancesFrom(coordinator, viewer, 4);
    };
    // a → b is hidden: a shows their profile to staff only, and the coordinator is staff of no
    // organisation either is registered with.
    expect(sorted(await walk())).toEqual(
      sorted(
        new Map([
          [coordinator, 0],
          [a, 1],
        ]),
      ),
    );

    // b registers with the coordinator's organisation: the link becomes the coordinator's to read.
    await addAffiliation(b, organization, japanDate(-10), null);
    await noteRankingChange(db.prisma, [b]);
    expect((await walk()).get(b)).toBe(2);

    // c joins through b; then b's registration ends and a turns public: still two steps to b.
    await addReferral(c, b, 'public');
    await noteRankingChange(db.prisma, [c, b]);
    expect((await walk()).get(c)).toBe(3);
    await sql.query('UPDATE worker_affiliation SET ends_on = $2::date WHERE member_id = $1', [
      b,
      japanDate(-1),
    ]);
    await addReferral(a, coordinator, 'public');
    await noteRankingChange(db.prisma, [a, b]);
    expect(sorted(await walk())).toEqual(
      sorted(
        new Map([
          [coordinator, 0],
          [a, 1],
          [b, 2],
          [c, 3],
        ]),
      ),
    );

    // b is erased (the row goes): c's link to b stays, through a member without a row.
    await sql.query('DELETE FROM referral WHERE member_id = $1', [b]);
    await noteRankingChange(db.prisma, [b]);
    const after = await walk();
    const inSql = await trustDistancesFrom(db.prisma, {
      fromMemberId: coordinator,
      viewer,
      maxHops: 4,
    });
    expect(sorted(after)).toEqual(sorted(inSql));
  });
});
