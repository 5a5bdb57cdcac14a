// When each indexed worker's calendar-bound facts next change (facts.ts `refreshAt`), so the feed
// reloads exactly those workers once that moment passes. A min-heap keyed by the moment: asking
// "who is due?" before every ranking costs nothing while nobody is, which keeps the ranking's
// hot loop free of any date arithmetic (the 100k-worker benchmark stays where it was).

type Entry = { at: number; memberId: string };

export class RefreshSchedule {
  private readonly heap: Entry[] = [];
  /** The one moment that counts per member; heap entries that disagree are stale, skipped. */
  private readonly atOf = new Map<string, number>();

  get size(): number {
    return this.atOf.size;
  }

  /** Sets (or, with null, clears) when the member is next due. */
  set(memberId: string, at: number | null): void {
    if (at === null) {
      this.atOf.delete(memberId);
      return;
    }
    if (this.atOf.get(memberId) === at) return;
    this.atOf.set(memberId, at);
    this.push({ at, memberId });
    // Stale entries pile up when members are reloaded before they are due: drop them now and then.
    if (this.heap.length > 2 * this.atOf.size + 1024) this.compact();
  }

  /** Members due at or before `now`, each once; they leave the schedule (a reload sets them anew). */
  takeDue(now: number): string[] {
    const due: string[] = [];
    while (this.heap.length > 0 && this.heap[0]!.at <= now) {
      const entry = this.pop();
      if (this.atOf.get(entry.memberId) !== entry.at) continue;
      this.atOf.delete(entry.memberId);
      due.push(entry.memberId);
    }
    return due;
  }

  private compact(): void {
    const live = this.heap.filter((entry) => this.atOf.get(entry.memberId) === entry.at);
    this.heap.length = 0;
    for (const entry of live) this.push(entry);
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    let at = heap.length;
    heap.push(entry);
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (heap[parent]!.at <= entry.at) break;
      heap[at] = heap[parent]!;
      at = parent;
    }
    heap[at] = entry;
  }

  private pop(): Entry {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length === 0) return top;
    let at = 0;
    for (;;) {
      const left = at * 2 + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && heap[right]!.at < heap[left]!.at ? right : left;
      if (heap[child]!.at >= last.at) break;
      heap[at] = heap[child]!;
      at = child;
    }
    heap[at] = last;
    return top;
  }
}
