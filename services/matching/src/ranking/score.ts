// Scoring one worker for one order: pure, integer-only, so the same inputs always give the same
// score and an explanation's parts add up to it exactly. Each factor grades the worker 0–100
// (whole numbers, rounded down); its points are weight × grade; the score is the sum of points.
// The fast path (RankingIndex.rank in index.ts, on its columns) and the explained path
// (explainWorker) share the graders below, so both compute the same grades.

import {
  RANKING_FACTOR_LABELS,
  RANKING_FACTORS,
  type RankingFactor,
  type TRankingWeights,
} from './weights.js';

export type RequiredSkill = { readonly code: string; readonly minimumLevel: number };

/** What the ranking knows about the order (and its receiving centre). */
export type OrderFacts = {
  readonly requiredSkills: readonly RequiredSkill[];
  /** Whole hours the order needs (units × hours per unit for UNITS orders). */
  readonly hoursNeeded: number;
  /**
   * Municipalities where the receiving centre operates spaces (by code, ascending): living in
   * any of them is "the centre's municipality". Empty when it operates none.
   */
  readonly centreMunicipalityCodes: readonly string[];
  /** Spaces of the receiving centre's networks. */
  readonly centreNetworkSpaceIds: ReadonlySet<string>;
  /** Confidential orders: members allowed into the client's satellite office; null otherwise. */
  readonly allowedMemberIds: ReadonlySet<string> | null;
};

export type WorkerSkillFact = {
  readonly code: string;
  readonly level: number;
  readonly verified: boolean;
};

/** What the ranking knows about a worker, for one order. Hours are whole hours. */
export type WorkerFacts = {
  readonly memberId: string;
  readonly skills: readonly WorkerSkillFact[];
  /** Remaining capacity this period (the order's weeks × hours a week − open assignments). */
  readonly capacityHours: number;
  /** Hours assigned to them in the last 90 days. */
  readonly recentAssignedHours: number;
  readonly municipalityCode: string | null;
  readonly homeSpaceIds: readonly string[];
  readonly completedHours: number;
  /** Sum and count of ratings 1–5 (the average without fractions). */
  readonly ratingSum: number;
  readonly ratingCount: number;
  /** Referral distance to the coordinator or leader; null = not connected or not visible. */
  readonly trustDistance: number | null;
};

export type ScorePart = {
  factor: RankingFactor;
  weight: number;
  /** weight × grade. */
  points: number;
  /** The facts behind the grade, in plain values. */
  facts: Record<string, unknown>;
  explanation: string;
  explanationEn: string;
};

export type ScoredWorker = { memberId: string; score: number; parts: ScorePart[] };

/** Grades 0–100 per factor, in RANKING_FACTORS order. */
export type Grades = Record<RankingFactor, number>;

// The tuning constants, named so the explanations and docs/matching.md can quote them.
/** A skill met at the minimum level earns 6 of 10; up to 2 more for levels above it. */
export const SKILL_CREDIT_MET = 6;
export const SKILL_CREDIT_ABOVE_MAX = 2;
/** A verified skill earns 2 more: verified skills count more than declared ones. */
export const SKILL_CREDIT_VERIFIED = 2;
export const SKILL_CREDIT_MAX = SKILL_CREDIT_MET + SKILL_CREDIT_ABOVE_MAX + SKILL_CREDIT_VERIFIED;
/** Room for the whole order, or for this many hours of it, earns the full capacity grade. */
export const CAPACITY_TARGET_HOURS = 80;
/** Hours assigned in 90 days at which the fair-spread grade reaches 0 (about 20 h a week). */
export const FAIR_SPREAD_SPAN_HOURS = 240;
export const PROXIMITY_SAME_MUNICIPALITY = 60;
export const PROXIMITY_HOME_IN_NETWORK = 40;
/** Completed hours earn 1 point per 4 h up to 50; the average rating the other 50. */
export const TRACK_RECORD_HOURS_PER_POINT = 4;
export const TRACK_RECORD_HALF = 50;
/** Trust: a direct referral 100, each further step 30 less. */
export const TRUST_STEP = 30;
/** The farthest referral distance that still earns trust points (4: 100 − 3 × 30 = 10). */
export const TRUST_RANKED_HOPS = Math.ceil(100 / TRUST_STEP);

export type Ineligibility = 'NO_REQUIRED_SKILL' | 'NO_CAPACITY' | 'NOT_ALLOWED_ON_SITE';

