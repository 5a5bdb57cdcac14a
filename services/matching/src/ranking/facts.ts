// Where the ranking's facts come from: matching's own read models only, never another service.
// Every loader is here, so wiring a new read model touches this one file. Worker facts are
// loaded for many members at once (the whole index on first use, then the members
// ranking_change names), so each loader is one SQL statement for all of them.

import { isoDate, startOfTokyoDay, todayInJapan } from '@hub/contracts';
import { holdsCapacitySql } from '../domain/assignments/capacity.js';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { centrePlaces, homeSpacesOn, nextHomeSpaceChangeAfter } from '../read-models/places.js';
import { allowedInSatelliteOfficeOf } from '../read-models/satellite-access.js';
import type { RequiredSkill, WorkerSkillFact } from './score.js';

/** An affiliation as the index keeps it: Tokyo days, `endsOn` inclusive. */
export type IndexedAffiliation = {
  readonly organizationId: string;
  readonly startsOn: string;
  readonly endsOn: string | null;
};

/** The affiliations of these members (everyone's when null), by member, in Tokyo days. */
export async function loadAffiliations(
  prisma: PrismaClient,
  memberIds: readonly string[] | null,
): Promise<Map<string, IndexedAffiliation[]>> {
  const rows = await prisma.workerAffiliation.findMany({
    ...(memberIds === null ? {} : { where: { memberId: { in: [...memberIds] } } }),
    select: { memberId: true, organizationId: true, startsOn: true, endsOn: true },
  });
  const byMember = new Map<string, IndexedAffiliation[]>();
  for (const row of rows) {
    const list = byMember.get(row.memberId) ?? [];
    list.push({
      organizationId: row.organizationId,
      startsOn: isoDate(row.startsOn),
      endsOn: row.endsOn ? isoDate(row.endsOn) : null,
    });
    byMember.set(row.memberId, list);
  }
  return byMember;
}

/** What the index holds per worker: the facts that do not depend on the order or the caller. */
export type IndexedWorkerFacts = {
  readonly memberId: string;
  readonly skills: readonly WorkerSkillFact[];
  /** null = not stated: no capacity, so never a candidate (an offer would be refused). */
  readonly availableHoursPerWeek: number | null;
  readonly municipalityCode: string | null;
  readonly affiliations: readonly IndexedAffiliation[];
  readonly homeSpaceIds: readonly string[];
  /**
   * Hours of the assignments that hold their capacity: open (offered, accepted, in progress) and
   * their period not ended — the offers' rule (holdsCapacitySql in domain/assignments/capacity.ts).
   */
  readonly openAllocatedHours: number;
  /** Hours assigned to them in the last 90 days. */
  readonly recentAssignedHours: number;
  readonly completedHours: number;
  readonly ratingSum: number;
  readonly ratingCount: number;
  /**
   * When (epoch ms) a fact above next changes by the calendar alone — a home space starting or
   * ending, an assignment leaving the 90 days, an open assignment's period ending (its hours no
   * longer held) — so the feed reloads the worker then; null: none.
   * Affiliations need none: the index keeps their days and checks them on the ranking's day.
   */
  readonly refreshAt: number | null;
};

/** What the ranking needs of an order beyond its own columns. */
export type OrderContextFacts = {
  readonly hoursPerUnit: number;
  /** Every municipality where the pool organisation operates a space, by code. */
  readonly centreMunicipalityCodes: readonly string[];
  readonly centreNetworkSpaceIds: ReadonlySet<string>;
  /** For a confidential order, members allowed into the client's satellite office. */
  readonly allowedOnSiteMemberIds: ReadonlySet<string>;
};

export type RankedOrderRow = {
  id: string;
  clientId: string;
  receivingCentreId: string | null;
  requiresOnSite: boolean;
  /** UNITS orders: hours a unit takes; null = 1. */
  hoursPerUnit: Prisma.Decimal | null;
};

/**
 * Skills as worker.skills stores them (domain/worker-skills.ts: `isVerified`), read by hand
 * rather than through its zod schema: the index loads every worker at once.
 */
export function readRankingSkills(value: unknown): WorkerSkillFact[] {
  if (!Array.isArray(value)) return [];
  const skills: WorkerSkillFact[] = [];
  for (const entry of value) {
    if (!entry || typeof entry !== 'object') continue;
    const { code, level, isVerified } = entry as Record<string, unknown>;
    if (typeof code !== 'string' || typeof level !== 'number' || !Number.isInteger(level)) continue;
    skills.push({ code, level, verified: isVerified === true });
  }
  return skills;
}

