// The in-process ranking index: every worker's facts in memory, with an inverted index from
// skill code to worker slots (typed arrays), so ranking an order scores only the workers holding
// one of its skills and explains only the top few. RankingIndex is pure (the benchmark fills it
// directly); RankingIndexFeed keeps one current from the database through ranking_change.

import type { PrismaClient } from '../generated/prisma/client.js';
import { type IndexedWorkerFacts, loadWorkerFacts } from './facts.js';
import { dayNumber, Interner, isAffiliatedOn, packAffiliations } from './packed.js';
import { RefreshSchedule } from './refresh-schedule.js';
import {
  capacityGradeOf,
  capacityTargetOf,
  compareScored,
  coverageGradeOf,
  explainWorker,
  fairSpreadGradeOf,
  type OrderFacts,
  proximityGradeOf,
  type ScoredWorker,
  SKILL_CREDIT_MAX,
  skillCreditOf,
  trackRecordGradeOf,
  trustGradeOf,
  type WorkerFacts,
} from './score.js';
import { loadTrustFacts, TrustGraph } from './trust-graph.js';
import type { TRankingWeights } from './weights.js';

/** Who the caller may see among the workers (the kit's readable members, minus consents). */
export type ReadableWorkers =
  | { all: true }
  | { all: false; memberId: string | null; registeredWith: readonly string[] };

export type RankQuery = {
  order: OrderFacts;
  /** Weeks of the order's period: capacity = hours a week × weeks − open assignments. */
  periodWeeks: number;
  /** Only workers registered today with this organisation are candidates. */
  poolOrganizationId: string;
  readable: ReadableWorkers;
  /** Today in Japan (affiliations are by Tokyo day). */
  today: string;
  trustDistances: ReadonlyMap<string, number>;
  weights: TRankingWeights;
  first: number;
};

export type RankedCandidate = ScoredWorker & { rank: number };

/** The worker's facts for one order (capacity for its period, trust to the viewer). */
function workerFactsFor(
  worker: IndexedWorkerFacts,
  periodWeeks: number,
  trustDistances: ReadonlyMap<string, number>,
): WorkerFacts {
  const capacity =
    worker.availableHoursPerWeek === null
      ? 0
      : worker.availableHoursPerWeek * periodWeeks - worker.openAllocatedHours;
  return {
    memberId: worker.memberId,
    skills: worker.skills,
    capacityHours: capacity,
    recentAssignedHours: worker.recentAssignedHours,
    municipalityCode: worker.municipalityCode,
    homeSpaceIds: worker.homeSpaceIds,
    completedHours: worker.completedHours,
    ratingSum: worker.ratingSum,
    ratingCount: worker.ratingCount,
    trustDistance: trustDistances.get(worker.memberId) ?? null,
  };
}

/** One skill's workers: slots and, beside each, the level and verified flag (level << 1 | verified). */
type Posting = { slots: Int32Array; skills: Uint8Array; length: number };

const packSkill = (skill: { level: number; verified: boolean }) =>
  (Math.max(0, Math.min(7, skill.level)) << 1) | (skill.verified ? 1 : 0);

/** Which slots are registered with one organisation on one day, kept current on every change. */
type PoolBits = { organization: number; day: number; bits: Uint8Array };
const POOL_CACHE_SIZE = 16;

/**
 * The index. Per slot, the facts object (for explanations) and columns in flat typed arrays for
 * the fast path: hours, place, and the grades that depend on the worker alone (fair spread,
 * track record), computed once when the worker is loaded. Each skill's posting list carries the
 * level and verified flag beside the slot, so coverage is summed while walking the lists in
 * order; which slots belong to an organisation's pool today is a bitmap built once per
 * (organisation, day) and updated with each change. Flat arrays, not an object per worker: at
 * 100,000 workers the time goes to cache misses, not arithmetic.
 */
