/** The outcome of one request against a limit, and what to tell the client about it. */
export type RateLimitDecision = {
  isAllowed: boolean;
  /** Requests per minute of this bucket. */
  limit: number;
  /** Requests that could be made right now. */
  remaining: number;
  /** Seconds until the bucket is full again (the whole limit available). */
  resetSeconds: number;
  /** Seconds until the next request would be allowed (0 when it is). */
  retryAfterSeconds: number;
};

type Bucket = { tokens: number; updatedAt: number; limit: number };

const WINDOW_MS = 60_000;

/**
 * Per-key token buckets: `limit` requests at once, refilled at `limit` per minute. Memory is
 * bounded: buckets live in least-recently-used order, the least recently used goes when
 * `maxKeys` is reached, and idle buckets (refilled to full, so no different from a new one)
 * are swept a couple at a time on every call.
 */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly maxKeys: number) {
    if (!Number.isInteger(maxKeys) || maxKeys < 1) {
      throw new RangeError('maxKeys must be a positive integer');
    }
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Takes one request from `key`'s bucket if it has one; a refused request takes nothing. */
  consume(key: string, limit: number, now: number = Date.now()): RateLimitDecision {
    const bucket = this.refilled(key, limit, now);
    const isAllowed = bucket.tokens >= 1;
    if (isAllowed) bucket.tokens -= 1;
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    this.sweep(now);
    while (this.buckets.size > this.maxKeys) {
      this.buckets.delete(this.buckets.keys().next().value as string);
    }
    return decide(bucket, isAllowed);
  }

  /** What `consume` would decide, without taking anything. */
  peek(key: string, limit: number, now: number = Date.now()): RateLimitDecision {
    const bucket = this.refilled(key, limit, now);
    return decide(bucket, bucket.tokens >= 1);
  }

  private refilled(key: string, limit: number, now: number): Bucket {
    const stored = this.buckets.get(key);
    if (!stored) return { tokens: limit, updatedAt: now, limit };
    const elapsed = Math.max(0, now - stored.updatedAt);
    // A changed limit (e.g. a partner key's) applies from now on.
    const tokens = Math.min(limit, stored.tokens + (elapsed * limit) / WINDOW_MS);
    return { tokens, updatedAt: now, limit };
  }

  private sweep(now: number): void {
    let checked = 0;
    for (const [key, bucket] of this.buckets) {
      if (checked++ >= 2) return;
      const msToFull = ((bucket.limit - bucket.tokens) * WINDOW_MS) / bucket.limit;
      if (now - bucket.updatedAt < msToFull) return;
      this.buckets.delete(key);
    }
  }
}

function decide(bucket: Bucket, isAllowed: boolean): RateLimitDecision {
  const msPerToken = WINDOW_MS / bucket.limit;
  return {
    isAllowed,
    limit: bucket.limit,
    remaining: Math.floor(bucket.tokens),
    resetSeconds: Math.ceil(((bucket.limit - bucket.tokens) * msPerToken) / 1000),
    retryAfterSeconds: isAllowed
      ? 0
      : Math.max(1, Math.ceil(((1 - bucket.tokens) * msPerToken) / 1000)),
  };
}
