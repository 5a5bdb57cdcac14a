import { describe, expect, test } from '@jest/globals';
import { TokenBucketLimiter } from './token-bucket-limiter.js';

describe('TokenBucketLimiter', () => {
  test('allows the limit at once, then refuses with the wait until the next request', () => {
    const limiter = new TokenBucketLimiter(100);
    const decisions = [0, 1, 2, 3].map(() => limiter.consume('key', 3, 0));

    expect(decisions.map((decision) => decision.isAllowed)).toEqual([true, true, true, false]);
    expect(decisions.map((decision) => decision.remaining)).toEqual([2, 1, 0, 0]);
    expect(decisions[3]).toEqual({
      isAllowed: false,
      limit: 3,
      remaining: 0,
      resetSeconds: 60,
      retryAfterSeconds: 20,
    });
  });

  test('refills at the limit per minute', () => {
    const limiter = new TokenBucketLimiter(100);
    for (let index = 0; index < 3; index += 1) limiter.consume('key', 3, 0);

    expect(limiter.consume('key', 3, 19_000).isAllowed).toBe(false);
    const later = limiter.consume('key', 3, 20_001);
    expect(later).toMatchObject({ isAllowed: true, remaining: 0, resetSeconds: 60 });
    expect(limiter.peek('key', 3, 80_000)).toMatchObject({ remaining: 3, resetSeconds: 0 });
  });

  test('a refused request costs nothing, and keys do not share a bucket', () => {
    const limiter = new TokenBucketLimiter(100);
    limiter.consume('a', 1, 0);
    for (let index = 0; index < 10; index += 1) limiter.consume('a', 1, 1_000);

    expect(limiter.consume('a', 1, 61_000).isAllowed).toBe(true);
    expect(limiter.consume('b', 1, 0).isAllowed).toBe(true);
  });

  test('peek decides without consuming', () => {
    const limiter = new TokenBucketLimiter(100);

    expect(limiter.peek('key', 1, 0).isAllowed).toBe(true);
    expect(limiter.peek('key', 1, 0).isAllowed).toBe(true);
    expect(limiter.size).toBe(0);
  });

  test('memory stays bounded: least recently used keys go, idle ones are swept', () => {
    const limiter = new TokenBucketLimiter(3);
    for (const key of ['a', 'b', 'c', 'd']) limiter.consume(key, 10, 0);
    expect(limiter.size).toBe(3);
    // 'a' was forgotten: it starts over with a full bucket.
    expect(limiter.peek('a', 10, 0).remaining).toBe(10);
    expect(limiter.peek('d', 10, 0).remaining).toBe(9);

    // After a minute every bucket has refilled: each call sweeps idle ones.
    limiter.consume('e', 10, 60_000);
    limiter.consume('e', 10, 60_001);
    expect(limiter.size).toBe(1);
  });

  test('a lower limit for the same key applies at once', () => {
    const limiter = new TokenBucketLimiter(10);
    limiter.consume('key', 100, 0);

    expect(limiter.consume('key', 2, 0)).toMatchObject({ isAllowed: true, limit: 2, remaining: 1 });
  });
});
