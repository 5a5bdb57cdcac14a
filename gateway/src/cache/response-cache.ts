/** A cached answer: the `data` of a response that had no error. */
export type CachedResult = { data: Record<string, unknown> };

export type ResponseCacheOptions = {
  /** How long an answer is served from the cache at most (the purges usually end it sooner). */
  ttlMs: number;
  /** Most answers kept; the oldest goes first. */
  maxEntries: number;
  now?: () => number;
};

type Entry = { result: CachedResult; types: ReadonlySet<string>; expiresAt: number };

/**
 * The gateway's store of public answers, tagged by the entity types each one selects, purged by
 * type (a domain event, a mutation) or whole.
 *
 * Purges race with requests in flight: a request that read the subgraphs before a purge must not
 * store its (now stale) answer after it. Every purge therefore advances a counter, remembered per
 * purged type; `set` is given the counter read when the request started and refuses to store
 * when any of the answer's types (or everything) was purged since.
 */
export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private readonly purgedAt = new Map<string, number>();
  private allPurgedAt = 0;
  private purges = 0;
  private isSuspended = false;
  private readonly now: () => number;

  constructor(private readonly options: ResponseCacheOptions) {
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) {
      throw new RangeError('maxEntries must be a positive integer');
    }
    if (!(options.ttlMs > 0)) throw new RangeError('ttlMs must be positive');
    this.now = options.now ?? Date.now;
  }

  /** The purge counter: read it when a request starts, pass it to `set`. */
  get epoch(): number {
    return this.purges;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * False while purges cannot be trusted to arrive (the event connection is down): nothing is
   * served or stored then, so a change made meanwhile cannot hide behind a cached answer.
   */
  get isActive(): boolean {
    return !this.isSuspended;
  }

  get(key: string): CachedResult | undefined {
    if (this.isSuspended) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.result;
  }

  /** Stores unless something the answer selects was purged since `startedEpoch`; says which. */
  set(
    key: string,
    result: CachedResult,
    types: ReadonlySet<string>,
    startedEpoch: number,
  ): boolean {
    if (this.isSuspended || this.allPurgedAt > startedEpoch) return false;
    for (const type of types) {
      if ((this.purgedAt.get(type) ?? 0) > startedEpoch) return false;
    }
    this.entries.delete(key);
    if (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { result, types, expiresAt: this.now() + this.options.ttlMs });
    return true;
  }

  /** Drops every answer that selects one of `types`; returns how many. */
  purgeTypes(types: Iterable<string>): number {
    this.purges += 1;
    const purged = new Set(types);
    for (const type of purged) this.purgedAt.set(type, this.purges);
    let count = 0;
    // A few hundred entries at most, and purges are rare next to reads: a scan is enough.
    for (const [key, entry] of this.entries) {
      if (intersects(entry.types, purged)) {
        this.entries.delete(key);
        count += 1;
      }
    }
    return count;
  }

  purgeAll(): number {
    this.purges += 1;
    this.allPurgedAt = this.purges;
    const count = this.entries.size;
    this.entries.clear();
    return count;
  }

  /** Empties the cache and keeps it empty until `resume` (see `isActive`). */
  suspend(): void {
    this.purgeAll();
    this.isSuspended = true;
  }

  resume(): void {
    this.purgeAll();
    this.isSuspended = false;
  }
}

function intersects(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  for (const item of a) if (b.has(item)) return true;
  return false;
}
