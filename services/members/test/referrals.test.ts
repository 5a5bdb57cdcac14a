import { randomUUID } from 'node:crypto';
import { asMember, asPartner } from '@hub/testing';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { addAffiliation } from '../src/domain/add-affiliation.js';
import { trustDistance } from '../src/domain/referrals/trust-distance.js';
import { countStatements, newMember, newOrganization, useMembers } from './support/index.js';

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

/** The whole graph, as a hub admin sees it. */
const distance = (fromMemberId: string, toMemberId: string) =>
  trustDistance(hub.prisma, { fromMemberId, toMemberId, visibleTo: 'everyone' });

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
    expect(await distance(ids[from]!, ids[to]!)).toBe(expected);
  });

  it('is null for an unknown member, even to itself', async () => {
    const unknown = randomUUID();
    expect(await distance(unknown, unknown)).toBeNull();
    expect(await distance(ids.a!, unknown)).toBeNull();
  });

  it('is one SQL statement', async () => {
    const { result, statements } = await countStatements(() => distance(ids.c!, ids.d!));
    expect(result).toBe(3);
    expect(statements).toBe(1);
    const asMemberSees = await countStatements(() =>
      trustDistance(hub.prisma, {
        fromMemberId: ids.c!,
        toMemberId: ids.d!,
        visibleTo: { memberId: ids.e!, staffOrganizationIds: [randomUUID()], today: '2026-04-01' },
      }),
    );
    expect(asMemberSees).toEqual({ result: 3, statements: 1 });
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
      referralCount referrals { totalCount nodes { displayName } } referredBy { displayName } } }`;
    const own = await hub.gql(QUERY, { id: ids.b }, asMember(ids.b!));
    expect(own.data).toEqual({
      member: {
        referralCount: 1,
        referrals: { totalCount: 1, nodes: [{ displayName: 'c' }] },
        referredBy: { displayName: 'a' },
      },
    });
    const publicView = await hub.gql(QUERY, { id: ids.a });
    expect(publicView.data).toEqual({
      member: {
        referralCount: 2,
        referrals: { totalCount: 2, nodes: [{ displayName: 'b' }, { displayName: 'd' }] },
        referredBy: null,
      },
    });
  });
});

describe('trustDistance reveals no link the caller may not read', () => {
  const QUERY = 'query($f: ID!, $t: ID!) { trustDistance(fromMemberId: $f, toMemberId: $t) }';
  const LINKS = `query($id: ID!) { member(id: $id) { referrals { nodes { id } } referredBy { id } } }`;
  let referrer: string;
  let referred: string;
  let onlyTheirs: string;
  let organizationId: string;

  // referrer ← referred (both show their profile to staff only), and referred ← onlyTheirs.
  beforeAll(async () => {
    referrer = await newMember(hub.prisma, { profileVisibility: 'STAFF' });
    referred = await newMember(hub.prisma, { profileVisibility: 'STAFF', referredById: referrer });
    onlyTheirs = await newMember(hub.prisma, {
      profileVisibility: 'STAFF',
      referredById: referred,
    });
    organizationId = await newOrganization(hub.prisma);
    await addAffiliation(
      { prisma: hub.prisma },
      { memberId: referred, organizationId, role: 'WORKER', startsOn: '2024-04-01' },
      { confirmed: true },
    );
  });

  it('is null for a member who may read neither side of a link', async () => {
    const stranger = asMember(randomUUID());
    // The field rules refuse both sides of the link to this caller …
    const links = await hub.gql(LINKS, { id: referred }, stranger);
    expect(links.data).toEqual({ member: { referrals: null, referredBy: null } });
    // … so the distance must not reveal it either.
    expect((await hub.gql(QUERY, { f: referrer, t: referred }, stranger)).data).toEqual({
      trustDistance: null,
    });
    expect((await hub.gql(QUERY, { f: referrer, t: onlyTheirs }, stranger)).data).toEqual({
      trustDistance: null,
    });
  });

  it('counts the links the caller may read', async () => {
    // The member themself reads their own referredBy and referrals.
    expect((await hub.gql(QUERY, { f: referrer, t: referred }, asMember(referred))).data).toEqual({
      trustDistance: 1,
    });
    expect((await hub.gql(QUERY, { f: referrer, t: onlyTheirs }, asMember(referred))).data).toEqual(
      { trustDistance: 2 },
    );
    // Staff of referred's organisation read referred's links, not onlyTheirs' other ones.
    const staff = asMember(randomUUID(), { staffOf: [{ organizationId, role: 'staff' }] });
    expect((await hub.gql(QUERY, { f: referrer, t: onlyTheirs }, staff)).data).toEqual({
      trustDistance: 2,
    });
    // Once the referrer shows their profile to members, its referrals are readable by all.
    await hub.prisma.member.update({
      where: { id: referrer },
      data: { profileVisibility: 'MEMBERS' },
    });
    const stranger = asMember(randomUUID());
    expect((await hub.gql(QUERY, { f: referrer, t: referred }, stranger)).data).toEqual({
      trustDistance: 1,
    });
    expect((await hub.gql(QUERY, { f: referrer, t: onlyTheirs }, stranger)).data).toEqual({
      trustDistance: null,
    });
  });
});

describe('values that would give away when a member registered', () => {
  // createdAt is a profile field: refused to other members when the profile is STAFF-only.
  it('a member’s public id is random, not a time-ordered UUID v7 carrying the registration time', async () => {
    const memberId = await newMember(hub.prisma, { profileVisibility: 'STAFF' });
    const read = await hub.gql<{ member: { id: string; createdAt: string | null } }>(
      'query($id: ID!) { member(id: $id) { id createdAt } }',
      { id: memberId },
      asMember(randomUUID()),
    );
    expect(read.data!.member.createdAt).toBeNull();
    // The version nibble: 7 would put the millisecond of registration in the first 48 bits.
    expect(read.data!.member.id[14]).toBe('4');
  });

  it('referrals are listed by name, not in the order the referred members registered', async () => {
    const referrer = await newMember(hub.prisma, { profileVisibility: 'PUBLIC' });
    // Registered first, shows nothing to others, but sorts last by name.
    const first = await newMember(hub.prisma, {
      displayName: 'わ 最初',
      profileVisibility: 'STAFF',
      referredById: referrer,
    });
    const second = await newMember(hub.prisma, {
      displayName: 'あ 二番目',
      profileVisibility: 'STAFF',
      referredById: referrer,
    });
    const read = await hub.gql<{ member: { referrals: { nodes: { id: string }[] } } }>(
      'query($id: ID!) { member(id: $id) { referrals { nodes { id } } } }',
      { id: referrer },
      asMember(randomUUID()),
    );
    expect(read.data!.member.referrals.nodes.map((member) => member.id)).toEqual([second, first]);
  });
});
