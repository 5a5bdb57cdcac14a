import { printSubgraphSchema } from '@apollo/subgraph';
import { describe, expect, it } from '@jest/globals';
import { createSubgraphBuilder } from './builder.js';
import type { HubContext } from './context.js';
import { DateScalar, DateTimeScalar, JsonScalar, SCALAR_SPECIFICATIONS } from './scalars.js';

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

describe('@specifiedBy', () => {
  // Built the way services build theirs: the directives plugin rebuilds every type's AST, and
  // the subgraph printer prints that AST, so this is where the URL could silently get lost.
  function printedSubgraph(): string {
    const builder = createSubgraphBuilder<Record<string, never>, HubContext>({
      dmmf: { datamodel: { models: {} } },
      prismaOf: () => ({}),
    });
    builder.addScalarType('DateTime', DateTimeScalar);
    builder.addScalarType('Date', DateScalar);
    builder.addScalarType('JSON', JsonScalar);
    builder.queryType({
      fields: (t) => ({
        at: t.field({ type: 'DateTime', resolve: () => new Date(0) }),
        on: t.field({ type: 'Date', resolve: () => '2026-04-01' }),
        data: t.field({ type: 'JSON', resolve: () => ({}) }),
      }),
    });
    return printSubgraphSchema(
      builder.toSubGraphSchema({ linkUrl: 'https://specs.apollo.dev/federation/v2.6' }),
    );
  }

  it('is on every scalar the kit defines, with the RFC that specifies its format', () => {
    expect(SCALAR_SPECIFICATIONS).toEqual({
      DateTime: 'https://datatracker.ietf.org/doc/html/rfc3339',
      Date: 'https://datatracker.ietf.org/doc/html/rfc3339#section-5.6',
      JSON: 'https://datatracker.ietf.org/doc/html/rfc8259',
    });
    expect(DateTimeScalar.specifiedByURL).toBe(SCALAR_SPECIFICATIONS.DateTime);
    expect(DateScalar.specifiedByURL).toBe(SCALAR_SPECIFICATIONS.Date);
    expect(JsonScalar.specifiedByURL).toBe(SCALAR_SPECIFICATIONS.JSON);
  });

  it('survives into the printed subgraph SDL', () => {
    const sdl = printedSubgraph();
    for (const [name, url] of Object.entries(SCALAR_SPECIFICATIONS)) {
      expect(sdl).toMatch(new RegExp(`scalar ${name}\\s+@specifiedBy\\(url: "${url}"\\)`));
    }
  });
});
