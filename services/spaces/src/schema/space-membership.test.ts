import { randomUUID } from 'node:crypto';
import { createInProcessBus, type EventEnvelope, parseEvent } from '@hub/event-bus';
import { createLogger } from '@hub/service-kit';
import { asAdmin, asMember, asPartner, startTestService, type TestService } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSpacesService } from '../app.js';

// Memberships (home spaces) on a real database through the subgraph: who may record and end
// them, the typed refusals with nothing written, the events, and who reads Member.homeSpaces.

const migrationsDir = new URL('../../prisma/migrations', import.meta.url).pathname;
const bus = createInProcessBus();
let service: TestService;

const admin = asAdmin();
const operatorId = randomUUID();
const otherOperatorId = randomUUID();
const staff = asMember(randomUUID(), { staffOf: [{ organizationId: operatorId, role: 'staff' }] });
const otherStaff = asMember(randomUUID(), {
  staffOf: [{ organizationId: otherOperatorId, role: 'staff' }],
});
let spaceId: string;
let otherSpaceId: string;

const ERROR_FIELDS = '... on Error { __typename code message messageEn field }';
const START = `mutation ($input: StartSpaceMembershipInput!) {
  startSpaceMembership(input: $input) {
    __typename
    ... on StartSpaceMembershipSuccess { membership { id memberId member { id } plan startsOn endsOn space { id } } }
    ${ERROR_FIELDS}
  }
}`;
const END = `mutation ($input: EndSpaceMembershipInput!) {
  endSpaceMembership(input: $input) {
    __typename
    ... on EndSpaceMembershipSuccess { membership { id endsOn } }
    ${ERROR_FIELDS}
  }
}`;
const HOME_SPACES = `query ($id: ID!) {
  _entities(representations: [{ __typename: "Member", id: $id }]) {
    ... on Member { homeSpaces { totalCount nodes { id plan space { id } } } }
  }
}`;

type Payload = Record<string, unknown> & { __typename: string };

async function createSpace(operator: string): Promise<string> {
  const response = await service.gql<{ createSpace: { space: { id: string } } }>(
    'mutation ($input: CreateSpaceInput!) { createSpace(input: $input) { ... on CreateSpaceSuccess { space { id } } } }',
    {
      input: {
        name: 'テレワークセンター',
        kind: 'TELEWORK_CENTRE',
        municipalityCode: '202151',
        operatorId: operator,
      },
    },
    admin,
  );
  expect(response.errors).toBeUndefined();
  return response.data!.createSpace.space.id;
}

const count = async (table: string) =>
  Number((await service.sql.query(`SELECT count(*) FROM ${table}`)).rows[0].count);

async function announced(subject: string): Promise<EventEnvelope[]> {
  const { rows } = await service.sql.query<{ payload: unknown }>(
    'SELECT payload FROM outbox_event WHERE subject = $1 ORDER BY created_at, id',
    [subject],
  );
  return rows.map((row) => parseEvent(row.payload));
}

async function start(input: Record<string, unknown>, identity = admin) {
  return service.gql<{ startSpaceMembership: Payload }>(START, { input }, identity);
}

beforeAll(async () => {
  service = await startTestService({
    name: 'spaces-memberships',
    migrationsDir,
    start: startSpacesService,
    bus,
    logger: createLogger({ name: 'spaces-memberships-test', level: 'silent' }),
  });
  await service.sql.query(
    "INSERT INTO municipality (code, name, prefecture) VALUES ('202151', '塩尻市', '長野県')",
  );
  spaceId = await createSpace(operatorId);
  otherSpaceId = await createSpace(otherOperatorId);
});

afterAll(async () => {
  await service?.stop();
  await bus.close();
});

