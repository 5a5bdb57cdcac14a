import type { IndexedWorkerFacts, OrderFacts } from '@hub/matching';

// Synthetic workers for the ranking benchmark, seeded so every run ranks the same population.
// Shaped after the telework centres' registers (docs in ../shared/seeds/): a few skills most
// people have (data entry, office processing), a long tail of specialist ones; levels mostly
// 2–3; about a quarter verified by a centre; most people in the centre's own municipality or a
// neighbour; hours a week 5–40, some not stated; a work history that is empty for many.

export const RANKING_CENTRE = '00000000-0000-4000-8000-0000000c0001';
const OTHER_CENTRE = '00000000-0000-4000-8000-0000000c0002';

/** ~40 skill codes, most common first (their weights fall off as 1/rank: Zipf-like). */
export const SKILL_CODES = [
  'data-entry',
  'office-processing',
  'web-site-building',
  'writing',
  'design',
  'customer-support',
  'accounting',
  'translation-en',
  'programming-js',
  'video-editing',
  'photography',
  'illustration',
  'spreadsheet',
  'proofreading',
  'transcription',
  'social-media',
  'marketing',
  'seo',
  'programming-python',
  'programming-php',
  'wordpress',
  'dtp',
  'cad',
  'research',
  'tele-sales',
  'bookkeeping',
  'payroll',
  'translation-zh',
  'translation-ko',
  'ui-design',
  'qa-testing',
  'data-analysis',
  'project-management',
  'event-planning',
  'tourism-guide',
  'agri-support',
  'care-support',
  'teaching',
  'legal-documents',
  'map-data',
] as const;

const MUNICIPALITIES = [
  '202151',
  '202134',
  '202142',
  '203843',
  '204463',
  '202118',
  '205231',
  '012157',
  '011002',
  '131016',
];

/** Mulberry32: small, fast, seeded. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)) };
}

type Random = ReturnType<typeof seededRandom>;

function zipfPicker(count: number) {
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 1; rank <= count; rank += 1) {
    total += 1 / rank;
    cumulative.push(total);
  }
  return (random: Random) => {
    const target = random.next() * total;
    let low = 0;
    let high = count - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle]! < target) low = middle + 1;
      else high = middle;
    }
    return low;
  };
}

const LEVELS = [1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5];

export function memberIdOf(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** `count` workers, 95% registered with the benchmark's centre (the pool ranked). */
export function generateWorkers(count: number, seed = 11): IndexedWorkerFacts[] {
  const random = seededRandom(seed);
  const pickSkill = zipfPicker(SKILL_CODES.length);
  const pickPlace = zipfPicker(MUNICIPALITIES.length);
  const workers: IndexedWorkerFacts[] = [];
  for (let n = 1; n <= count; n += 1) {
    // 1–6 skills, most people 2–3.
    const skillCount = 1 + Math.min(5, Math.floor(-Math.log(1 - random.next()) * 1.6));
    const codes = new Set<string>();
    while (codes.size < skillCount) codes.add(SKILL_CODES[pickSkill(random)]!);
    const hasHistory = random.next() < 0.55;
    const ratings = hasHistory ? random.int(0, 12) : 0;
    workers.push({
      memberId: memberIdOf(n),
      skills: [...codes].map((code) => ({
        code,
        level: LEVELS[random.int(0, LEVELS.length - 1)]!,
        verified: random.next() < 0.25,
      })),
      availableHoursPerWeek: random.next() < 0.08 ? null : random.int(5, 40),
      municipalityCode: MUNICIPALITIES[pickPlace(random)]!,
      affiliations: [
        {
          organizationId: random.next() < 0.95 ? RANKING_CENTRE : OTHER_CENTRE,
          startsOn: '2024-04-01',
          endsOn: random.next() < 0.03 ? '2025-03-31' : null,
        },
      ],
      homeSpaceIds: random.next() < 0.4 ? [`space-${random.int(1, 200)}`] : [],
      openAllocatedHours: hasHistory ? random.int(0, 30) : 0,
      recentAssignedHours: hasHistory ? random.int(0, 320) : 0,
      completedHours: hasHistory ? random.int(0, 1200) : 0,
      ratingSum: ratings === 0 ? 0 : ratings * random.int(2, 5),
      ratingCount: ratings,
      refreshAt: null,
    });
  }
  return workers;
}

/**
 * One order with 5 required skills among the common ones (the hard case: the most workers to
 * score), for the centre in its municipality with a network of 20 spaces.
 */
export function benchmarkOrder(): OrderFacts {
  return {
    requiredSkills: [
      { code: 'data-entry', minimumLevel: 2 },
      { code: 'office-processing', minimumLevel: 3 },
      { code: 'spreadsheet', minimumLevel: 2 },
      { code: 'writing', minimumLevel: 3 },
      { code: 'customer-support', minimumLevel: 2 },
    ],
    hoursNeeded: 400,
    centreMunicipalityCodes: ['202151'],
    centreNetworkSpaceIds: new Set(Array.from({ length: 20 }, (_, i) => `space-${i + 1}`)),
    allowedMemberIds: null,
  };
}

/** Referral distances from the coordinator: a few hundred people within 4 steps. */
export function trustDistances(count: number, seed = 12): Map<string, number> {
  const random = seededRandom(seed);
  const distances = new Map<string, number>();
  for (let i = 0; i < 400; i += 1)
    distances.set(memberIdOf(random.int(1, count)), random.int(1, 4));
  return distances;
}

/** The centre's coordinator who ranks the order through the subgraph (bench/src/ranking-database.ts). */
export const RANKING_COORDINATOR = '00000000-0000-4000-8000-0000000cc001';

export type ReferralRow = {
  memberId: string;
  referredById: string | null;
  profileVisibility: 'public' | 'members' | 'staff';
};

/**
 * Who introduced whom, for the ranking through the subgraph: the coordinator introduced the
 * first 50 workers; after them 60 % came through someone registered earlier (any of them alike:
 * a random recursive tree, where early members gather the most introductions) and the rest on
 * their own. Profile visibility half `members`, a fifth `public`, the rest `staff`. The
 * coordinator's referral walk then crosses thousands of links, as a centre's founder's would.
 */
export function referralsOf(count: number, seed = 13): ReferralRow[] {
  const random = seededRandom(seed);
  const rows: ReferralRow[] = [
    { memberId: RANKING_COORDINATOR, referredById: null, profileVisibility: 'members' },
  ];
  for (let n = 1; n <= count; n += 1) {
    const referredById =
      n <= 50 ? RANKING_COORDINATOR : random.next() < 0.6 ? memberIdOf(random.int(1, n - 1)) : null;
    const roll = random.next();
    rows.push({
      memberId: memberIdOf(n),
      referredById,
      profileVisibility: roll < 0.5 ? 'members' : roll < 0.7 ? 'public' : 'staff',
    });
  }
  return rows;
}