/**
 * Why a worker is not a candidate, or null when they are. A candidate must meet at least one
 * required skill at its minimum level — not all: orders are split among several workers and
 * team orders combine people, so someone covering part of the skills is still worth offering a
 * part; someone covering none is not a candidate for this work. They must have capacity left
 * (an offer beyond it is refused), and for a confidential order be allowed into the client's
 * satellite office.
 */
export function ineligibility(order: OrderFacts, worker: WorkerFacts): Ineligibility | null {
  if (order.allowedMemberIds !== null && !order.allowedMemberIds.has(worker.memberId)) {
    return 'NOT_ALLOWED_ON_SITE';
  }
  if (worker.capacityHours <= 0) return 'NO_CAPACITY';
  if (!meetsRequiredSkills(order.requiredSkills, worker.skills)) return 'NO_REQUIRED_SKILL';
  return null;
}

/**
 * The skills rule, for the ranking and for offers (domain/assignments/eligibility.ts): an order
 * requiring skills needs at least one of them held at its minimum level; one requiring none,
 * nothing.
 */
export function meetsRequiredSkills(
  required: readonly RequiredSkill[],
  skills: readonly Pick<WorkerSkillFact, 'code' | 'level'>[],
): boolean {
  if (required.length === 0) return true;
  return required.some((each) => {
    const skill = findSkill(skills, each.code);
    return skill !== undefined && skill.level >= each.minimumLevel;
  });
}

/**
 * What a team role's declared skills (共同受託, `roles[].skillCodes`) ask of the person offered
 * that role, for meetsRequiredSkills — so a role, like an order, needs at least one of its skills.
 * A code the order also requires keeps the order's minimum level (the role cannot ask less of it
 * than the order does); any other is met by holding it at all (level 1): the role names a
 * skill, not a level. None declared: nothing.
 */
export function roleSkillRequirements(
  skillCodes: readonly string[],
  orderRequired: readonly RequiredSkill[],
): RequiredSkill[] {
  return [...new Set(skillCodes)].map((code) => ({
    code,
    minimumLevel: orderRequired.find((each) => each.code === code)?.minimumLevel ?? 1,
  }));
}

function findSkill<S extends Pick<WorkerSkillFact, 'code'>>(skills: readonly S[], code: string) {
  for (const skill of skills) if (skill.code === code) return skill;
  return undefined;
}

// The graders on plain numbers: the index's fast path calls these on its columns, the
// explained path below on WorkerFacts, so both compute the very same grades.

/** Credit 0–SKILL_CREDIT_MAX for one required skill held at `level` (0 = not held). */
export function skillCreditOf(level: number, isVerified: boolean, minimumLevel: number): number {
  if (level < minimumLevel || level <= 0) return 0;
  const above = Math.min(level - minimumLevel, SKILL_CREDIT_ABOVE_MAX);
  return SKILL_CREDIT_MET + above + (isVerified ? SKILL_CREDIT_VERIFIED : 0);
}

/** Coverage grade from the summed credit over `requiredCount` skills (none required: 100). */
export function coverageGradeOf(credit: number, requiredCount: number): number {
  if (requiredCount === 0) return 100;
  return Math.floor((100 * credit) / (SKILL_CREDIT_MAX * requiredCount));
}

export function capacityTargetOf(hoursNeeded: number): number {
  return Math.max(1, Math.min(hoursNeeded, CAPACITY_TARGET_HOURS));
}

export function capacityGradeOf(capacityHours: number, hoursNeeded: number): number {
  if (capacityHours <= 0) return 0;
  return Math.min(100, Math.floor((100 * capacityHours) / capacityTargetOf(hoursNeeded)));
}

export function fairSpreadGradeOf(recentAssignedHours: number): number {
  const used = Math.max(0, recentAssignedHours);
  return Math.max(0, 100 - Math.floor((100 * used) / FAIR_SPREAD_SPAN_HOURS));
}

export function proximityGradeOf(isSameMunicipality: boolean, hasHomeInNetwork: boolean): number {
  return (
    (isSameMunicipality ? PROXIMITY_SAME_MUNICIPALITY : 0) +
    (hasHomeInNetwork ? PROXIMITY_HOME_IN_NETWORK : 0)
  );
}

function hoursPartOf(completedHours: number): number {
  const hours = Math.max(0, completedHours);
  return Math.min(TRACK_RECORD_HALF, Math.floor(hours / TRACK_RECORD_HOURS_PER_POINT));
}

