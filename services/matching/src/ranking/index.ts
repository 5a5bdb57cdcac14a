// The in-process ranking index: every worker's facts in memory, with an inverted index from
// skill code to worker slots (typed arrays), so ranking an order scores only the workers holding
// one of its skills and explains only the top few. RankingIndex is pure (the benchmark fills it
// directly); RankingIndexFeed keeps one current from the database through ranking_change.

import type { PrismaClient } from '../generated/prisma/client.js';
import { type IndexedWorkerFacts, loadWorkerFacts } from './facts.js';
import {
  compareScored,
  explainWorker,
  gradeWorker,
  ineligibility,
  type OrderFacts,
  type ScoredWorker,
  scoreOf,
  type WorkerFacts,
} from './score.js';
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

type Posting = { slots: Int32Array; length: number };

/** Affiliation active on a Tokyo day: started on or before it, not ended before it. */
function isActiveOn(
  affiliation: { startsOn: string; endsOn: string | null },
  today: string,
): boolean {
  return (
    affiliation.startsOn <= today && (affiliation.endsOn === null || affiliation.endsOn >= today)
  );
}

function isRegisteredWith(
  worker: IndexedWorkerFacts,
  organizationIds: readonly string[],
  today: string,
) {
  for (const affiliation of worker.affiliations) {
    if (organizationIds.includes(affiliation.organizationId) && isActiveOn(affiliation, today)) {
      return true;
    }
  }
  return false;
}

function isReadable(worker: IndexedWorkerFacts, readable: ReadableWorkers, today: string): boolean {
  if (readable.all) return true;
  if (readable.memberId === worker.memberId) return true;
  return (
    readable.registeredWith.length > 0 && isRegisteredWith(worker, readable.registeredWith, today)
  );
}

