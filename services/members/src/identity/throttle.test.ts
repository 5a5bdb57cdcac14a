import { describe, expect, it } from '@jest/globals';
import { slowDownMs, THROTTLE } from './throttle.js';

describe('slow-down', () => {
  it('waits from the fourth attempt, doubling up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 9].map(slowDownMs)).toEqual([0, 0, 0, 500, 1000, 2000, 2000]);
    expect(slowDownMs(100)).toBe(THROTTLE.maxDelayMs);
  });
});
