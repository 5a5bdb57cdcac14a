import { describe, expect, test } from '@jest/globals';
import { buildSchema, parse } from 'graphql';
import { EVENT_PURGES, PURGE_ALL, purgeOf } from './event-purges.js';
import { createOperationKey } from './operation-key.js';
import { ResponseCache } from './response-cache.js';
import { selectedTypesOf } from './selected-types.js';

const types = (...names: string[]) => new Set(names);
const answer = (name: string) => ({ data: { space: { name } } });

function cacheAt(clock: { now: number }, ttlMs = 5000, maxEntries = 10) {
  return new ResponseCache({ ttlMs, maxEntries, now: () => clock.now });
}

describe('response cache store', () => {
  test('serves an answer until its TTL ends', () => {
    const clock = { now: 1000 };
    const cache = cacheAt(clock);
    expect(cache.set('k', answer('A'), types('Space'), cache.epoch)).toBe(true);

    clock.now = 5999;
    expect(cache.get('k')).toEqual(answer('A'));
    clock.now = 6000;
    expect(cache.get('k')).toBeUndefined();
  });

  test('a purge drops the answers selecting a purged type and keeps the others', () => {
    const cache = cacheAt({ now: 0 });
    cache.set('spaces', answer('A'), types('Query', 'Space'), cache.epoch);
    cache.set('programs', answer('P'), types('Query', 'Program'), cache.epoch);

    expect(cache.purgeTypes(['Space', 'Event'])).toBe(1);
    expect(cache.get('spaces')).toBeUndefined();
    expect(cache.get('programs')).toEqual(answer('P'));
  });

  test('an answer read before a purge of its types is not stored after it', () => {
    const cache = cacheAt({ now: 0 });
    const startedEpoch = cache.epoch;
    cache.purgeTypes(['Space']);

    expect(cache.set('spaces', answer('old'), types('Space'), startedEpoch)).toBe(false);
    expect(cache.get('spaces')).toBeUndefined();
    // A purge of other types does not hold it back.
    expect(cache.set('programs', answer('P'), types('Program'), startedEpoch)).toBe(true);
    cache.purgeAll();
    expect(cache.set('programs', answer('P'), types('Program'), startedEpoch)).toBe(false);
  });

  test('keeps at most maxEntries, dropping the oldest', () => {
    const cache = cacheAt({ now: 0 }, 5000, 2);
    for (const key of ['a', 'b', 'c']) cache.set(key, answer(key), types('Space'), cache.epoch);

    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('c')).toEqual(answer('c'));
  });

  test('while suspended (no event connection) it serves and stores nothing', () => {
    const cache = cacheAt({ now: 0 });
    cache.set('k', answer('A'), types('Space'), cache.epoch);
    cache.suspend();

    expect(cache.isActive).toBe(false);
    expect(cache.get('k')).toBeUndefined();
    expect(cache.set('k', answer('A'), types('Space'), cache.epoch)).toBe(false);
    cache.resume();
    expect(cache.get('k')).toBeUndefined();
    expect(cache.set('k', answer('A'), types('Space'), cache.epoch)).toBe(true);
  });
});

const schema = buildSchema(`
  type Query { spaces: SpaceConnection! municipality(code: ID!): Municipality me: Member search: [Result!]! }
  type SpaceConnection { totalCount: Int! nodes: [Space!]! edges: [SpaceEdge!]! }
  type SpaceEdge { node: Space! }
  type Space { id: ID! name: String! }
  type Municipality { code: ID! spaces: SpaceConnection! }
  type Member { id: ID! }
  type Program { id: ID! }
  union Result = Space | Program
`);

describe('the entity types an operation selects', () => {
  test('a connection counts as its nodes, even when only its count is read', () => {
    const selected = selectedTypesOf(
      schema,
      parse('{ municipality(code: "011002") { spaces { totalCount } } }'),
    );
    expect([...selected].sort()).toEqual(['Municipality', 'Space', 'SpaceConnection']);
  });

  test('a union counts as each of its members; fragments are followed', () => {
    const selected = selectedTypesOf(
      schema,
      parse('{ search { ... on Space { id } } ...F } fragment F on Query { me { id } }'),
    );
    expect([...selected].sort()).toEqual(['Member', 'Program', 'Result', 'Space']);
  });
});

describe('the operation key', () => {
  const keyOf = createOperationKey();

  test('ignores layout and variable order, and tells operations and variables apart', () => {
    const a = keyOf(parse('query Q($a: Int, $b: Int) { spaces { nodes { id } } }'), 'Q', {
      a: 1,
      b: 2,
    });
    const sameLaidOut = keyOf(parse('query Q($a: Int,$b: Int){spaces{nodes{id}}} # comment'), 'Q', {
      b: 2,
      a: 1,
    });
    expect(sameLaidOut).toBe(a);
    const doc = parse('query Q($a: Int, $b: Int) { spaces { nodes { id } } }');
    expect(keyOf(doc, 'Q', { a: 1, b: 3 })).not.toBe(a);
    expect(keyOf(doc, 'R', { a: 1, b: 2 })).not.toBe(a);
  });
});

describe('purges by domain event', () => {
  test('a space event purges spaces and the events that show them as venues', () => {
    expect(purgeOf('spaces.space.updated')).toEqual(['Space', 'Event', 'EventVenue']);
  });

  test('an erasure, and an event type this gateway does not know, purge everything', () => {
    expect(purgeOf('members.member.erased')).toEqual([PURGE_ALL]);
    expect(purgeOf('spaces.space.demolished')).toEqual([PURGE_ALL]);
    expect(purgeOf('')).toEqual([PURGE_ALL]);
  });

  test('every purge names types of the public schema', async () => {
    const { readFile } = await import('node:fs/promises');
    const publicSchema = buildSchema(
      await readFile(new URL('../../public-schema.graphql', import.meta.url), 'utf8'),
    );
    for (const purged of Object.values(EVENT_PURGES)) {
      for (const type of purged) {
        if (type !== PURGE_ALL) expect(publicSchema.getType(type)?.name).toBe(type);
      }
    }
  });
});