/** The worker's facts for one order (capacity for its period, trust to the viewer). */
export function workerFactsFor(
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

export class RankingIndex {
  private readonly workers: (IndexedWorkerFacts | undefined)[] = [];
  private readonly slotOf = new Map<string, number>();
  private readonly freeSlots: number[] = [];
  private readonly postings = new Map<string, Posting>();
  /** Posting entries that no longer hold (skill dropped, worker gone); rebuilt past a share. */
  private staleEntries = 0;
  private liveEntries = 0;
  /** Per slot, the generation that last visited it: dedupes slots across a query's skills. */
  private visited = new Uint32Array(1024);
  private generation = 0;

  get size(): number {
    return this.slotOf.size;
  }

  has(memberId: string): boolean {
    return this.slotOf.has(memberId);
  }

  upsert(worker: IndexedWorkerFacts): void {
    let slot = this.slotOf.get(worker.memberId);
    const before = slot === undefined ? undefined : this.workers[slot];
    if (slot === undefined) {
      slot = this.freeSlots.pop() ?? this.workers.length;
      this.slotOf.set(worker.memberId, slot);
    }
    this.workers[slot] = worker;
    const old = new Set(before?.skills.map((skill) => skill.code));
    const now = new Set(worker.skills.map((skill) => skill.code));
    for (const code of old) if (!now.has(code)) this.staleEntries += 1;
    for (const code of now) if (!old.has(code)) this.addPosting(code, slot);
    this.compactIfStale();
  }

  remove(memberId: string): void {
    const slot = this.slotOf.get(memberId);
    if (slot === undefined) return;
    this.staleEntries += this.workers[slot]?.skills.length ?? 0;
    this.workers[slot] = undefined;
    this.slotOf.delete(memberId);
    this.freeSlots.push(slot);
    this.compactIfStale();
  }

  private addPosting(code: string, slot: number): void {
    let posting = this.postings.get(code);
    if (posting === undefined) {
      posting = { slots: new Int32Array(64), length: 0 };
      this.postings.set(code, posting);
    }
    if (posting.length === posting.slots.length) {
      const grown = new Int32Array(posting.slots.length * 2);
      grown.set(posting.slots);
      posting.slots = grown;
    }
    posting.slots[posting.length] = slot;
    posting.length += 1;
    this.liveEntries += 1;
  }

  private compactIfStale(): void {
    if (this.staleEntries < 1024 || this.staleEntries * 4 < this.liveEntries) return;
    this.postings.clear();
    this.liveEntries = 0;
    this.staleEntries = 0;
    this.workers.forEach((worker, slot) => {
      for (const skill of worker?.skills ?? []) this.addPosting(skill.code, slot);
    });
  }

  /**
   * The top `first` eligible candidates, score high to low then member id, each explained.
   * Every candidate is scored by the integer fast path; only the top ones are explained, and
   * the explanation recomputes the same graders, so its parts add up to the same score.
   */
  rank(query: RankQuery): RankedCandidate[] {
    const top: { score: number; memberId: string; slot: number }[] = [];
    const consider = (slot: number) => {
      const worker = this.workers[slot];
      if (worker === undefined) return;
      if (!isRegisteredWith(worker, [query.poolOrganizationId], query.today)) return;
      if (!isReadable(worker, query.readable, query.today)) return;
      const facts = workerFactsFor(worker, query.periodWeeks, query.trustDistances);
      if (ineligibility(query.order, facts) !== null) return;
      const entry = {
        score: scoreOf(gradeWorker(query.order, facts), query.weights),
        memberId: worker.memberId,
        slot,
      };
      insertBounded(top, entry, query.first);
    };
    const required = query.order.requiredSkills;
    if (required.length === 0) {
      for (let slot = 0; slot < this.workers.length; slot += 1) consider(slot);
    } else {
      this.nextGeneration();
      const generation = this.generation;
      for (const skill of required) {
        const posting = this.postings.get(skill.code);
        if (posting === undefined) continue;
        const { slots, length } = posting;
        for (let i = 0; i < length; i += 1) {
          const slot = slots[i]!;
          if (this.visited[slot] === generation) continue;
          this.visited[slot] = generation;
          consider(slot);
        }
      }
    }
    return top.map((entry, index) => {
      const worker = this.workers[entry.slot]!;
      const facts = workerFactsFor(worker, query.periodWeeks, query.trustDistances);
      return { ...explainWorker(query.order, facts, query.weights), rank: index + 1 };
    });
  }

  private nextGeneration(): void {
    if (this.visited.length < this.workers.length) {
      this.visited = new Uint32Array(Math.max(this.workers.length, this.visited.length * 2));
      this.generation = 0;
    }
    this.generation += 1;
    if (this.generation === 0xffffffff) {
      this.visited.fill(0);
      this.generation = 1;
    }
  }
}

/** Keeps `top` sorted (compareScored) and at most `size` long. */
function insertBounded<T extends { score: number; memberId: string }>(
  top: T[],
  entry: T,
  size: number,
): void {
  if (size <= 0) return;
  if (top.length === size && compareScored(entry, top[top.length - 1]!) >= 0) return;
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
const FIRST_LOAD_LOOKBACK = 1000n;

/**
 * One index per database client (one per service instance), kept current through
 * ranking_change: loaded whole on first use, then before each ranking one query reads the
 * changes since the last it saw (and holes it still waits for) and reloads those members — an
 * erased worker is gone from the next ranking, and every instance agrees.
 */
export class RankingIndexFeed {
  readonly index = new RankingIndex();
  private lastSeq = -1n;
  private readonly gaps = new Map<bigint, number>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly now: () => number = Date.now,
  ) {}

  /** The index, caught up with every change committed before this call. */
  current(): Promise<RankingIndex> {
    // One catch-up at a time: two rankings at once share the reads in order.
    const next = this.queue.then(() => this.catchUp());
    this.queue = next.catch(() => undefined);
    return next.then(() => this.index);
  }

  private async catchUp(): Promise<void> {
    if (this.lastSeq < 0n) {
      const [row] = await this.prisma.$queryRaw<{ max: string }[]>`
        SELECT coalesce(max(seq), 0)::text AS max FROM ranking_change`;
      const max = BigInt(row?.max ?? '0');
      for (const worker of await loadWorkerFacts(this.prisma, null)) this.index.upsert(worker);
      this.lastSeq = max > FIRST_LOAD_LOOKBACK ? max - FIRST_LOAD_LOOKBACK : 0n;
    }
    const now = this.now();
    for (const [seq, since] of this.gaps) if (now - since > GAP_WAIT_MS) this.gaps.delete(seq);
    const gaps = [...this.gaps.keys()].map(String);
    const rows = await this.prisma.$queryRaw<{ seq: string; memberId: string }[]>`
      SELECT seq::text AS seq, member_id::text AS "memberId" FROM ranking_change
       WHERE seq > ${this.lastSeq.toString()}::bigint OR seq = ANY(${gaps}::bigint[])
       ORDER BY seq`;
    if (rows.length === 0) return;
    const changed = new Set<string>();
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
    const ids = [...changed];
    const found = new Set<string>();
    for (const worker of await loadWorkerFacts(this.prisma, ids)) {
      found.add(worker.memberId);
      this.index.upsert(worker);
    }
    for (const id of ids) if (!found.has(id)) this.index.remove(id);
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
