import { AppError } from '@hub/service-kit';
import { describe, expect, it } from '@jest/globals';
import {
  isOpenAt,
  isPublicHoliday,
  type TStoredHours,
  tokyoMoment,
  toStoredHours,
  ZOpeningHoursInput,
} from './opening-hours.js';
import { normaliseForSearch, spaceSearchText } from './search-text.js';

const parse = (input: unknown) => toStoredHours(ZOpeningHoursInput.parse(input));
const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof AppError ? [error.code, error.details.field] : error;
  }
  return null;
};

describe('public holidays (offline table)', () => {
  it.each([
    ['2026-01-01', true], // 元日
    ['2026-05-06', true], // 振替休日: 憲法記念日 (Sun 3 May) moves to Wed 6 May
    ['2025-11-24', true], // 振替休日: 勤労感謝の日 on Sunday 23 Nov
    ['2026-09-22', true], // 国民の休日 between 敬老の日 and 秋分の日
    ['2026-05-07', false],
    ['2026-12-06', false],
  ])('%s is a holiday: %s', (date, expected) => {
    expect(isPublicHoliday(date)).toBe(expected);
  });
});

describe('tokyoMoment', () => {
  it('reads an instant on Tokyo’s wall clock, across the UTC date line', () => {
    // 2026-05-05T15:30Z is 00:30 on Wednesday 6 May in Tokyo.
    expect(tokyoMoment(new Date('2026-05-05T15:30:00Z'))).toEqual({
      date: '2026-05-06',
      weekday: 'WEDNESDAY',
      time: '00:30',
    });
  });
});

describe('opening hours', () => {
  const hours: TStoredHours = parse({
    weekly: [
      { weekday: 'WEDNESDAY', opens: '09:00', closes: '12:00' },
      { weekday: 'WEDNESDAY', opens: '13:00', closes: '18:00' },
      { weekday: 'THURSDAY', opens: '09:00', closes: '18:00' },
    ],
    exceptions: [
      { date: '2026-05-14', intervals: [] },
      { date: '2026-05-06', intervals: [{ opens: '10:00', closes: '15:00' }] },
    ],
    closedOnPublicHolidays: true,
  });
  const at = (tokyo: string) => isOpenAt(hours, new Date(`${tokyo}+09:00`));

  it('follows the weekly intervals, closes end exclusive', () => {
    expect(at('2026-05-13T09:00')).toBe(true);
    expect(at('2026-05-13T12:30')).toBe(false);
    expect(at('2026-05-13T17:59')).toBe(true);
    expect(at('2026-05-13T18:00')).toBe(false);
    expect(at('2026-05-07T10:00')).toBe(true);
  });

  it('closes on a public holiday, unless an exception gives that date its own hours', () => {
    // 2026-04-29 (昭和の日) is a Wednesday: closed.
    expect(at('2026-04-29T10:00')).toBe(false);
    // The substitute holiday of 6 May has special hours 10–15.
    expect(at('2026-05-06T09:30')).toBe(false);
    expect(at('2026-05-06T14:00')).toBe(true);
    // A closed day on an ordinary Thursday.
    expect(at('2026-05-14T10:00')).toBe(false);
  });

  it.each([
    [{ weekly: [{ weekday: 'MONDAY', opens: '18:00', closes: '09:00' }] }, 'openingHours.weekly.0'],
    [{ weekly: [{ weekday: 'MONDAY', opens: '09:00', closes: '09:00' }] }, 'openingHours.weekly.0'],
    [
      {
        weekly: [
          { weekday: 'MONDAY', opens: '09:00', closes: '12:00' },
          { weekday: 'TUESDAY', opens: '09:00', closes: '12:00' },
          { weekday: 'MONDAY', opens: '11:00', closes: '13:00' },
        ],
      },
      'openingHours.weekly.2',
    ],
    [
      {
        exceptions: [
          {
            date: '2026-05-06',
            intervals: [
              { opens: '10:00', closes: '12:00' },
              { opens: '08:00', closes: '10:30' },
            ],
          },
        ],
      },
      'openingHours.exceptions.0.intervals.1',
    ],
    [{ exceptions: [{ date: '2026-05-06' }, { date: '2026-05-06' }] }, 'openingHours.exceptions.1'],
  ])('refuses %j as INVALID_OPENING_HOURS at %s', (input, field) => {
    expect(codeOf(() => parse(input))).toEqual(['INVALID_OPENING_HOURS', field]);
  });

  it('accepts intervals that touch and hours up to midnight', () => {
    expect(
      parse({
        weekly: [
          { weekday: 'FRIDAY', opens: '13:00', closes: '24:00' },
          { weekday: 'FRIDAY', opens: '09:00', closes: '13:00' },
        ],
      }).weeklyHours,
    ).toEqual({
      FRIDAY: [
        { opens: '09:00', closes: '13:00' },
        { opens: '13:00', closes: '24:00' },
      ],
    });
  });
});

describe('search text', () => {
  it('holds the kana name as hiragana and as Hepburn romaji, long and short', () => {
    const text = spaceSearchText({
      name: 'テレワークセンターしおじり',
      nameKana: 'テレワークセンターシオジリ',
    });
    expect(text).toContain('てれわーくせんたーしおじり');
    expect(text).toContain('terewaakusentaashiojiri');
    expect(text).toContain('terewakusentashiojiri');
  });

  it('normalises a query the same way (katakana, full-width, case)', () => {
    expect(normaliseForSearch('ＧＡＲＡＧＥ　シオジリ')).toBe('garage しおじり');
  });
});
