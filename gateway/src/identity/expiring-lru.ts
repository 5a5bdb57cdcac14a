/**
 * A bounded least-recently-used map whose entries also expire at a time of their own. Verified
 * credentials live here: a hit skips a signature check or a call to members, and the bound keeps
 * a flood of distinct credentials from growing the heap.
 */
export class ExpiringLru<Value> {
  // A Map iterates in insertion order; re-inserting on every hit keeps the least recently
  // used entry first, where eviction finds it in O(1).
  private readonly entries = new Map<string, { value: Value; expiresAt: number }>();

  constructor(private readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError('maxEntries must be a positive integer');
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** The live value, or undefined when absent or expired (an expired entry is dropped). */
  get(key: string, now: number = Date.now()): Value | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= now) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  has(key: string, now: number = Date.now()): boolean {
    const entry = this.entries.get(key);
    return entry !== undefined && entry.expiresAt > now;
  }

  /** Stores until `expiresAt` (epoch ms); a time already past stores nothing. */
  set(key: string, value: Value, expiresAt: number, now: number = Date.now()): void {
    this.entries.delete(key);
    if (expiresAt <= now) return;
    this.entries.set(key, { value, expiresAt });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
