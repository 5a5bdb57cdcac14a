import { describe, expect, test } from '@jest/globals';
import { ExpiringLru } from './expiring-lru.js';

describe('ExpiringLru', () => {
  test('an entry lives until its own expiry', () => {
    const cache = new ExpiringLru<string>(10);
    cache.set('token', 'member-1', 2_000, 1_000);

    expect(cache.get('token', 1_999)).toBe('member-1');
    expect(cache.has('token', 2_000)).toBe(false);
    expect(cache.get('token', 2_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  test('an expiry already past stores nothing', () => {
    const cache = new ExpiringLru<string>(10);
    cache.set('token', 'member-1', 1_000, 1_000);

    expect(cache.size).toBe(0);
  });

  test('beyond its bound the least recently used entry goes', () => {
    const cache = new ExpiringLru<number>(2);
    cache.set('a', 1, 10_000, 0);
    cache.set('b', 2, 10_000, 0);
    cache.get('a', 1);
    cache.set('c', 3, 10_000, 2);

    expect(cache.size).toBe(2);
    expect(cache.get('a', 3)).toBe(1);
    expect(cache.get('b', 3)).toBeUndefined();
    expect(cache.get('c', 3)).toBe(3);
  });
});
