import { describe, expect, it } from '@jest/globals';
import { AFFILIATION_ROLE_LABELS, AFFILIATION_ROLES } from './affiliation-roles.js';
import { enumKeyOf, enumKeys, valueOfEnumKey } from './enum-keys.js';
import { MEMBER_KIND_LABELS, MEMBER_KINDS } from './member-kinds.js';
import { ZMunicipalityCode } from './municipality-code.js';
import {
  SPACE_KIND_LABELS,
  SPACE_KINDS,
  SPACE_STATUS_LABELS,
  SPACE_STATUSES,
} from './space-kinds.js';
import {
  activeOn,
  dateColumn,
  dayBefore,
  isoDate,
  todayInJapan,
  ZTokyoDate,
} from './tokyo-dates.js';

describe('enum keys', () => {
  it('spell a kebab-case value as the Prisma and GraphQL enum key, and back', () => {
    expect(enumKeyOf('small-business')).toBe('SMALL_BUSINESS');
    expect(enumKeyOf('freelancer')).toBe('FREELANCER');
    expect(enumKeys(MEMBER_KINDS)).toEqual([
      'FREELANCER',
      'SMALL_BUSINESS',
      'STUDENT',
      'FOUNDER',
      'TELEWORKER',
      'EMPLOYEE',
    ]);
    expect(valueOfEnumKey(SPACE_KINDS, 'TELEWORK_CENTRE')).toBe('telework-centre');
    expect(() => valueOfEnumKey(SPACE_KINDS, 'CASTLE' as never)).toThrow(
      "'CASTLE' is not one of coworking, telework-centre, satellite-office",
    );
  });

  it('labels every value in Japanese with English alongside', () => {
    const vocabularies: [readonly string[], Record<string, string>][] = [
      [MEMBER_KINDS, MEMBER_KIND_LABELS],
      [AFFILIATION_ROLES, AFFILIATION_ROLE_LABELS],
      [SPACE_KINDS, SPACE_KIND_LABELS],
      [SPACE_STATUSES, SPACE_STATUS_LABELS],
    ];
    for (const [values, labels] of vocabularies) {
      expect(Object.keys(labels)).toEqual([...values]);
      for (const label of Object.values(labels))
        expect(label).toMatch(
          /^[^(]*[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}].* \(.+\)$/u,
        );
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