describe('startSpaceMembership and endSpaceMembership', () => {
  it('records a membership and announces it; ending it announces the last day', async () => {
    const memberId = randomUUID();
    const response = await start(
      { memberId, spaceId, plan: 'MONTHLY', startsOn: '2026-12-01' },
      staff,
    );
    expect(response.errors).toBeUndefined();
    const membership = response.data!.startSpaceMembership.membership as { id: string };
    expect(membership).toEqual({
      id: expect.any(String),
      memberId,
      member: { id: memberId },
      plan: 'MONTHLY',
      startsOn: '2026-12-01',
      endsOn: null,
      space: { id: spaceId },
    });
    const ended = await service.gql<{ endSpaceMembership: Payload }>(
      END,
      { input: { id: membership.id, endsOn: '2027-03-31' } },
      staff,
    );
    expect(ended.data!.endSpaceMembership).toEqual({
      __typename: 'EndSpaceMembershipSuccess',
      membership: { id: membership.id, endsOn: '2027-03-31' },
    });
    const facts = {
      membershipId: membership.id,
      memberId,
      spaceId,
      spaceKind: 'telework-centre',
      municipalityCode: '202151',
      plan: 'monthly',
      startsOn: '2026-12-01',
    };
    expect(await announced(membership.id)).toEqual([
      expect.objectContaining({
        type: 'spaces.space-membership.started',
        source: 'spaces',
        data: { ...facts, endsOn: null },
      }),
      expect.objectContaining({
        type: 'spaces.space-membership.ended',
        data: { ...facts, endsOn: '2027-03-31' },
      }),
    ]);
  });

  it.each([
    [
      'ends before it starts',
      { endsOn: '2026-11-30' },
      'InvalidInputError',
      'BAD_USER_INPUT',
      'input.endsOn',
    ],
    ['an unknown space', { spaceId: randomUUID() }, 'NotFoundError', 'NOT_FOUND', 'input.spaceId'],
  ])(
    'refuses %s with a typed error, writing nothing',
    async (_why, change, typename, code, field) => {
      const [rows, events] = [await count('space_membership'), await count('outbox_event')];
      const response = await start({
        memberId: randomUUID(),
        spaceId,
        plan: 'DROP_IN',
        startsOn: '2026-12-01',
        ...change,
      });
      expect(response.errors).toBeUndefined();
      expect(response.data!.startSpaceMembership).toMatchObject({
        __typename: typename,
        code,
        field,
      });
      expect(response.data!.startSpaceMembership.message).toMatch(/[ぁ-んァ-ン一-龥]/);
      expect(response.data!.startSpaceMembership.messageEn).not.toMatch(/[ぁ-んァ-ン一-龥]/);
      expect(response.data!.startSpaceMembership.messageEn).toMatch(/[a-z]{3}/);
      expect([await count('space_membership'), await count('outbox_event')]).toEqual([
        rows,
        events,
      ]);
    },
  );

  it('refuses an overlapping membership at the same space (ConflictError), not at another', async () => {
    const memberId = randomUUID();
    const first = await start({
      memberId,
      spaceId,
      plan: 'MONTHLY',
      startsOn: '2026-12-01',
      endsOn: '2027-01-31',
    });
    expect(first.data!.startSpaceMembership.__typename).toBe('StartSpaceMembershipSuccess');
    const rows = await count('space_membership');
    const clash = await start({ memberId, spaceId, plan: 'RESIDENT', startsOn: '2027-01-31' });
    expect(clash.data!.startSpaceMembership).toMatchObject({
      __typename: 'ConflictError',
      code: 'CONFLICT',
      field: 'input.startsOn',
    });
    expect(await count('space_membership')).toBe(rows);
    const after = await start({ memberId, spaceId, plan: 'RESIDENT', startsOn: '2027-02-01' });
    expect(after.data!.startSpaceMembership.__typename).toBe('StartSpaceMembershipSuccess');
    const elsewhere = await start({
      memberId,
      spaceId: otherSpaceId,
      plan: 'DROP_IN',
      startsOn: '2026-12-15',
    });
    expect(elsewhere.data!.startSpaceMembership.__typename).toBe('StartSpaceMembershipSuccess');
  });

  it('refuses to push an end back or end before the start, and an unknown membership', async () => {
    const created = await start({
      memberId: randomUUID(),
      spaceId,
      plan: 'DROP_IN',
      startsOn: '2026-12-01',
      endsOn: '2026-12-31',
    });
    const id = (created.data!.startSpaceMembership.membership as { id: string }).id;
    const events = await count('outbox_event');
    const end = (input: Record<string, unknown>) =>
      service.gql<{ endSpaceMembership: Payload }>(END, { input }, admin);
    expect((await end({ id, endsOn: '2027-01-31' })).data!.endSpaceMembership).toMatchObject({
      __typename: 'ConflictError',
      code: 'CONFLICT',
      field: 'input.endsOn',
    });
    expect((await end({ id, endsOn: '2026-11-30' })).data!.endSpaceMembership).toMatchObject({
      __typename: 'InvalidInputError',
      code: 'BAD_USER_INPUT',
      field: 'input.endsOn',
    });
    expect(
      (await end({ id: randomUUID(), endsOn: '2026-12-01' })).data!.endSpaceMembership,
    ).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND', field: 'input.id' });
    expect(await count('outbox_event')).toBe(events);
  });

  it('is for staff of the space’s operator and hub admins only: others write nothing', async () => {
    const rows = await count('space_membership');
    const input = { memberId: randomUUID(), spaceId, plan: 'DROP_IN', startsOn: '2026-12-01' };
    for (const [identity, code] of [
      [null, 'UNAUTHENTICATED'],
      [otherStaff, 'FORBIDDEN'],
      [asMember(input.memberId), 'FORBIDDEN'],
      [asPartner({ scopes: ['public:read', 'members:personal:read'] }), 'FORBIDDEN'],
    ] as const) {
      const response = await service.gql(START, { input }, identity);
      expect(response.data).toBeNull();
      expect(response.errors?.[0]?.extensions?.code).toBe(code);
    }
    expect(await count('space_membership')).toBe(rows);
  });
});

