import { AppError } from '@hub/service-kit';
import { seededRandom } from '@hub/testing';
import { describe, expect, it } from '@jest/globals';
import type { IndexedWorkerFacts } from './facts.js';
import { RankingIndex, type RankQuery } from './index.js';
import {
  explainWorker,
  gradeWorker,
  ineligibility,
  type OrderFacts,
  PROXIMITY_SAME_MUNICIPALITY,
  scoreOf,
  type WorkerFacts,
} from './score.js';
import {
  DEFAULT_RANKING_WEIGHTS,
  RANKING_FACTORS,
  type TRankingWeights,
  validateRankingWeights,
} from './weights.js';

// The engine alone, without the database: what makes a ranking right is here; the database
// path (change log, erasure, who may ask) is in src/schema/candidate.test.ts.

const CENTRE = '00000000-0000-4000-8000-00000000c001';
const TODAY = '2026-12-06';
const SKILLS = Array.from({ length: 12 }, (_, i) => `skill-${i}`);

const memberId = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

function worker(n: number, overrides: Partial<IndexedWorkerFacts> = {}): IndexedWorkerFacts {
  return {
    memberId: memberId(n),
    skills: [{ code: 'skill-0', level: 3, verified: false }],
    availableHoursPerWeek: 10,
    municipalityCode: '202151',
    affiliations: [{ organizationId: CENTRE, startsOn: '2020-01-01', endsOn: null }],
    homeSpaceIds: [],
    openAllocatedHours: 0,
    recentAssignedHours: 0,
    completedHours: 0,
    ratingSum: 0,
    ratingCount: 0,
    refreshAt: null,
    ...overrides,
  };
}

function order(overrides: Partial<OrderFacts> = {}): OrderFacts {
  return {
    requiredSkills: [{ code: 'skill-0', minimumLevel: 2 }],
    hoursNeeded: 40,
    centreMunicipalityCodes: ['202151'],
    centreNetworkSpaceIds: new Set(['space-1']),
    allowedMemberIds: null,
    ...overrides,
  };
}

function query(overrides: Partial<RankQuery> = {}): RankQuery {
  return {
    order: order(),
    periodWeeks: 4,
    poolOrganizationId: CENTRE,
    readable: { all: true },
    today: TODAY,
    trustDistances: new Map(),
    weights: { ...DEFAULT_RANKING_WEIGHTS },
    first: 50,
    ...overrides,
  };
}

function indexOf(workers: readonly IndexedWorkerFacts[]): RankingIndex {
  const index = new RankingIndex();
  for (const each of workers) index.upsert(each);
  return index;
}

function randomWorker(rng: ReturnType<typeof seededRandom>, n: number): IndexedWorkerFacts {
  const codes = new Set(Array.from({ length: rng.int(0, 5) }, () => SKILLS[rng.int(0, 11)]!));
  return worker(n, {
    skills: [...codes].map((code) => ({ code, level: rng.int(1, 5), verified: rng.next() < 0.3 })),
    availableHoursPerWeek: rng.next() < 0.1 ? null : rng.int(0, 40),
    municipalityCode: rng.next() < 0.5 ? '202151' : '012157',
    homeSpaceIds: rng.next() < 0.3 ? ['space-1'] : [],
    openAllocatedHours: rng.int(0, 30),
    recentAssignedHours: rng.int(0, 300),
    completedHours: rng.int(0, 400),
    ratingSum: 0,
    ratingCount: 0,
    ...(rng.next() < 0.5
      ? {}
      : ((count) => ({ ratingCount: count, ratingSum: count * rng.int(1, 5) }))(rng.int(1, 9))),
    affiliations: [
      {
        organizationId: rng.next() < 0.9 ? CENTRE : memberId(999_999),
        startsOn: '2020-01-01',
        endsOn: null,
      },
    ],
  });
}

function randomOrder(rng: ReturnType<typeof seededRandom>): OrderFacts {
  const codes = new Set(Array.from({ length: rng.int(0, 5) }, () => SKILLS[rng.int(0, 11)]!));
  return order({
    requiredSkills: [...codes].map((code) => ({ code, minimumLevel: rng.int(1, 5) })),
    hoursNeeded: rng.int(1, 400),
    // None, one, two with the workers' places, or one no worker lives in.
    centreMunicipalityCodes: [[], ['202151'], ['012157', '202151'], ['130001']][rng.int(0, 3)]!,
  });
}