/** Average rating 1 → 0, 5 → 50, in whole points. */
function ratingPartOf(ratingSum: number, ratingCount: number): number {
  if (ratingCount <= 0) return 0;
  const above = Math.max(0, ratingSum - ratingCount);
  return Math.min(TRACK_RECORD_HALF, Math.floor((TRACK_RECORD_HALF * above) / (4 * ratingCount)));
}

export function trackRecordGradeOf(
  completedHours: number,
  ratingSum: number,
  ratingCount: number,
): number {
  return hoursPartOf(completedHours) + ratingPartOf(ratingSum, ratingCount);
}

/** Referral distance → grade; null (not connected or not visible) → 0. */
export function trustGradeOf(distance: number | null): number {
  if (distance === null) return 0;
  return Math.max(0, 100 - TRUST_STEP * Math.max(0, distance - 1));
}

function skillCredit(required: RequiredSkill, skill: WorkerSkillFact | undefined): number {
  return skill === undefined
    ? 0
    : skillCreditOf(skill.level, skill.verified, required.minimumLevel);
}

function skillCoverageGrade(order: OrderFacts, worker: WorkerFacts): number {
  let credit = 0;
  for (const skill of order.requiredSkills) {
    credit += skillCredit(skill, findSkill(worker.skills, skill.code));
  }
  return coverageGradeOf(credit, order.requiredSkills.length);
}

function isSameMunicipality(order: OrderFacts, worker: WorkerFacts): boolean {
  return (
    worker.municipalityCode !== null &&
    order.centreMunicipalityCodes.includes(worker.municipalityCode)
  );
}

function homeSpacesInNetwork(order: OrderFacts, worker: WorkerFacts): string[] {
  if (order.centreNetworkSpaceIds.size === 0) return [];
  return worker.homeSpaceIds.filter((id) => order.centreNetworkSpaceIds.has(id));
}

/** The six grades of one worker, from its WorkerFacts: what an explanation is made of. */
export function gradeWorker(order: OrderFacts, worker: WorkerFacts): Grades {
  return {
    skillCoverage: skillCoverageGrade(order, worker),
    capacity: capacityGradeOf(worker.capacityHours, order.hoursNeeded),
    fairSpread: fairSpreadGradeOf(worker.recentAssignedHours),
    proximity: proximityGradeOf(
      isSameMunicipality(order, worker),
      homeSpacesInNetwork(order, worker).length > 0,
    ),
    trackRecord: trackRecordGradeOf(worker.completedHours, worker.ratingSum, worker.ratingCount),
    trust: trustGradeOf(worker.trustDistance),
  };
}

/** Weight × grade summed over the factors: the total an explanation's points must add up to. */
export function scoreOf(grades: Grades, weights: TRankingWeights): number {
  let score = 0;
  for (const factor of RANKING_FACTORS) score += weights[factor] * grades[factor];
  return score;
}

/** A worker's score with every part explained; the parts' points add up to the score. */
export function explainWorker(
  order: OrderFacts,
  worker: WorkerFacts,
  weights: TRankingWeights,
): ScoredWorker {
  const grades = gradeWorker(order, worker);
  const parts = RANKING_FACTORS.map((factor) =>
    explainPart(factor, weights[factor], grades[factor], order, worker),
  );
  const score = parts.reduce((sum, part) => sum + part.points, 0);
  return { memberId: worker.memberId, score, parts };
}

function explainPart(
  factor: RankingFactor,
  weight: number,
  grade: number,
  order: OrderFacts,
  worker: WorkerFacts,
): ScorePart {
  const { facts, ja, en } = describe(factor, order, worker);
  const label = RANKING_FACTOR_LABELS[factor];
  const points = weight * grade;
  return {
    factor,
    weight,
    points,
    facts: { ...facts, grade },
    explanation: `${label.ja}: ${ja} — 評価 ${grade}/100 × 重み ${weight} = ${points} 点`,
    explanationEn: `${label.en}: ${en} — grade ${grade}/100 × weight ${weight} = ${points} points`,
  };
}

type Description = { facts: Record<string, unknown>; ja: string; en: string };