export class RankingIndex {
  private readonly workers: (IndexedWorkerFacts | undefined)[] = [];
  private readonly slotOf = new Map<string, number>();
  private readonly freeSlots: number[] = [];
  private readonly postings = new Map<number, Posting>();
  private readonly codes = new Interner();
  private readonly organizations = new Interner();
  private readonly places = new Interner();
  private readonly spaces = new Interner();
  private affiliationsOf: (Int32Array | undefined)[] = [];
  private homeOf: (Int32Array | undefined)[] = [];
  private readonly pools: PoolBits[] = [];
  private capacity = 0;
  // Each column as narrow as its values (hours a week are a SMALLINT, −1 for not stated): the
  // ranking's loops read them per worker, and fewer bytes stay in the CPU's caches.
  private hoursPerWeek = new Int16Array(0);
  private openHours = new Int32Array(0);
  private placeOf = new Int32Array(0);
  private fairGrade = new Uint8Array(0);
  private trackGrade = new Uint8Array(0);
  /** The first home space's id (0: none); homeOf holds them all for the rare worker with more. */
  private firstHome = new Int32Array(0);
  // Scratch of one ranking, per slot.
  private trustScratch = new Uint8Array(0);
  private credit = new Uint16Array(0);
  private visited = new Uint32Array(0);
  private touched = new Int32Array(0);
  private generation = 0;

  get size(): number {
    return this.slotOf.size;
  }

  /** Every indexed member (a copy: safe to remove members while walking it). */
  memberIds(): string[] {
    return [...this.slotOf.keys()];
  }

  upsert(worker: IndexedWorkerFacts): void {
    let slot = this.slotOf.get(worker.memberId);
    const before = slot === undefined ? undefined : this.workers[slot];
    if (slot === undefined) {
      slot = this.freeSlots.pop() ?? this.workers.length;
      this.slotOf.set(worker.memberId, slot);
    }
    this.ensureColumns(slot + 1);
    this.workers[slot] = worker;
    this.affiliationsOf[slot] = packAffiliations(worker.affiliations, this.organizations);
    const homes = Int32Array.from(worker.homeSpaceIds, (space) => this.spaces.idOf(space));
    this.firstHome[slot] = homes[0] ?? 0;
    this.homeOf[slot] = homes.length > 1 ? homes : undefined;
    this.hoursPerWeek[slot] = worker.availableHoursPerWeek ?? -1;
    this.openHours[slot] = worker.openAllocatedHours;
    this.placeOf[slot] =
      worker.municipalityCode === null ? 0 : this.places.idOf(worker.municipalityCode);
    this.fairGrade[slot] = fairSpreadGradeOf(worker.recentAssignedHours);
    this.trackGrade[slot] = trackRecordGradeOf(
      worker.completedHours,
      worker.ratingSum,
      worker.ratingCount,
    );
    const old = new Map(before?.skills.map((skill) => [skill.code, packSkill(skill)]));
    const now = new Map(worker.skills.map((skill) => [skill.code, packSkill(skill)]));
    for (const code of old.keys()) if (!now.has(code)) this.dropPosting(code, slot);
    for (const [code, packed] of now) {
      if (old.get(code) === packed) continue;
      if (old.has(code)) this.dropPosting(code, slot);
      this.addPosting(this.codes.idOf(code), slot, packed);
    }
    for (const pool of this.pools)
      pool.bits[slot] = this.isRegisteredWith(slot, [pool.organization], pool.day) ? 1 : 0;
  }

  remove(memberId: string): void {
    const slot = this.slotOf.get(memberId);
    if (slot === undefined) return;
    for (const skill of this.workers[slot]?.skills ?? []) this.dropPosting(skill.code, slot);
    this.workers[slot] = undefined;
    this.affiliationsOf[slot] = undefined;
    this.homeOf[slot] = undefined;
    this.firstHome[slot] = 0;
    this.hoursPerWeek[slot] = -1;
    for (const pool of this.pools) pool.bits[slot] = 0;
    this.slotOf.delete(memberId);
    this.freeSlots.push(slot);
  }

  private ensureColumns(length: number): void {
    if (length <= this.capacity) return;
    const size = Math.max(length, 1024, this.capacity * 2);
    const grow = <T extends Int16Array | Int32Array | Uint8Array>(column: T, grown: T): T => {
      grown.set(column);
      return grown;
    };
    this.hoursPerWeek = grow(this.hoursPerWeek, new Int16Array(size));
    this.openHours = grow(this.openHours, new Int32Array(size));
    this.placeOf = grow(this.placeOf, new Int32Array(size));
    this.fairGrade = grow(this.fairGrade, new Uint8Array(size));
    this.trackGrade = grow(this.trackGrade, new Uint8Array(size));
    this.firstHome = grow(this.firstHome, new Int32Array(size));
    this.trustScratch = new Uint8Array(size);
    this.credit = new Uint16Array(size);
    this.visited = new Uint32Array(size);
    this.touched = new Int32Array(size);
    this.generation = 0;
    // Pools are rebuilt at the new size when next asked for.
    this.pools.length = 0;
    this.capacity = size;
  }

