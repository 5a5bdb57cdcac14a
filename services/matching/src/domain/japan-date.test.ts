import { describe, expect, it } from '@jest/globals';
import { todayInJapan } from './japan-date.js';

describe('todayInJapan', () => {
  // Affiliations end on their last Japanese day: at 09:00 JST the UTC date has not moved yet.
  it('turns at midnight in Japan, not in UTC', () => {
    expect(todayInJapan(new Date('2026-03-31T14:59:59Z'))).toBe('2026-03-31');
    expect(todayInJapan(new Date('2026-03-31T15:00:00Z'))).toBe('2026-04-01');
  });
});
