import { randomUUID } from 'node:crypto';
import { ACCESS_BY_CALLER, createLogger, fieldsOfGroup, type Identity } from '@hub/service-kit';
import { asAdmin, asMember, asPartner, createTestDatabase, type TestDatabase } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SpacesContext } from '../builder.js';
import { connectDatabase, type Database } from '../db.js';
import type { Visit } from '../generated/prisma/client.js';
import { schema } from '../schema/index.js';
import { renderSpacesMatrix } from './matrix-doc.js';
import { visitGuard } from './visit-access.js';
import {
  VISIT_FIELDS,
  VISIT_VIEWER_KINDS,
  VISIT_VIEWERS,
  type VisitViewer,
} from './visit-rules.js';

// The kit's rule with spaces' facts for Visit, every field for every viewer, on a real
// database. The member also holds a membership at a space of another operator: its staff must
// still read nothing of a visit elsewhere (the guard counts the visited space's operator only).

const logger = createLogger({ name: 'spaces-visit-matrix', level: 'silent' });
let testDatabase: TestDatabase;
let database: Database;
let visit: Visit;
let erasedVisit: Visit;
const memberId = randomUUID();
const operatorId = randomUUID();
const otherOperatorId = randomUUID();

beforeAll(async () => {
  testDatabase = await createTestDatabase({
    migrationsDir: new URL('../../prisma/migrations', import.meta.url).pathname,
    prefix: 'hub_test_spaces_visit_matrix',
  });
  database = connectDatabase({ url: testDatabase.url, poolMax: 2, logger });
  const { prisma } = database;
  await prisma.municipality.create({
    data: { code: '202151', name: '塩尻市', prefecture: '長野県' },
  });
  const spaceOf = (operator: string) =>
    prisma.space.create({
      data: {
        name: '拠点',
        kind: 'TELEWORK_CENTRE',
        municipalityCode: '202151',
        operatorId: operator,
      },
    });
  const space = await spaceOf(operatorId);
  const otherSpace = await spaceOf(otherOperatorId);
  for (const spaceId of [space.id, otherSpace.id]) {
    await prisma.spaceMembership.create({
      data: { memberId, spaceId, plan: 'MONTHLY', startsOn: new Date('2026-04-01') },
    });
  }
  const room = await prisma.room.create({
    data: { spaceId: space.id, name: '会議室', kind: 'MEETING_ROOM' },
  });
  visit = await prisma.visit.create({
    data: {
      memberId,
      spaceId: space.id,
      roomId: room.id,
      checkedInAt: new Date('2026-04-01T01:00:00Z'),
      checkedOutAt: new Date('2026-04-01T08:00:00Z'),
      overrideBy: randomUUID(),
      overrideReason: '見学 (a tour)',
    },
  });
  erasedVisit = await prisma.visit.create({
    data: { memberId: null, spaceId: space.id, checkedInAt: new Date('2026-04-02T01:00:00Z') },
  });
}, 30_000);

afterAll(async () => {
  await database?.close(2_000);
  await testDatabase?.drop();
});

const staffOf = (organizationId: string) =>
  asMember(randomUUID(), { staffOf: [{ organizationId, role: 'staff' }] });

const IDENTITIES: Record<VisitViewer, () => Identity | null> = {
  self: () => asMember(memberId),
  spaceStaff: () => staffOf(operatorId),
  hubAdmin: () => asAdmin(),
  otherOperatorStaff: () => staffOf(otherOperatorId),
  otherMember: () => asMember(randomUUID()),
  anonymous: () => null,
  partnerWithoutScope: () => asPartner({ scopes: ['public:read'], purpose: 'work-matching' }),
  partner: () =>
    asPartner({ scopes: ['public:read', 'members:personal:read'], purpose: 'work-matching' }),
};

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

const viewers = Object.keys(VISIT_VIEWERS) as VisitViewer[];

describe.each(viewers)('%s', (viewer) => {
  const expected = ACCESS_BY_CALLER[VISIT_VIEWER_KINDS[viewer]].personal;

  it('reads every field of a visit as the table and the rule say, with the kit’s code', async () => {
    const context = contextOf(IDENTITIES[viewer]());
    for (const field of fieldsOfGroup(VISIT_FIELDS, 'personal')) {
      const outcome = await visitGuard.decide(context, visit, field);
      expect([field, outcome]).toEqual([field, expected]);
      if (outcome !== 'ok') {
        const error = visitGuard.refusal(context, visit, field);
        expect([field, error.code]).toEqual([field, expected]);
      }
    }
    for (const field of fieldsOfGroup(VISIT_FIELDS, 'public')) {
      expect(visitGuard.fieldAuth(field)).toEqual({});
    }
  });

  it('reads an erased member’s visit only as staff of the space or a hub admin', async () => {
    const context = contextOf(IDENTITIES[viewer]());
    const outcome = await visitGuard.decide(context, erasedVisit, 'checkedInAt');
    const isStaffOrAdmin = viewer === 'spaceStaff' || viewer === 'hubAdmin';
    expect(outcome).toBe(isStaffOrAdmin ? 'ok' : viewer === 'self' ? 'FORBIDDEN' : expected);
  });
});

describe('the table, the schema and the document', () => {
  it('has a rule for every Visit field of the schema, and only those', () => {
    const type = schema.getType('Visit') as { getFields(): Record<string, unknown> };
    expect(Object.keys(type.getFields()).sort()).toEqual(Object.keys(VISIT_FIELDS).sort());
  });

  it('is what docs/authorization.md says (regenerate with print-matrix.ts)', async () => {
    const { readFile } = await import('node:fs/promises');
    const document = await readFile(
      new URL('../../../../docs/authorization.md', import.meta.url),
      'utf8',
    );
    expect(document).toContain(renderSpacesMatrix());
  });
});