  private addPosting(code: number, slot: number, packed: number): void {
    let posting = this.postings.get(code);
    if (posting === undefined) {
      posting = { slots: new Int32Array(64), skills: new Uint8Array(64), length: 0 };
      this.postings.set(code, posting);
    }
    if (posting.length === posting.slots.length) {
      const slots = new Int32Array(posting.slots.length * 2);
      const skills = new Uint8Array(posting.slots.length * 2);
      slots.set(posting.slots);
      skills.set(posting.skills);
      posting.slots = slots;
      posting.skills = skills;
    }
    posting.slots[posting.length] = slot;
    posting.skills[posting.length] = packed;
    posting.length += 1;
  }

  /** Removes the slot from a skill's list (the last entry takes its place). */
  private dropPosting(code: string, slot: number): void {
    const posting = this.postings.get(this.codes.find(code));
    if (posting === undefined) return;
    const at = posting.slots.subarray(0, posting.length).indexOf(slot);
    if (at < 0) return;
    const last = posting.length - 1;
    posting.slots[at] = posting.slots[last]!;
    posting.skills[at] = posting.skills[last]!;
    posting.length = last;
  }

  /** Registered on the day with one of these organisations (ids from the interner). */
  private isRegisteredWith(slot: number, organizationIds: readonly number[], day: number): boolean {
    return isAffiliatedOn(this.affiliationsOf[slot], organizationIds, day);
  }

  private poolBits(organization: number, day: number): Uint8Array {
    const cached = this.pools.find(
      (pool) => pool.organization === organization && pool.day === day,
    );
    if (cached) return cached.bits;
    if (this.pools.length >= POOL_CACHE_SIZE) this.pools.shift();
    const bits = new Uint8Array(this.capacity);
    for (let slot = 0; slot < this.workers.length; slot += 1) {
      if (this.isRegisteredWith(slot, [organization], day)) bits[slot] = 1;
    }
    this.pools.push({ organization, day, bits });
    return bits;
  }