describe('Member.homeSpaces', () => {
  const memberId = randomUUID();
  beforeAll(async () => {
    for (const [space, startsOn] of [
      [() => spaceId, '2026-10-01'],
      [() => otherSpaceId, '2026-11-01'],
    ] as const) {
      const response = await start({ memberId, spaceId: space(), plan: 'MONTHLY', startsOn });
      expect(response.data!.startSpaceMembership.__typename).toBe('StartSpaceMembershipSuccess');
    }
  });

  const read = (identity: Parameters<TestService['gql']>[2]) =>
    service.gql<{
      _entities: {
        homeSpaces: { totalCount: number; nodes: { space: { id: string } }[] } | null;
      }[];
    }>(HOME_SPACES, { id: memberId }, identity);

  it('shows the member and hub admins every membership, newest first', async () => {
    for (const identity of [asMember(memberId), admin]) {
      const response = await read(identity);
      expect(response.errors).toBeUndefined();
      const homeSpaces = response.data!._entities[0]!.homeSpaces!;
      expect(homeSpaces.totalCount).toBe(2);
      expect(homeSpaces.nodes.map((node) => node.space.id)).toEqual([otherSpaceId, spaceId]);
    }
  });

  it('shows a space’s staff only that space’s memberships, counted alike', async () => {
    const response = await read(staff);
    expect(response.errors).toBeUndefined();
    const homeSpaces = response.data!._entities[0]!.homeSpaces!;
    expect(homeSpaces).toMatchObject({ totalCount: 1, nodes: [{ space: { id: spaceId } }] });
  });

  it('shows another member nothing they may count; anonymous callers and partners are refused', async () => {
    const other = await read(asMember(randomUUID()));
    expect(other.data!._entities[0]!.homeSpaces).toEqual({ totalCount: 0, nodes: [] });
    for (const [identity, code] of [
      [null, 'UNAUTHENTICATED'],
      [
        asPartner({ scopes: ['public:read', 'members:personal:read'], purpose: 'work-matching' }),
        'FORBIDDEN',
      ],
    ] as const) {
      const response = await read(identity);
      expect(response.data!._entities[0]!.homeSpaces).toBeNull();
      expect(response.errors?.[0]?.extensions?.code).toBe(code);
    }
  });
});

describe('Space.memberships', () => {
  const QUERY = `query ($id: ID!) { space(id: $id) { id memberships { totalCount nodes { memberId plan } } } }`;
  type Answer = { space: { memberships: { totalCount: number } | null } };

  it('gives the space’s staff and hub admins its register; others are refused, the space stays', async () => {
    const { rows } = await service.sql.query(
      'SELECT count(*) FROM space_membership WHERE space_id = $1',
      [spaceId],
    );
    for (const identity of [staff, admin]) {
      const response = await service.gql<Answer>(QUERY, { id: spaceId }, identity);
      expect(response.errors).toBeUndefined();
      expect(response.data!.space.memberships!.totalCount).toBe(Number(rows[0].count));
    }
    for (const [identity, code] of [
      [otherStaff, 'FORBIDDEN'],
      [asMember(randomUUID()), 'FORBIDDEN'],
      [null, 'UNAUTHENTICATED'],
      [asPartner({ scopes: ['public:read', 'members:personal:read'] }), 'FORBIDDEN'],
    ] as const) {
      const response = await service.gql<Answer>(QUERY, { id: spaceId }, identity);
      expect(response.data!.space).toEqual({ id: spaceId, memberships: null });
      expect(response.errors?.[0]?.extensions?.code).toBe(code);
    }
  });
});
