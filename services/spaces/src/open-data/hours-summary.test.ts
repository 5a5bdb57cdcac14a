import { describe, expect, it } from '@jest/globals';
import type { TStoredHours } from '../domain/opening-hours.js';
import { summariseHours } from './hours-summary.js';

const NINE_TO_SIX = [{ opens: '09:00', closes: '18:00' }];
const hours = (overrides: Partial<TStoredHours>): TStoredHours => ({
  weeklyHours: {},
  hoursExceptions: {},
  closedOnHolidays: false,
  ...overrides,
});

describe('summariseHours', () => {
  it('gives the days and the window when every open day has the same hours', () => {
    const summary = summariseHours(
      hours({
        weeklyHours: {
          MONDAY: NINE_TO_SIX,
          TUESDAY: NINE_TO_SIX,
          WEDNESDAY: NINE_TO_SIX,
          THURSDAY: NINE_TO_SIX,
          FRIDAY: NINE_TO_SIX,
        },
      }),
      '2026-12-06',
    );
    expect(summary).toEqual({ days: '月火水木金', opens: '09:00', closes: '18:00', notes: '' });
  });

  it('takes the most common window and writes the other days, holidays and coming exceptions to the notes', () => {
    const summary = summariseHours(
      hours({
        weeklyHours: {
          MONDAY: NINE_TO_SIX,
          TUESDAY: NINE_TO_SIX,
          WEDNESDAY: [{ opens: '09:00', closes: '21:00' }],
          THURSDAY: NINE_TO_SIX,
          SATURDAY: [{ opens: '10:00', closes: '17:00' }],
          SUNDAY: [{ opens: '10:00', closes: '17:00' }],
        },
        closedOnHolidays: true,
        hoursExceptions: {
          '2026-12-01': [],
          '2026-12-31': [],
          '2027-01-04': [{ opens: '13:00', closes: '24:00' }],
        },
      }),
      '2026-12-06',
    );
    expect(summary).toEqual({
      days: '月火木',
      opens: '09:00',
      closes: '18:00',
      notes: '水 09:00-21:00、土日 10:00-17:00、祝日休業、2026-12-31 休業、2027-01-04 13:00-24:00',
    });
  });

  it('on a tie keeps the window of the earliest weekday, and spells out a break', () => {
    const split = [
      { opens: '09:00', closes: '12:00' },
      { opens: '13:00', closes: '18:00' },
    ];
    const summary = summariseHours(
      hours({ weeklyHours: { MONDAY: split, SATURDAY: [{ opens: '10:00', closes: '15:00' }] } }),
      '2026-12-06',
    );
    expect(summary).toEqual({
      days: '月',
      opens: '09:00',
      closes: '18:00',
      notes: '月 09:00-12:00, 13:00-18:00、土 10:00-15:00',
    });
  });

  it('leaves the columns empty when the hub has no hours', () => {
    expect(summariseHours(hours({}), '2026-12-06')).toEqual({
      days: '',
      opens: '',
      closes: '',
      notes: '',
    });
  });
});