  /**
   * The top `first` eligible candidates, score high to low then member id, each explained.
   * Every candidate is scored by the integer fast path on the columns; only the top ones are
   * explained, by the same graders (score.ts), so the parts add up to the same score.
   */
  rank(query: RankQuery): RankedCandidate[] {
    const { order, weights } = query;
    const today = dayNumber(query.today);
    const organization = this.organizations.find(query.poolOrganizationId);
    if (organization === 0) return [];
    const pool = this.poolBits(organization, today);
    const readable = query.readable;
    const readableOrganizations = readable.all
      ? []
      : readable.registeredWith.map((id) => this.organizations.find(id));
    const readableSelf = readable.all ? undefined : readable.memberId;
    const requiredCount = order.requiredSkills.length;
    // The centre's municipalities as a lookup by place id (0, unknown, is never one of them).
    const centrePlaces = new Uint8Array(this.places.size + 1);
    for (const code of order.centreMunicipalityCodes) centrePlaces[this.places.find(code)] = 1;
    centrePlaces[0] = 0;
    const inNetwork = new Uint8Array(this.spaces.size + 1);
    for (const space of order.centreNetworkSpaceIds) inNetwork[this.spaces.find(space)] = 1;
    inNetwork[0] = 0;
    const allowed = order.allowedMemberIds;
    const weeks = query.periodWeeks;
    const hoursNeeded = order.hoursNeeded;
    const trust = this.trustScratch;
    const trusted: number[] = [];
    for (const [memberId, distance] of query.trustDistances) {
      const slot = this.slotOf.get(memberId);
      if (slot === undefined) continue;
      trust[slot] = trustGradeOf(distance);
      trusted.push(slot);
    }
    // The columns as locals: the loops below run once per worker holding a required skill.
    const { workers, homeOf, hoursPerWeek, openHours, placeOf, fairGrade, trackGrade } = this;
    const firstHome = this.firstHome;
    const credit = this.credit;
    const touched = this.touched;

    // 1. Walk each required skill's list: sum the coverage credit per slot, note who is in.
    let count = 0;
    if (requiredCount === 0) {
      for (let slot = 0; slot < workers.length; slot += 1) {
        if (pool[slot] === 1) touched[count++] = slot;
      }
    } else {
      const visited = this.nextGeneration();
      const generation = this.generation;
      for (const required of order.requiredSkills) {
        const posting = this.postings.get(this.codes.find(required.code));
        if (posting === undefined) continue;
        const { slots, skills, length } = posting;
        // The credit of each packed (level, verified) for this skill's minimum, looked up
        // instead of computed per entry.
        const creditOf = creditTable(required.minimumLevel);
        for (let i = 0; i < length; i += 1) {
          const slot = slots[i]!;
          if (pool[slot] !== 1) continue;
          if (visited[slot] !== generation) {
            visited[slot] = generation;
            credit[slot] = 0;
            touched[count++] = slot;
          }
          credit[slot] = credit[slot]! + creditOf[skills[i]!]!;
        }
      }
    }

    // 2. Score the workers found; only those that can enter the top go further. The points of
    // the coverage, capacity and proximity grades are looked up in tables made for this order
    // and these weights (the same graders, score.ts), not computed per worker.
    const coveragePoints = Int32Array.from(
      { length: requiredCount * SKILL_CREDIT_MAX + 1 },
      (_, earned) => weights.skillCoverage * coverageGradeOf(earned, requiredCount),
    );
    const target = capacityTargetOf(hoursNeeded);
    const capacityPoints = Int32Array.from(
      { length: target + 1 },
      (_, hours) => weights.capacity * capacityGradeOf(hours, hoursNeeded),
    );
    const proximityPoints = [false, true].flatMap((isSame) =>
      [false, true].map((isHome) => weights.proximity * proximityGradeOf(isSame, isHome)),
    );
    const top: TopEntry[] = [];
    const first = query.first;
    try {
      for (let n = 0; n < count; n += 1) {
        const slot = touched[n]!;
        const earned = requiredCount > 0 ? credit[slot]! : 0;
        // A candidate meets at least one required skill: some credit earned.
        if (requiredCount > 0 && earned === 0) continue;
        const hours = hoursPerWeek[slot]!;
        if (hours < 0) continue;
        const capacity = hours * weeks - openHours[slot]!;
        if (capacity <= 0) continue;
        let isHomeInNetwork = inNetwork[firstHome[slot]!] === 1;
        const homes = homeOf[slot];
        if (!isHomeInNetwork && homes !== undefined) {
          for (let k = 1; k < homes.length; k += 1) {
            if (inNetwork[homes[k]!] === 1) {
              isHomeInNetwork = true;
              break;
            }
          }
        }
        const score =
          (earned < coveragePoints.length
            ? coveragePoints[earned]!
            : weights.skillCoverage * coverageGradeOf(earned, requiredCount)) +
          (capacity <= target ? capacityPoints[capacity]! : capacityPoints[target]!) +
          weights.fairSpread * fairGrade[slot]! +
          proximityPoints[
            (centrePlaces[placeOf[slot]!] === 1 ? 2 : 0) + (isHomeInNetwork ? 1 : 0)
          ]! +
          weights.trackRecord * trackGrade[slot]! +
          weights.trust * trust[slot]!;
        // Below a full top's last score nothing else matters: most workers stop here.
        if (top.length === first && score < top[first - 1]!.score) continue;
        const memberId = workers[slot]!.memberId;
        if (allowed !== null && !allowed.has(memberId)) continue;
        if (
          !readable.all &&
          readableSelf !== memberId &&
          !this.isRegisteredWith(slot, readableOrganizations, today)
        ) {
          continue;
        }
        insertBounded(top, score, memberId, slot, first);
      }
    } finally {
      for (const slot of trusted) trust[slot] = 0;
    }
    return top.map((entry, index) => {
      const worker = this.workers[entry.slot]!;
      const facts = workerFactsFor(worker, query.periodWeeks, query.trustDistances);
      return { ...explainWorker(query.order, facts, query.weights), rank: index + 1 };
    });
  }

  private nextGeneration(): Uint32Array {
    this.generation += 1;
    if (this.generation === 0xffffffff) {
      this.visited.fill(0);
      this.generation = 1;
    }
    return this.visited;
  }
}

type TopEntry = { score: number; memberId: string; slot: number };

/** Per packed skill (level << 1 | verified, packSkill), its credit against this minimum level. */
function creditTable(minimumLevel: number): Uint8Array {
  return Uint8Array.from({ length: 16 }, (_, packed) =>
    skillCreditOf(packed >> 1, (packed & 1) === 1, minimumLevel),
  );
}