const FULL_LOAD_BATCH = 10_000;

/**
 * Facts of these workers (all when `memberIds` is null) as of `now`. A member without a worker
 * row — erased, or never registered — is absent from the answer.
 */
export async function loadWorkerFacts(
  prisma: PrismaClient,
  memberIds: readonly string[] | null,
  now: Date = new Date(),
): Promise<IndexedWorkerFacts[]> {
  if (memberIds === null) {
    // Everyone in batches: the rows of 100,000 workers at once, as Prisma returns them, took
    // more memory than the index they fill; a batch's rows are garbage before the next is read.
    const ids = await prisma.worker.findMany({
      select: { memberId: true },
      orderBy: { memberId: 'asc' },
    });
    const facts: IndexedWorkerFacts[] = [];
    for (let start = 0; start < ids.length; start += FULL_LOAD_BATCH) {
      const batch = ids.slice(start, start + FULL_LOAD_BATCH).map((row) => row.memberId);
      for (const worker of await loadWorkerFacts(prisma, batch, now)) facts.push(worker);
    }
    return facts;
  }
  const [workers, byMember] = await Promise.all([
    prisma.worker.findMany({
      where: { memberId: { in: [...memberIds] } },
      select: {
        memberId: true,
        skills: true,
        availableHoursPerWeek: true,
        municipalityCode: true,
      },
    }),
    loadAffiliations(prisma, memberIds),
  ]);
  const ids = workers.map((worker) => worker.memberId);
  const today = todayInJapan(now);
  const [homeSpaces, nextHomeChange, work] = await Promise.all([
    homeSpacesOn(prisma, ids, today),
    nextHomeSpaceChangeAfter(prisma, ids, today),
    loadAssignmentFacts(prisma, ids, now),
  ]);
  return workers.map((worker) => {
    const record = work.get(worker.memberId);
    const homeChange = nextHomeChange.get(worker.memberId);
    return {
      memberId: worker.memberId,
      skills: readRankingSkills(worker.skills),
      availableHoursPerWeek: worker.availableHoursPerWeek,
      municipalityCode: worker.municipalityCode,
      affiliations: byMember.get(worker.memberId) ?? [],
      homeSpaceIds: homeSpaces.get(worker.memberId) ?? [],
      openAllocatedHours: record?.openAllocatedHours ?? 0,
      recentAssignedHours: record?.recentAssignedHours ?? 0,
      completedHours: record?.completedHours ?? 0,
      ratingSum: record?.ratingSum ?? 0,
      ratingCount: record?.ratingCount ?? 0,
      refreshAt: earliest(
        homeChange === undefined ? null : startOfTokyoDay(homeChange).getTime(),
        record?.recentLeavesAt ?? null,
        record?.capacityFreesAt ?? null,
      ),
    };
  });
}

function earliest(...moments: (number | null)[]): number | null {
  const known = moments.filter((moment): moment is number => moment !== null);
  return known.length === 0 ? null : Math.min(...known);
}

type AssignmentFacts = Pick<
  IndexedWorkerFacts,
  'openAllocatedHours' | 'recentAssignedHours' | 'completedHours' | 'ratingSum' | 'ratingCount'
> & {
  /** When the oldest assignment counted in recentAssignedHours leaves the window (epoch ms). */
  recentLeavesAt: number | null;
  /** When the first period of an assignment counted in openAllocatedHours ends (epoch ms). */
  capacityFreesAt: number | null;
};

/** Assignment figures are counted back this many days for the fair spread of work. */
export const RECENT_ASSIGNMENT_DAYS = 90;
const RECENT_WINDOW_MS = RECENT_ASSIGNMENT_DAYS * 24 * 60 * 60 * 1000;

/**
 * Assignment figures per member, one statement: hours of the assignments holding capacity (open,
 * period not ended: holdsCapacitySql — rounded up, capacity must not be overstated) and when the
 * first of them frees its hours, hours assigned in the last 90 days (any status but declined or withdrawn),
 * completed hours (delivered volume in hours, else the allocation) and the ratings of done work.
 * Hours are whole hours, as the scores are integers.
 */