function randomWeights(rng: ReturnType<typeof seededRandom>): TRankingWeights {
  const weights = Object.fromEntries(RANKING_FACTORS.map((f) => [f, rng.int(0, 1000)]));
  return validateRankingWeights({ ...weights, skillCoverage: rng.int(1, 1000) });
}

describe('ranking engine', () => {
  it.each(Array.from({ length: 25 }, (_, i) => 1000 + i))(
    'explains every candidate of a random order exactly (seed %i)',
    (seed) => {
      const rng = seededRandom(seed);
      const workers = Array.from({ length: 400 }, (_, n) => randomWorker(rng, n + 1));
      const rankQuery = query({
        order: randomOrder(rng),
        weights: randomWeights(rng),
        periodWeeks: rng.int(1, 6),
        trustDistances: new Map(workers.slice(0, 40).map((w, i) => [w.memberId, (i % 5) + 1])),
      });
      const ranked = indexOf(workers).rank(rankQuery);
      expect(ranked.length).toBeGreaterThan(0);
      for (const candidate of ranked) {
        expect(candidate.parts.map((part) => part.factor)).toEqual([...RANKING_FACTORS]);
        expect(candidate.parts.reduce((sum, part) => sum + part.points, 0)).toBe(candidate.score);
        for (const part of candidate.parts) {
          expect(Number.isInteger(part.points)).toBe(true);
          expect(part.points).toBe(part.weight * (part.facts.grade as number));
          expect(part.explanation).toContain(`${part.points} 点`);
          expect(part.explanationEn).toContain(`${part.points} points`);
        }
      }
      // Ranks 1..n, score high to low, then member id.
      expect(ranked.map((c) => c.rank)).toEqual(ranked.map((_, i) => i + 1));
      for (let i = 1; i < ranked.length; i += 1) {
        const [a, b] = [ranked[i - 1]!, ranked[i]!];
        expect(a.score > b.score || (a.score === b.score && a.memberId < b.memberId)).toBe(true);
      }
      // Nobody eligible is left out of the top: brute force over every worker agrees.
      const brute = workers
        .filter((w) => w.affiliations[0]!.organizationId === CENTRE)
        .map((w) => ({ w, facts: factsOf(w, rankQuery) }))
        .filter(({ facts }) => {
          // score.ts's rule and the rule written out again below agree on every worker.
          const eligible = ineligibility(rankQuery.order, facts) === null;
          expect(isEligible(rankQuery.order, facts)).toBe(eligible);
          return eligible;
        })
        .map(({ facts }) => explainWorker(rankQuery.order, facts, rankQuery.weights))
        .sort((a, b) => b.score - a.score || (a.memberId < b.memberId ? -1 : 1))
        .slice(0, 50);
      expect(ranked.map(({ memberId, score }) => ({ memberId, score }))).toEqual(
        brute.map(({ memberId, score }) => ({ memberId, score })),
      );
      // The same inputs in another order (and indexed again) give the same ranking.
      const again = indexOf([...workers].reverse()).rank(rankQuery);
      expect(again).toEqual(ranked);
    },
  );

  it('counts every municipality of a centre with spaces in several as near', () => {
    const twoPlaces = query({ order: order({ centreMunicipalityCodes: ['012157', '202151'] }) });
    const ranked = indexOf([
      worker(1, { municipalityCode: '202151' }),
      worker(2, { municipalityCode: '012157' }),
      worker(3, { municipalityCode: '130001' }),
      worker(4, { municipalityCode: null }),
    ]).rank(twoPlaces);
    const proximity = new Map(
      ranked.map((c) => [c.memberId, c.parts.find((p) => p.factor === 'proximity')!]),
    );
    for (const near of [memberId(1), memberId(2)]) {
      expect(proximity.get(near)!.facts).toMatchObject({
        sameMunicipality: true,
        centreMunicipalityCodes: ['012157', '202151'],
        grade: PROXIMITY_SAME_MUNICIPALITY,
      });
      expect(proximity.get(near)!.explanation).toContain(
        'センターの市区町村 (012157, 202151) に在住',
      );
      expect(proximity.get(near)!.explanationEn).toContain(
        'one of the centre’s municipalities (012157, 202151)',
      );
    }
    for (const far of [memberId(3), memberId(4)]) {
      expect(proximity.get(far)!.facts).toMatchObject({ sameMunicipality: false, grade: 0 });
    }
    // The fast path scores them as the explanation says: the two near ones first.
    expect(ranked.map((c) => c.memberId)).toEqual([1, 2, 3, 4].map(memberId));
    for (const candidate of ranked) {
      expect(candidate.parts.reduce((sum, part) => sum + part.points, 0)).toBe(candidate.score);
    }
  });

  it('ranks a verified skill above the same level unverified', () => {
    const ranked = indexOf([
      worker(1, { skills: [{ code: 'skill-0', level: 3, verified: false }] }),
      worker(2, { skills: [{ code: 'skill-0', level: 3, verified: true }] }),
    ]).rank(query());
    expect(ranked.map((c) => c.memberId)).toEqual([memberId(2), memberId(1)]);
    const coverage = ranked.map((c) => c.parts.find((p) => p.factor === 'skillCoverage')!);
    expect(coverage[0]!.points).toBeGreaterThan(coverage[1]!.points);
    expect(coverage[0]!.explanation).toContain('認定済み 1 件');
  });

  it('ranks the less recently assigned worker higher (fair spread)', () => {
    const ranked = indexOf([
      worker(1, { recentAssignedHours: 120 }),
      worker(2, { recentAssignedHours: 0 }),
      worker(3, { recentAssignedHours: 60 }),
    ]).rank(query());
    expect(ranked.map((c) => c.memberId)).toEqual([memberId(2), memberId(3), memberId(1)]);
    const fair = ranked.map((c) => c.parts.find((p) => p.factor === 'fairSpread')!.facts);
    expect(fair.map((f) => f.recentAssignedHours)).toEqual([0, 60, 120]);
  });

  it('breaks ties by member id, whatever order the workers came in', () => {
    const same = [5, 3, 9, 1].map((n) => worker(n));
    const ranked = indexOf(same).rank(query());
    expect(new Set(ranked.map((c) => c.score)).size).toBe(1);
    expect(ranked.map((c) => c.memberId)).toEqual([1, 3, 5, 9].map(memberId));
    expect(
      indexOf([...same].reverse())
        .rank(query({ first: 2 }))
        .map((c) => c.memberId),
    ).toEqual([1, 3].map(memberId));
  });

  it('ranks only eligible workers: a required skill met, capacity left, registered with the pool', () => {
    const ranked = indexOf([
      worker(1),
      worker(2, { skills: [{ code: 'skill-0', level: 1, verified: true }] }),
      worker(3, { skills: [{ code: 'skill-7', level: 5, verified: true }] }),
      worker(4, { availableHoursPerWeek: null }),
      worker(5, { availableHoursPerWeek: 5, openAllocatedHours: 20 }),
      worker(6, {
        affiliations: [{ organizationId: CENTRE, startsOn: '2020-01-01', endsOn: '2026-12-05' }],
      }),
      worker(7, {
        affiliations: [{ organizationId: memberId(999), startsOn: '2020-01-01', endsOn: null }],
      }),
    ]).rank(query());
    expect(ranked.map((c) => c.memberId)).toEqual([memberId(1)]);
  });

  it('ranks only workers allowed on site for a confidential order', () => {
    const workers = [worker(1), worker(2), worker(3)];
    const allowed = new Set([memberId(2)]);
    const ranked = indexOf(workers).rank(query({ order: order({ allowedMemberIds: allowed }) }));
    expect(ranked.map((c) => c.memberId)).toEqual([memberId(2)]);
    const nobody = indexOf(workers).rank(query({ order: order({ allowedMemberIds: new Set() }) }));
    expect(nobody).toEqual([]);
  });

  it('shows a staff caller only the workers registered with their organisations', () => {
    const other = memberId(888);
    const workers = [
      worker(1),
      worker(2, {
        affiliations: [
          { organizationId: CENTRE, startsOn: '2020-01-01', endsOn: null },
          { organizationId: other, startsOn: '2020-01-01', endsOn: null },
        ],
      }),
    ];
    const ranked = indexOf(workers).rank(
      query({ readable: { all: false, memberId: null, registeredWith: [other] } }),
    );
    expect(ranked.map((c) => c.memberId)).toEqual([memberId(2)]);
  });

  it('forgets a removed worker and follows changed skills', () => {
    const index = indexOf([worker(1), worker(2)]);
    index.remove(memberId(1));
    index.upsert(worker(2, { skills: [{ code: 'skill-5', level: 5, verified: true }] }));
    expect(index.rank(query())).toEqual([]);
    index.upsert(worker(1));
    expect(index.rank(query()).map((c) => c.memberId)).toEqual([memberId(1)]);
    expect(index.size).toBe(2);
  });

  it.each([7, 8, 9])(
    'ranks after random changes as an index built afresh does (seed %i)',
    (seed) => {
      const rng = seededRandom(seed);
      const index = new RankingIndex();
      const current = new Map<string, IndexedWorkerFacts>();
      const rankQuery = query({ order: randomOrder(rng), weights: randomWeights(rng) });
      for (let step = 0; step < 3000; step += 1) {
        const n = rng.int(1, 300);
        if (rng.next() < 0.2) {
          index.remove(memberId(n));
          current.delete(memberId(n));
        } else {
          const next = randomWorker(rng, n);
          index.upsert(next);
          current.set(next.memberId, next);
        }
        // Rank now and then, so the pool bitmap is cached while workers keep changing.
        if (step % 500 === 0) index.rank(rankQuery);
      }
      expect(index.size).toBe(current.size);
      expect(index.rank(rankQuery)).toEqual(indexOf([...current.values()]).rank(rankQuery));
    },
  );

  it('scores the fast path and the explanation alike', () => {
    const facts = factsOf(
      worker(1, { ratingCount: 3, ratingSum: 13, completedHours: 90 }),
      query(),
    );
    const weights = { ...DEFAULT_RANKING_WEIGHTS, trackRecord: 7 };
    expect(explainWorker(order(), facts, weights).score).toBe(
      scoreOf(gradeWorker(order(), facts), weights),
    );
  });
});