/** Keeps `top` sorted (compareScored) and at most `size` long; allocates only for entrants. */
function insertBounded(
  top: TopEntry[],
  score: number,
  memberId: string,
  slot: number,
  size: number,
): void {
  if (size <= 0) return;
  if (top.length === size) {
    const last = top[top.length - 1]!;
    if (score < last.score || (score === last.score && memberId > last.memberId)) return;
  }
  const entry = { score, memberId, slot };
  let low = 0;
  let high = top.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (compareScored(top[middle]!, entry) <= 0) low = middle + 1;
    else high = middle;
  }
  top.splice(low, 0, entry);
  if (top.length > size) top.pop();
}

/**
 * A seq not yet seen below the highest one read is a transaction that took its number and has
 * not committed (or rolled back): it is asked for again until it appears or this long passed.
 */
const GAP_WAIT_MS = 5 * 60_000;
/** At most this many holes are remembered from one read (a huge jump is rollbacks, not waits). */
const MAX_GAPS = 10_000;
/**
 * The first load rereads this many changes before the highest seq it saw: writes whose
 * transactions took a number before that one but committed after the load read the workers.
 */
export const FIRST_LOAD_LOOKBACK = 1000n;
const RELOAD_BATCH = 10_000;

type LoadWorkerFacts = typeof loadWorkerFacts;
type ChangeRow = { seq: string; memberId: string };

export type RankingIndexFeedOptions = {
  /** The clock (epoch ms): tests move it to pass calendar moments. */
  now?: () => number;
  /** Where facts come from (facts.ts); tests wrap it to make a load fail. */
  loadFacts?: LoadWorkerFacts;
};

/**
 * One index per database client (one per service instance), kept current through
 * ranking_change: loaded whole on first use, then before each ranking one query reads the
 * changes since the last it saw (and holes it still waits for) and reloads those members — an
 * erased worker is gone from the next ranking, and every instance agrees. Old changes are pruned
 * (prune-ranking-changes.ts); a feed that slept through the pruning of changes it never read
 * sees it by the oldest seq kept and loads in full again.
 *
 * Facts that change by the calendar alone (a home space starting or ending, an assignment
 * leaving the 90 days) name nobody in ranking_change, so each worker is also reloaded when its
 * next such moment passes (RefreshSchedule). Why reload rather than keep the intervals and
 * evaluate them per ranking: the moments are rare per worker, a reload is the same code path
 * as any change (one source of truth, facts.ts), and the ranking's hot loop over 100,000
 * workers keeps its precomputed columns. Affiliations already carry their days into the index
 * and are checked against the ranking's day, so they need no reload.
 */
export class RankingIndexFeed {
  readonly index = new RankingIndex();
  /** The referral graph, kept current by the same changes (trust-graph.ts). */
  private trustGraph = new TrustGraph();
  private lastSeq = -1n;
  private readonly gaps = new Map<bigint, number>();
  private readonly schedule = new RefreshSchedule();
  private queue: Promise<unknown> = Promise.resolve();

  private readonly now: () => number;
  private readonly loadFacts: LoadWorkerFacts;

  constructor(
    private readonly prisma: PrismaClient,
    options: RankingIndexFeedOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.loadFacts = options.loadFacts ?? loadWorkerFacts;
  }

  /** The referral graph, as current as the index after current(). */
  get trust(): TrustGraph {
    return this.trustGraph;
  }

  /** The index (and the referral graph), caught up with every change committed before this call. */
  current(): Promise<RankingIndex> {
    // One catch-up at a time: two rankings at once share the reads in order.
    const next = this.queue.then(() => this.catchUp());
    this.queue = next.catch(() => undefined);
    return next.then(() => this.index);
  }

  private async catchUp(): Promise<void> {
    let isFresh = false;
    if (this.lastSeq < 0n) {
      await this.loadAll();
      isFresh = true;
    }
    const now = this.now();
    for (const [seq, since] of this.gaps) if (now - since > GAP_WAIT_MS) this.gaps.delete(seq);
    let read = await this.readChanges();
    // The pruning job (prune-ranking-changes.ts) never deletes the newest FIRST_LOAD_LOOKBACK
    // rows, so the oldest row kept lies at or below the last seq a feed read — unless the feed
    // sat idle while more changes came and went: then rows it never read are gone, and only a
    // full load is sure to hold them. (A rolled-back seq just above lastSeq can look the same:
    // one needless full load, never a loop, as a fresh load is not checked again.)
    if (!isFresh && read.oldest !== null && read.oldest > this.lastSeq + 1n) {
      this.gaps.clear();
      await this.loadAll();
      read = await this.readChanges();
    }
    const rows = read.rows;
    const due = this.schedule.takeDue(now);
    const changed = new Set<string>(due);
    for (const row of rows) {
      const seq = BigInt(row.seq);
      changed.add(row.memberId);
      if (this.gaps.delete(seq)) continue;
      if (seq <= this.lastSeq) continue;
      for (let hole = this.lastSeq + 1n; hole < seq && this.gaps.size < MAX_GAPS; hole += 1n) {
        this.gaps.set(hole, now);
      }
      this.lastSeq = seq;
    }
    if (changed.size === 0) return;
    try {
      await this.reload([...changed], now);
    } catch (error) {
      // lastSeq has already moved past the rows read, so they are not read again: every member
      // this catch-up meant to reload — named by ranking_change or due by the calendar — is due
      // again at once, and the next ranking retries them.
      for (const id of changed) this.schedule.set(id, now);
      throw error;
    }
  }

