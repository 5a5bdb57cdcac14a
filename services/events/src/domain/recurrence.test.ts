import { AppError } from '@hub/service-kit';
import { describe, expect, it } from '@jest/globals';
import { nextOccurrence, occursWithin, parseRecurrence, seriesEnd } from './recurrence.js';

// The demo Jelly: 3rd Wednesday of each month, 19:00–21:00 JST, since October 2012.
const jelly = {
  startsAt: new Date('2012-10-17T19:00:00+09:00'),
  endsAt: new Date('2012-10-17T21:00:00+09:00'),
  recurrence: 'FREQ=MONTHLY;BYDAY=3WE',
};

/** Weekday, day of month and hh:mm of an instant on the Tokyo calendar. */
function tokyo(date: Date) {
  const local = new Date(date.getTime() + 9 * 3600_000);
  return {
    weekday: local.getUTCDay(),
    day: local.getUTCDate(),
    time: local.toISOString().slice(11, 16),
  };
}

describe('nextOccurrence', () => {
  it('keeps the monthly Jelly at 19:00 JST on the 3rd Wednesday', () => {
    const next = nextOccurrence(jelly, new Date('2026-11-21T00:00:00Z'));
    // November 2026: the 3rd Wednesday (18th) has passed, so the 16th of December.
    expect(next?.toISOString()).toBe('2026-12-16T10:00:00.000Z');
    expect(tokyo(next!)).toEqual({ weekday: 3, day: 16, time: '19:00' });
  });

  it('is the 3rd Wednesday at 19:00 JST whatever month it is asked in', () => {
    for (let month = 0; month < 24; month += 1) {
      const now = new Date(Date.UTC(2025, month, 1));
      const next = nextOccurrence(jelly, now)!;
      expect(next.getTime()).toBeGreaterThanOrEqual(now.getTime());
      const local = tokyo(next);
      expect(local.weekday).toBe(3);
      expect(local.day).toBeGreaterThanOrEqual(15);
      expect(local.day).toBeLessThanOrEqual(21);
      expect(local.time).toBe('19:00');
    }
  });

  it('answers from its memory only while the remembered occurrence is still ahead', () => {
    const december = nextOccurrence(jelly, new Date('2026-12-01T00:00:00Z'));
    expect(december?.toISOString()).toBe('2026-12-16T10:00:00.000Z');
    // Later, once it has passed: the following month.
    expect(nextOccurrence(jelly, new Date('2026-12-16T10:00:01Z'))?.toISOString()).toBe(
      '2027-01-20T10:00:00.000Z',
    );
    // Asked about an earlier moment again: not the remembered (later) answer.
    expect(nextOccurrence(jelly, new Date('2026-11-01T00:00:00Z'))?.toISOString()).toBe(
      '2026-11-18T10:00:00.000Z',
    );
  });

  it('includes an occurrence starting exactly now', () => {
    const now = new Date('2026-12-16T10:00:00Z');
    expect(nextOccurrence(jelly, now)?.toISOString()).toBe(now.toISOString());
  });

  it('counts weekdays on the Tokyo calendar, not the UTC one', () => {
    // 08:00 JST on a Wednesday is Tuesday 23:00 UTC.
    const early = {
      startsAt: new Date('2026-01-21T08:00:00+09:00'),
      endsAt: new Date('2026-01-21T09:00:00+09:00'),
      recurrence: 'FREQ=MONTHLY;BYDAY=3WE',
    };
    const next = nextOccurrence(early, new Date('2026-02-01T00:00:00Z'))!;
    expect(next.toISOString()).toBe('2026-02-17T23:00:00.000Z');
    expect(tokyo(next)).toEqual({ weekday: 3, day: 18, time: '08:00' });
  });

  it('finds the yearly Worldwide Jelly Week on the 3rd Monday of January', () => {
    const week = {
      startsAt: new Date('2013-01-14T10:00:00+09:00'),
      endsAt: new Date('2013-01-14T18:00:00+09:00'),
      recurrence: 'FREQ=YEARLY;BYMONTH=1;BYDAY=3MO',
    };
    expect(nextOccurrence(week, new Date('2026-06-01T00:00:00Z'))?.toISOString()).toBe(
      '2027-01-18T01:00:00.000Z',
    );
  });

  it('is the start of a one-off event while ahead, then null', () => {
    const once = {
      startsAt: new Date('2026-03-01T14:00:00+09:00'),
      endsAt: new Date('2026-03-01T16:00:00+09:00'),
      recurrence: null,
    };
    expect(nextOccurrence(once, new Date('2026-02-01T00:00:00Z'))).toEqual(once.startsAt);
    expect(nextOccurrence(once, new Date('2026-03-02T00:00:00Z'))).toBeNull();
  });

  it('is null after a bounded series ended (UNTIL is an instant in UTC)', () => {
    const bounded = { ...jelly, recurrence: 'FREQ=MONTHLY;BYDAY=3WE;UNTIL=20130116T100000Z' };
    // The 16 January 2013 occurrence starts exactly at UNTIL and is the last one.
    expect(nextOccurrence(bounded, new Date('2013-01-01T00:00:00Z'))?.toISOString()).toBe(
      '2013-01-16T10:00:00.000Z',
    );
    expect(nextOccurrence(bounded, new Date('2013-01-17T00:00:00Z'))).toBeNull();
  });
});

describe('seriesEnd', () => {
  it('is null for an unbounded rule and the last end for a counted one', () => {
    expect(seriesEnd(jelly)).toBeNull();
    expect(
      seriesEnd({ ...jelly, recurrence: 'FREQ=MONTHLY;BYDAY=3WE;COUNT=3' })?.toISOString(),
    ).toBe('2012-12-19T12:00:00.000Z');
    expect(seriesEnd({ ...jelly, recurrence: null })).toEqual(jelly.endsAt);
  });
});

describe('occursWithin', () => {
  it('sees an occurrence overlapping the window, and none in a gap between occurrences', () => {
    expect(
      occursWithin(jelly, new Date('2026-12-16T11:00:00Z'), new Date('2026-12-17T00:00:00Z')),
    ).toBe(true);
    expect(
      occursWithin(jelly, new Date('2026-12-01T00:00:00Z'), new Date('2026-12-10T00:00:00Z')),
    ).toBe(false);
  });
});

describe('parseRecurrence', () => {
  const reject = (text: string) => {
    try {
      parseRecurrence(text, jelly.startsAt);
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it('accepts the demo rules, with or without the RRULE: prefix', () => {
    expect(parseRecurrence('RRULE:FREQ=MONTHLY;BYDAY=3WE', jelly.startsAt).text).toBe(
      'FREQ=MONTHLY;BYDAY=3WE',
    );
    expect(parseRecurrence('FREQ=YEARLY;BYMONTH=1;BYDAY=3MO', jelly.startsAt).text).toBe(
      'FREQ=YEARLY;BYMONTH=1;BYDAY=3MO',
    );
  });

  it.each([
    ['garbage', 'not a rule'],
    ['no FREQ', 'BYDAY=3WE'],
    ['hourly', 'FREQ=HOURLY'],
    ['DTSTART inside', 'DTSTART=20121017T100000Z;FREQ=MONTHLY'],
    ['huge COUNT', 'FREQ=DAILY;COUNT=100000'],
    ['ends before it starts', 'FREQ=DAILY;UNTIL=20120101T000000Z'],
  ])('rejects %s as BAD_USER_INPUT on recurrence', (_name, text) => {
    const error = reject(text);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('BAD_USER_INPUT');
    expect((error as AppError).details.field).toBe('recurrence');
  });
});