describe('validateRankingWeights', () => {
  it.each([
    ['a negative weight', { ...DEFAULT_RANKING_WEIGHTS, capacity: -1 }, 'weights.capacity'],
    ['a fraction', { ...DEFAULT_RANKING_WEIGHTS, trust: 1.5 }, 'weights.trust'],
    [
      'a weight above the maximum',
      { ...DEFAULT_RANKING_WEIGHTS, proximity: 1001 },
      'weights.proximity',
    ],
    [
      'a missing weight',
      { ...DEFAULT_RANKING_WEIGHTS, fairSpread: undefined },
      'weights.fairSpread',
    ],
    ['all zero', Object.fromEntries(RANKING_FACTORS.map((f) => [f, 0])), 'weights'],
  ])('refuses %s (INVALID_WEIGHTS)', (_what, weights, field) => {
    let error: unknown;
    try {
      validateRankingWeights(weights);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'INVALID_WEIGHTS', details: { field } });
  });

  it('accepts zeros beside one positive weight', () => {
    const weights = { ...Object.fromEntries(RANKING_FACTORS.map((f) => [f, 0])), trust: 1 };
    expect(validateRankingWeights(weights)).toEqual(weights);
  });
});

function factsOf(each: IndexedWorkerFacts, rankQuery: RankQuery): WorkerFacts {
  return {
    memberId: each.memberId,
    skills: each.skills,
    capacityHours:
      each.availableHoursPerWeek === null
        ? 0
        : each.availableHoursPerWeek * rankQuery.periodWeeks - each.openAllocatedHours,
    recentAssignedHours: each.recentAssignedHours,
    municipalityCode: each.municipalityCode,
    homeSpaceIds: each.homeSpaceIds,
    completedHours: each.completedHours,
    ratingSum: each.ratingSum,
    ratingCount: each.ratingCount,
    trustDistance: rankQuery.trustDistances.get(each.memberId) ?? null,
  };
}

/** The eligibility rule written out again, independently of score.ts. */
function isEligible(orderFacts: OrderFacts, facts: WorkerFacts): boolean {
  if (facts.capacityHours <= 0) return false;
  if (orderFacts.allowedMemberIds && !orderFacts.allowedMemberIds.has(facts.memberId)) return false;
  if (orderFacts.requiredSkills.length === 0) return true;
  return orderFacts.requiredSkills.some((required) =>
    facts.skills.some((s) => s.code === required.code && s.level >= required.minimumLevel),
  );
}