  /**
   * Loads every worker, drops those gone from the read model (on a reload after pruned
   * changes, their erasure may be among them), and restarts from FIRST_LOAD_LOOKBACK changes
   * before the highest seq: writes whose transactions took a number before it but committed
   * after the load read the workers.
   */
  private async loadAll(): Promise<void> {
    const [row] = await this.prisma.$queryRaw<{ max: string }[]>`
      SELECT coalesce(max(seq), 0)::text AS max FROM ranking_change`;
    const max = BigInt(row?.max ?? '0');
    const found = new Set<string>();
    // The graph is read whole into a new one: members gone since are not carried over.
    const trust = new TrustGraph();
    const [workers] = await Promise.all([
      this.loadFacts(this.prisma, null, new Date(this.now())),
      loadTrustFacts(this.prisma, trust, null),
    ]);
    this.trustGraph = trust;
    for (const worker of workers) {
      found.add(worker.memberId);
      this.put(worker);
    }
    for (const id of this.index.memberIds()) {
      if (found.has(id)) continue;
      this.index.remove(id);
      this.schedule.set(id, null);
    }
    this.lastSeq = max > FIRST_LOAD_LOOKBACK ? max - FIRST_LOAD_LOOKBACK : 0n;
  }

  /**
   * The changes after lastSeq and the holes still awaited, and the oldest seq kept (min(seq):
   * one step down the primary key), in one statement.
   */
  private async readChanges(): Promise<{ oldest: bigint | null; rows: ChangeRow[] }> {
    const gaps = [...this.gaps.keys()].map(String);
    const rows = await this.prisma.$queryRaw<(ChangeRow & { oldest: string | null })[]>`
      SELECT kept.oldest::text AS oldest, c.seq::text AS seq, c.member_id::text AS "memberId"
        FROM (SELECT min(seq) AS oldest FROM ranking_change) kept
        LEFT JOIN ranking_change c
          ON c.seq > ${this.lastSeq.toString()}::bigint OR c.seq = ANY(${gaps}::bigint[])
       ORDER BY c.seq`;
    const oldest = rows[0]?.oldest ?? null;
    return {
      oldest: oldest === null ? null : BigInt(oldest),
      // Without any change the one row is the oldest alone.
      rows: rows.filter((row) => row.seq !== null),
    };
  }

  private async reload(ids: readonly string[], now: number): Promise<void> {
    // In batches: after a rebuild every member changed, and a statement takes at most 65,535
    // parameters.
    for (let start = 0; start < ids.length; start += RELOAD_BATCH) {
      const batch = ids.slice(start, start + RELOAD_BATCH);
      const found = new Set<string>();
      const [workers] = await Promise.all([
        this.loadFacts(this.prisma, batch, new Date(now)),
        loadTrustFacts(this.prisma, this.trustGraph, batch),
      ]);
      for (const worker of workers) {
        found.add(worker.memberId);
        this.put(worker);
      }
      for (const id of batch) {
        if (found.has(id)) continue;
        this.index.remove(id);
        this.schedule.set(id, null);
      }
    }
  }

  private put(worker: IndexedWorkerFacts): void {
    this.index.upsert(worker);
    this.schedule.set(worker.memberId, worker.refreshAt);
  }
}

const feeds = new WeakMap<PrismaClient, RankingIndexFeed>();

/** The feed of this service instance's database client. */
export function rankingIndexFeed(prisma: PrismaClient): RankingIndexFeed {
  let feed = feeds.get(prisma);
  if (feed === undefined) {
    feed = new RankingIndexFeed(prisma);
    feeds.set(prisma, feed);
  }
  return feed;
}