async function loadAssignmentFacts(
  prisma: PrismaClient,
  memberIds: readonly string[],
  now: Date,
): Promise<Map<string, AssignmentFacts>> {
  if (memberIds.length === 0) return new Map();
  const since = new Date(now.getTime() - RECENT_WINDOW_MS);
  const rows = await prisma.$queryRaw<
    {
      member_id: string;
      open_hours: number;
      recent_hours: number;
      completed_hours: number;
      rating_sum: number;
      rating_count: number;
      oldest_recent_at: Date | null;
      first_period_end: Date | null;
    }[]
  >`
    SELECT a.member_id::text,
           ceil(coalesce(sum(a.allocated_hours)
             FILTER (WHERE ${holdsCapacitySql(now)}), 0))::int AS open_hours,
           min(a.period_ends_at) FILTER (WHERE ${holdsCapacitySql(now)}) AS first_period_end,
           round(coalesce(sum(a.allocated_hours)
             FILTER (WHERE a.status NOT IN ('declined', 'withdrawn') AND a.created_at >= ${since}),
             0))::int AS recent_hours,
           min(a.created_at)
             FILTER (WHERE a.status NOT IN ('declined', 'withdrawn') AND a.created_at >= ${since}) AS oldest_recent_at,
           floor(coalesce(sum(coalesce(
             a.delivered_volume * CASE WHEN o.volume_unit = 'units'
                                       THEN coalesce(o.hours_per_unit, 1) ELSE 1 END,
             a.allocated_hours)) FILTER (WHERE a.status = 'done'), 0))::int AS completed_hours,
           coalesce(sum(a.rating) FILTER (WHERE a.status = 'done'), 0)::int AS rating_sum,
           (count(a.rating) FILTER (WHERE a.status = 'done'))::int AS rating_count
      FROM assignment a JOIN work_order o ON o.id = a.work_order_id
     WHERE a.member_id = ANY(${[...memberIds]}::uuid[])
     GROUP BY a.member_id`;
  return new Map(
    rows.map((row) => [
      row.member_id,
      {
        openAllocatedHours: row.open_hours,
        recentAssignedHours: row.recent_hours,
        completedHours: row.completed_hours,
        ratingSum: row.rating_sum,
        ratingCount: row.rating_count,
        recentLeavesAt:
          row.oldest_recent_at === null ? null : row.oldest_recent_at.getTime() + RECENT_WINDOW_MS,
        capacityFreesAt: row.first_period_end === null ? null : row.first_period_end.getTime(),
      },
    ]),
  );
}

/**
 * An order's required skills, by code: what the ranking scores coverage by and what an offer to a
 * worker or reviewer checks (domain/assignments/eligibility.ts), read the same way for both.
 */
export async function loadRequiredSkills(
  db: Prisma.TransactionClient,
  orderId: string,
): Promise<RequiredSkill[]> {
  const rows = await db.workOrderSkill.findMany({
    where: { workOrderId: orderId },
    orderBy: { skillCode: 'asc' },
    select: { skillCode: true, minimumLevel: true },
  });
  return rows.map((skill) => ({ code: skill.skillCode, minimumLevel: skill.minimumLevel }));
}

/** Whose workers are an order's candidates: its receiving organisation, else its client. */
export function poolOrganizationOf(order: Pick<RankedOrderRow, 'clientId' | 'receivingCentreId'>) {
  return order.receivingCentreId ?? order.clientId;
}

/**
 * The order's hours per unit, centre place and, for a confidential order, who may work on site
 * `today` (the request's day). The centre's places are where the pool organisation
 * (poolOrganizationOf, which the caller has already) operates spaces: a centre with spaces in
 * several municipalities is near workers living in any of them.
 */
export async function loadOrderContext(
  prisma: PrismaClient,
  order: RankedOrderRow,
  poolOrganizationId: string,
  today: string,
): Promise<OrderContextFacts> {
  const [places, allowed] = await Promise.all([
    centrePlaces(prisma, poolOrganizationId),
    order.requiresOnSite
      ? allowedInSatelliteOfficeOf(prisma, order.clientId, today)
      : Promise.resolve(new Set<string>()),
  ]);
  return {
    hoursPerUnit: order.hoursPerUnit === null ? 1 : order.hoursPerUnit.toNumber(),
    centreMunicipalityCodes: [...places.municipalityCodes].sort(),
    centreNetworkSpaceIds: places.networkSpaceIds,
    allowedOnSiteMemberIds: allowed,
  };
}
