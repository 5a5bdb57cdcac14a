import { describe, expect, it } from '@jest/globals';
import { DateScalar, DateTimeScalar } from './scalars.js';

describe('DateTime', () => {
  it('accepts instants with an offset and stores them as UTC', () => {
    expect(DateTimeScalar.parseValue('2026-01-15T19:00:00+09:00')).toEqual(
      new Date('2026-01-15T10:00:00Z'),
    );
    expect(DateTimeScalar.parseValue('2026-01-15T10:00:00Z')).toEqual(
      new Date('2026-01-15T10:00:00Z'),
    );
    expect(DateTimeScalar.serialize(new Date('2026-01-15T10:00:00Z'))).toBe(
      '2026-01-15T10:00:00.000Z',
    );
  });

  it.each(['2026-01-15T19:00', '2026-01-15', 'tomorrow', '2026-13-01T00:00:00Z'])(
    'rejects %s',
    (value) => {
      expect(() => DateTimeScalar.parseValue(value)).toThrow(/DateTime/);
    },
  );
});

describe('Date', () => {
  it('accepts real calendar dates only', () => {
    expect(DateScalar.parseValue('2024-02-29')).toBe('2024-02-29');
    expect(() => DateScalar.parseValue('2023-02-29')).toThrow(/YYYY-MM-DD/);
    expect(() => DateScalar.parseValue('2023/02/01')).toThrow(/YYYY-MM-DD/);
  });
});