function describe(factor: RankingFactor, order: OrderFacts, worker: WorkerFacts): Description {
  switch (factor) {
    case 'skillCoverage':
      return describeSkills(order, worker);
    case 'capacity': {
      const target = capacityTargetOf(order.hoursNeeded);
      return {
        facts: {
          capacityHours: worker.capacityHours,
          hoursNeeded: order.hoursNeeded,
          targetHours: target,
        },
        ja: `今期の空き ${worker.capacityHours} 時間 (満点は ${target} 時間)`,
        en: `${worker.capacityHours} h free this period (full marks at ${target} h)`,
      };
    }
    case 'fairSpread':
      return {
        facts: {
          recentAssignedHours: worker.recentAssignedHours,
          spanHours: FAIR_SPREAD_SPAN_HOURS,
        },
        ja: `直近 90 日の割り当て ${worker.recentAssignedHours} 時間 (少ないほど高く、${FAIR_SPREAD_SPAN_HOURS} 時間で 0)`,
        en: `${worker.recentAssignedHours} h assigned in the last 90 days (fewer ranks higher; 0 at ${FAIR_SPREAD_SPAN_HOURS} h)`,
      };
    case 'proximity': {
      const same = isSameMunicipality(order, worker);
      const inNetwork = homeSpacesInNetwork(order, worker);
      const centre = order.centreMunicipalityCodes;
      const places = centre.join(', ');
      return {
        facts: {
          sameMunicipality: same,
          municipalityCode: worker.municipalityCode,
          centreMunicipalityCodes: [...centre],
          homeSpacesInNetwork: inNetwork,
        },
        ja: `${same ? `センターの市区町村 (${places}) に在住` : centre.length > 0 ? `センターの市区町村 (${places}) の外か不明` : 'センターの市区町村なし'}、${inNetwork.length > 0 ? 'ホーム拠点がセンターのネットワーク内' : 'ネットワーク内のホーム拠点なし'}`,
        en: `${same ? `lives in one of the centre’s municipalities (${places})` : centre.length > 0 ? `outside the centre’s municipalities (${places}) or unknown` : 'the centre has no municipality'}, ${inNetwork.length > 0 ? 'home space in the centre’s network' : 'no home space in the centre’s network'}`,
      };
    }
    case 'trackRecord': {
      const average =
        worker.ratingCount > 0
          ? Math.round((worker.ratingSum * 10) / worker.ratingCount) / 10
          : null;
      return {
        facts: {
          completedHours: worker.completedHours,
          ratingCount: worker.ratingCount,
          averageRating: average,
          hoursPoints: hoursPartOf(worker.completedHours),
          ratingPoints: ratingPartOf(worker.ratingSum, worker.ratingCount),
        },
        ja: `完了 ${worker.completedHours} 時間、評価 ${average === null ? 'なし' : `平均 ${average} (${worker.ratingCount} 件)`}`,
        en: `${worker.completedHours} h completed, ${average === null ? 'no ratings' : `average rating ${average} (${worker.ratingCount})`}`,
      };
    }
    case 'trust': {
      const distance = worker.trustDistance;
      return {
        facts: { referralDistance: distance },
        ja:
          distance === null
            ? `${TRUST_RANKED_HOPS} 段以内に紹介のつながりなし (または非公開)`
            : `紹介で ${distance} 段のつながり`,
        en:
          distance === null
            ? `no referral connection within ${TRUST_RANKED_HOPS} steps (or not visible)`
            : `connected by referrals in ${distance} step${distance === 1 ? '' : 's'}`,
      };
    }
  }
}

function describeSkills(order: OrderFacts, worker: WorkerFacts): Description {
  const required = order.requiredSkills.map((skill) => {
    const own = findSkill(worker.skills, skill.code);
    return {
      code: skill.code,
      minimumLevel: skill.minimumLevel,
      level: own?.level ?? null,
      verified: own?.verified ?? false,
      credit: skillCredit(skill, own),
      creditMax: SKILL_CREDIT_MAX,
    };
  });
  if (required.length === 0) {
    return {
      facts: { required },
      ja: '必要なスキルの指定なし',
      en: 'no skills required',
    };
  }
  const met = required.filter((skill) => skill.credit > 0);
  const verified = met.filter((skill) => skill.verified).length;
  const list = required
    .map(
      (skill) =>
        `${skill.code} ${skill.level ?? '-'}/${skill.minimumLevel}${skill.verified ? '✓' : ''}`,
    )
    .join(', ');
  return {
    facts: { required },
    ja: `必要スキル ${required.length} 件中 ${met.length} 件を満たす (うち認定済み ${verified} 件; ${list})`,
    en: `meets ${met.length} of ${required.length} required skills (${verified} verified; ${list})`,
  };
}

/** Candidate order: score high to low, then member id, so ties break the same way every time. */
export function compareScored(
  a: { score: number; memberId: string },
  b: { score: number; memberId: string },
): number {
  if (a.score !== b.score) return b.score - a.score;
  return a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0;
}
