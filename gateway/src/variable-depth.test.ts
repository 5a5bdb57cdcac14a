import { describe, expect, test } from '@jest/globals';
import { isDeeperThan } from './variable-depth.js';

describe('isDeeperThan', () => {
  test('counts nested arrays and objects, not scalars', () => {
    expect(isDeeperThan('text', 0)).toBe(false);
    expect(isDeeperThan({}, 0)).toBe(true);
    expect(isDeeperThan({ a: [1, { b: 'x' }] }, 3)).toBe(false);
    expect(isDeeperThan({ a: [1, { b: [] }] }, 3)).toBe(true);
  });

  test('handles a depth that would overflow a recursive walk', () => {
    let value: unknown = 'leaf';
    for (let level = 0; level < 200_000; level += 1) value = [value];

    expect(isDeeperThan(value, 32)).toBe(true);
  });
});
