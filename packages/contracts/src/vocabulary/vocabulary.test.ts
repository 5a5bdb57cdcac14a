import { describe, expect, it } from '@jest/globals';
import { AFFILIATION_ROLES } from './affiliation-roles.js';
import { MEMBER_KINDS } from './member-kinds.js';
import { ZMunicipalityCode } from './municipality-code.js';
import { SPACE_KINDS, SPACE_STATUSES } from './space-kinds.js';
import {
  activeOn,
  dateColumn,
  dayBefore,
  isoDate,
  startOfTokyoDay,
  todayInJapan,
  ZTokyoDate,
} from './tokyo-dates.js';

describe('vocabularies', () => {
  it('spell a value as events carry it and as Prisma and GraphQL key it, both ways', () => {
    expect(MEMBER_KINDS.values).toEqual([
      'freelancer',
      'small-business',
      'student',
      'founder',
      'teleworker',
      'employee',
    ]);
    expect(MEMBER_KINDS.keyOf('small-business')).toBe('SMALL_BUSINESS');
    expect(SPACE_KINDS.valueOf('TELEWORK_CENTRE')).toBe('telework-centre');
    expect(MEMBER_KINDS.values.map(MEMBER_KINDS.keyOf).map(MEMBER_KINDS.valueOf)).toEqual(
      MEMBER_KINDS.values,
    );
    expect(() => SPACE_KINDS.valueOf('CASTLE' as never)).toThrow(
      "'CASTLE' is not one of coworking, telework-centre, satellite-office",
    );
  });

  it('check values in either spelling, refusing the other', () => {
    expect(MEMBER_KINDS.schema.safeParse('small-business').success).toBe(true);
    expect(MEMBER_KINDS.schema.safeParse('SMALL_BUSINESS').success).toBe(false);
    expect(MEMBER_KINDS.keySchema.safeParse('SMALL_BUSINESS').success).toBe(true);
    expect(MEMBER_KINDS.keySchema.safeParse('small-business').success).toBe(false);
  });

  it('label every value in Japanese with English alongside', () => {
    for (const vocabulary of [MEMBER_KINDS, AFFILIATION_ROLES, SPACE_KINDS, SPACE_STATUSES]) {
      expect(Object.keys(vocabulary.labels)).toEqual([...vocabulary.values]);
      for (const label of Object.values<string>(vocabulary.labels)) {
        expect(label).toMatch(
          /^[^(]*[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}].* \(.+\)$/u,
        );
      }
    }
  });
});

describe('municipality codes', () => {
  it('accepts six digits with the right check digit only', () => {
    expect(ZMunicipalityCode.safeParse('011002').success).toBe(true); // 札幌市
    expect(ZMunicipalityCode.safeParse('012157').success).toBe(true); // 美唄市
    for (const bad of ['011003', '01100', '0110020', 'abcdef', '']) {
      expect(ZMunicipalityCode.safeParse(bad).success).toBe(false);
    }
  });
});

describe('Tokyo dates', () => {
  it('turn over at midnight in Tokyo, not at midnight UTC', () => {
    expect(todayInJapan(new Date('2026-03-31T14:59:59.999Z'))).toBe('2026-03-31');
    expect(todayInJapan(new Date('2026-03-31T15:00:00Z'))).toBe('2026-04-01');
    expect(todayInJapan(new Date('2026-12-31T23:00:00Z'))).toBe('2027-01-01');
  });

  it('convert to and from date columns, and step back a day across months and leap years', () => {
    expect(dateColumn('2026-04-01').toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(isoDate(dateColumn('2028-02-29'))).toBe('2028-02-29');
    expect(dayBefore('2026-03-01')).toBe('2026-02-28');
    expect(dayBefore('2028-03-01')).toBe('2028-02-29');
    expect(dayBefore('2027-01-01')).toBe('2026-12-31');
  });

  it('begin at 00:00 in Tokyo, 15:00 UTC the day before', () => {
    expect(startOfTokyoDay('2026-11-01').toISOString()).toBe('2026-10-31T15:00:00.000Z');
    expect(startOfTokyoDay('2027-01-01').toISOString()).toBe('2026-12-31T15:00:00.000Z');
  });

  it('select rows holding on a day, its last day included', () => {
    const day = dateColumn('2026-04-01');
    expect(activeOn('2026-04-01')).toEqual({
      startsOn: { lte: day },
      OR: [{ endsOn: null }, { endsOn: { gte: day } }],
    });
  });

  it('are YYYY-MM-DD calendar dates', () => {
    expect(ZTokyoDate.safeParse('2026-04-01').success).toBe(true);
    for (const bad of ['2026-4-1', '2026-02-30', '2026-04-01T00:00:00Z']) {
      expect(ZTokyoDate.safeParse(bad).success).toBe(false);
    }
  });
});
