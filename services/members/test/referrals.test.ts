import { randomUUID } from 'node:crypto';
import { asMember, asPartner } from '@hub/testing';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { trustDistance } from '../src/domain/referrals/trust-distance.js';
import { countStatements, newMember, useMembers } from './support/index.js';

const hub = useMembers();
/** Member ids by name in the small graph below. */
const ids: Record<string, string> = {};

// a ← b ← c      (b was referred by a, c by b)
// a ← d
// e               (nobody)
// f1 ← f2 ← … ← f8  (a chain of 7 hops)
// g ⇄ h           (a cycle in the data must not loop forever)
beforeAll(async () => {
  const add = async (name: string, referrer?: string) => {
    ids[name] = await newMember(hub.prisma, {
      displayName: name,
      referredById: referrer ? ids[referrer] : undefined,
    });
  };
  await add('a');
  await add('b', 'a');
  await add('c', 'b');
  await add('d', 'a');
  await add('e');
  await add('f1');
  for (let i = 2; i <= 8; i += 1) await add(`f${i}`, `f${i - 1}`);
  await add('g');
  await add('h', 'g');
  await hub.prisma.member.update({ where: { id: ids.g }, data: { referredById: ids.h } });
}, 60_000);

describe('trustDistance', () => {
  it.each([
    ['a', 'a', 0],
    ['a', 'b', 1],
    ['b', 'a', 1],
    ['c', 'a', 2],
    ['c', 'd', 3],
    ['d', 'c', 3],
    ['a', 'e', null],
    ['f1', 'f7', 6],
    ['f7', 'f1', 6],
    ['f1', 'f8', null],
    ['g', 'h', 1],
    ['g', 'a', null],
  ])('%s → %s is %s', async (from, to, expected) => {
    expect(await trustDistance(hub.prisma, ids[from]!, ids[to]!)).toBe(expected);
  });

  it('is null for an unknown member, even to itself', async () => {
    const unknown = randomUUID();
    expect(await trustDistance(hub.prisma, unknown, unknown)).toBeNull();
    expect(await trustDistance(hub.prisma, ids.a!, unknown)).toBeNull();
  });

  it('is one SQL statement', async () => {
    const { result, statements } = await countStatements(() =>
      trustDistance(hub.prisma, ids.c!, ids.d!),
    );
    expect(result).toBe(3);
    expect(statements).toBe(1);
  });

  it('is a query for signed-in members', async () => {
    const QUERY = 'query($f: ID!, $t: ID!) { trustDistance(fromMemberId: $f, toMemberId: $t) }';
    const variables = { f: ids.c, t: ids.d };
    expect(await hub.gql(QUERY, variables, asMember(ids.e!))).toMatchObject({
      data: { trustDistance: 3 },
    });
    expect((await hub.gql(QUERY, variables)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await hub.gql(QUERY, variables, asPartner())).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    const malformed = await hub.gql(QUERY, { f: 'x', t: ids.d }, asMember(ids.e!));
    expect(malformed.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'fromMemberId',
    });
  });
});

describe('referral fields', () => {
  it('referredBy is personal; referrals and their count follow the profile', async () => {
    await hub.prisma.member.update({ where: { id: ids.a }, data: { profileVisibility: 'PUBLIC' } });
    const QUERY = `query($id: ID!) { member(id: $id) {
      referralCount referrals { displayName } referredBy { displayName } } }`;
    const own = await hub.gql(QUERY, { id: ids.b }, asMember(ids.b!));
    expect(own.data).toEqual({
      member: {
        referralCount: 1,
        referrals: [{ displayName: 'c' }],
        referredBy: { displayName: 'a' },
      },
    });
    const publicView = await hub.gql(QUERY, { id: ids.a });
    expect(publicView.data).toEqual({
      member: {
        referralCount: 2,
        referrals: [{ displayName: 'b' }, { displayName: 'd' }],
        referredBy: null,
      },
    });
  });
});
