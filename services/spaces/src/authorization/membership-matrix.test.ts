import { randomUUID } from 'node:crypto';
import { createLogger, fieldsOfGroup, type Identity } from '@hub/service-kit';
import { asAdmin, asMember, asPartner, createTestDatabase, type TestDatabase } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SpacesContext } from '../builder.js';
import { connectDatabase, type Database } from '../db.js';
import type { Pass, SpaceMembership } from '../generated/prisma/client.js';
import { membershipGuard, passGuard } from './membership-access.js';
import { PASS_FIELDS, SPACE_MEMBERSHIP_FIELDS } from './membership-rules.js';

// The kit's rule with spaces' facts, field by field and viewer by viewer, on a real database:
// the member, staff of the operator of a space they are a member of, and hub admins read every
// personal field; anyone else — staff of another operator, other members, partners even with
// the scope and a purpose — reads only the public ones.

const logger = createLogger({ name: 'spaces-membership-matrix', level: 'silent' });
let testDatabase: TestDatabase;
let database: Database;
let membership: SpaceMembership;
let pass: Pass;
const memberId = randomUUID();
const operatorId = randomUUID();
// The member is also a member of a space of this operator: its staff still read nothing of the
// membership and pass at the other one (the guard counts the row's own operator only).
const otherOperatorId = randomUUID();
let membershipElsewhere: SpaceMembership;

beforeAll(async () => {
  testDatabase = await createTestDatabase({
    migrationsDir: new URL('../../prisma/migrations', import.meta.url).pathname,
    prefix: 'hub_test_spaces_matrix',
  });
  database = connectDatabase({ url: testDatabase.url, poolMax: 2, logger });
  const { prisma } = database;
  await prisma.municipality.create({
    data: { code: '202151', name: '塩尻市', prefecture: '長野県' },
  });
  const space = await prisma.space.create({
    data: {
      name: 'テレワークセンター',
      kind: 'TELEWORK_CENTRE',
      municipalityCode: '202151',
      operatorId,
    },
  });
  membership = await prisma.spaceMembership.create({
    data: { memberId, spaceId: space.id, plan: 'MONTHLY', startsOn: new Date('2026-04-01') },
  });
  const otherSpace = await prisma.space.create({
    data: {
      name: '別のテレワークセンター',
      kind: 'TELEWORK_CENTRE',
      municipalityCode: '202151',
      operatorId: otherOperatorId,
    },
  });
  membershipElsewhere = await prisma.spaceMembership.create({
    data: { memberId, spaceId: otherSpace.id, plan: 'DROP_IN', startsOn: new Date('2026-04-01') },
  });
  const network = await prisma.spaceNetwork.create({
    data: {
      name: 'n',
      kind: 'LINKED_SITES',
      sites: { create: [{ spaceId: space.id, freeDaysPerMonth: 2 }] },
    },
  });
  pass = await prisma.pass.create({
    data: {
      networkId: network.id,
      memberId,
      membershipId: membership.id,
      validFrom: new Date('2026-04-01'),
      validUntil: new Date('2027-03-31'),
    },
  });
}, 30_000);

afterAll(async () => {
  await database?.close(2_000);
  await testDatabase?.drop();
});

const staffOf = (organizationId: string) =>
  asMember(randomUUID(), { staffOf: [{ organizationId, role: 'staff' }] });
const partner = asPartner({
  scopes: ['public:read', 'members:personal:read'],
  purpose: 'work-matching',
});

const VIEWERS: [string, Identity | null, 'ok' | string][] = [
  ['本人 (the member)', asMember(memberId), 'ok'],
  ['拠点の運営組織のスタッフ (staff of the space’s operator)', staffOf(operatorId), 'ok'],
  ['ハブ管理者 (hub admin)', asAdmin(), 'ok'],
  ['他の運営組織のスタッフ (staff of another operator)', staffOf(randomUUID()), 'FORBIDDEN'],
  [
    '会員の別の拠点の運営組織のスタッフ (staff of the operator of another space the member belongs to)',
    staffOf(otherOperatorId),
    'FORBIDDEN',
  ],
  ['他のメンバー (another member)', asMember(randomUUID()), 'FORBIDDEN'],
  ['未サインイン (anonymous)', null, 'UNAUTHENTICATED'],
  [
    'パートナーキー・スコープと目的あり (partner key with scope and purpose)',
    partner,
    'CONSENT_REQUIRED',
  ],
];

const contextOf = (identity: Identity | null) =>
  ({
    requestId: randomUUID(),
    logger,
    identity,
    clientAddress: null,
    loaders: new Map(),
    prisma: database.prisma,
    relay: null,
  }) as unknown as SpacesContext;

describe.each(VIEWERS)('%s', (_name, identity, personal) => {
  it('reads public fields, and personal ones only as the rule says', async () => {
    const context = contextOf(identity);
    for (const field of fieldsOfGroup(SPACE_MEMBERSHIP_FIELDS, 'personal')) {
      expect([field, await membershipGuard.decide(context, membership, field)]).toEqual([
        field,
        personal,
      ]);
    }
    for (const field of fieldsOfGroup(PASS_FIELDS, 'personal')) {
      expect([field, await passGuard.decide(context, pass, field)]).toEqual([field, personal]);
    }
    expect(membershipGuard.fieldAuth('id')).toEqual({});
    // Their own operator's row is read by exactly its staff (and the member, hub admins).
    const atOther = await membershipGuard.decide(context, membershipElsewhere, 'plan');
    const readsElsewhere =
      identity?.kind === 'member' &&
      (identity.memberId === memberId ||
        identity.roles.includes('admin') ||
        identity.staffOf.some((entry) => entry.organizationId === otherOperatorId));
    expect(atOther).toBe(readsElsewhere ? 'ok' : personal === 'ok' ? 'FORBIDDEN' : personal);
    expect(passGuard.fieldAuth('memberId')).toEqual({});
  });
});
