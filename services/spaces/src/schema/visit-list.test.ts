import { randomUUID } from 'node:crypto';
import { createInProcessBus } from '@hub/event-bus';
import { createLogger } from '@hub/service-kit';
import { asAdmin, asMember, asPartner, startTestService, type TestService } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSpacesService } from '../app.js';

// Member.visits and Space.visits on a real database through the subgraph: who may list, that a
// page and its totalCount hold only visits a read would release (staff of one operator never
// see, nor count, the member's visits elsewhere), newest first, cursor paging forwards and
// backwards, the period in Tokyo days, and erased members' stays.

const migrationsDir = new URL('../../prisma/migrations', import.meta.url).pathname;
let service: TestService;

const admin = asAdmin();
const operatorId = randomUUID();
const otherOperatorId = randomUUID();
const staff = asMember(randomUUID(), { staffOf: [{ organizationId: operatorId, role: 'staff' }] });
const otherStaff = asMember(randomUUID(), {
  staffOf: [{ organizationId: otherOperatorId, role: 'staff' }],
});
const memberId = randomUUID();
const neighbourId = randomUUID();
let spaceId: string;
let otherSpaceId: string;
/** The member's visits at each space, newest first (as the lists order them). */
const visitsAt: Record<string, string[]> = {};
let erasedVisitId: string;

type Identity = Parameters<TestService['gql']>[2];
type Page = {
  totalCount: number;
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    endCursor: string | null;
    startCursor: string | null;
  };
  nodes: {
    id: string;
    memberId: string | null;
    member: { id: string } | null;
    checkedInAt: string;
    space: { id: string };
  }[];
};

const PAGE = `totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  nodes { id memberId member { id } checkedInAt space { id } }`;
const MEMBER_VISITS = `query ($id: ID!, $first: Int, $after: String, $last: Int, $before: String, $from: Date, $to: Date) {
  _entities(representations: [{ __typename: "Member", id: $id }]) {
    ... on Member { visits(first: $first, after: $after, last: $last, before: $before, from: $from, to: $to) { ${PAGE} } }
  }
}`;
const SPACE_VISITS = `query ($id: ID!, $first: Int, $after: String, $from: Date, $to: Date) {
  space(id: $id) { visits(first: $first, after: $after, from: $from, to: $to) { ${PAGE} } }
}`;

async function memberVisits(identity: Identity, variables: Record<string, unknown> = {}) {
  const response = await service.gql<{ _entities: { visits: Page | null }[] }>(
    MEMBER_VISITS,
    { id: memberId, ...variables },
    identity,
  );
  return { page: response.data?._entities[0]?.visits ?? null, errors: response.errors };
}

async function spaceVisits(identity: Identity, variables: Record<string, unknown> = {}) {
  const response = await service.gql<{ space: { visits: Page | null } }>(
    SPACE_VISITS,
    { id: spaceId, ...variables },
    identity,
  );
  return { page: response.data?.space.visits ?? null, errors: response.errors };
}

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
  return response.data!.createSpace.space.id;
}

async function insertVisit(member: string | null, space: string, checkedInAt: string) {
  const id = randomUUID();
  await service.sql.query(
    `INSERT INTO visit (id, member_id, space_id, checked_in_at, checked_out_at)
     VALUES ($1, $2, $3, $4::timestamptz, $4::timestamptz + interval '2 hours')`,
    [id, member, space, checkedInAt],
  );
  return id;
}

beforeAll(async () => {
  service = await startTestService({
    name: 'spaces-visit-list',
    migrationsDir,
    start: startSpacesService,
    bus: createInProcessBus(),
    logger: createLogger({ name: 'spaces-visit-list-test', level: 'silent' }),
  });
  await service.sql.query(
    "INSERT INTO municipality (code, name, prefecture) VALUES ('202151', '塩尻市', '長野県')",
  );
  spaceId = await createSpace(operatorId);
  otherSpaceId = await createSpace(otherOperatorId);
  // The member is a member of both spaces: staff of either must still see only their own.
  for (const space of [spaceId, otherSpaceId]) {
    await service.sql.query(
      `INSERT INTO space_membership (id, member_id, space_id, plan, starts_on, updated_at)
       VALUES ($1, $2, $3, 'monthly', '2026-01-01', now())`,
      [randomUUID(), memberId, space],
    );
  }
  // Five days at the first space (one late in the evening in Tokyo: 23:30 JST on 4/3 is 14:30
  // UTC), two at the other; a neighbour's and an erased member's stay at the first.
  const days = [
    '2026-04-01T00:00:00Z',
    '2026-04-02T00:00:00Z',
    '2026-04-03T14:30:00Z',
    '2026-04-04T00:00:00Z',
    '2026-04-05T00:00:00Z',
  ];
  const here: string[] = [];
  for (const at of days) here.unshift(await insertVisit(memberId, spaceId, at));
  const there: string[] = [];
  for (const at of ['2026-04-02T03:00:00Z', '2026-04-06T03:00:00Z']) {
    there.unshift(await insertVisit(memberId, otherSpaceId, at));
  }
  visitsAt[spaceId] = here;
  visitsAt[otherSpaceId] = there;
  await insertVisit(neighbourId, spaceId, '2026-04-02T05:00:00Z');
  erasedVisitId = await insertVisit(null, spaceId, '2026-04-07T00:00:00Z');
});

afterAll(async () => {
  await service?.stop();
});

const ids = (page: Page | null) => page?.nodes.map((node) => node.id);

/** Every visit of a list, following endCursor `size` at a time. */
async function pageThrough(list: typeof memberVisits, identity: Identity, size: number) {
  const seen: string[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 20; guard++) {
    const { page, errors } = await list(identity, { first: size, after });
    expect(errors).toBeUndefined();
    seen.push(...ids(page)!);
    if (!page!.pageInfo.hasNextPage) return seen;
    after = page!.pageInfo.endCursor;
  }
  throw new Error('paging did not end');
}

describe('Member.visits', () => {
  it('gives the member and hub admins every visit, newest first, paged with cursors', async () => {
    const { rows } = await service.sql.query<{ id: string }>(
      'SELECT id FROM visit WHERE member_id = $1 ORDER BY checked_in_at DESC, id DESC',
      [memberId],
    );
    const newestFirst = rows.map((row) => row.id);
    for (const identity of [asMember(memberId), admin]) {
      const { page, errors } = await memberVisits(identity);
      expect(errors).toBeUndefined();
      expect(page!.totalCount).toBe(7);
      expect(ids(page)).toEqual(newestFirst);
      expect(await pageThrough(memberVisits, identity, 3)).toEqual(newestFirst);
    }
    const last = await memberVisits(asMember(memberId), { last: 2 });
    expect(ids(last.page)).toEqual(newestFirst.slice(5));
    expect(last.page!.pageInfo.hasPreviousPage).toBe(true);
    const before = await memberVisits(asMember(memberId), {
      last: 2,
      before: last.page!.pageInfo.startCursor,
    });
    expect(ids(before.page)).toEqual(newestFirst.slice(3, 5));
  });

  it('gives staff only the visits at their operator’s spaces, and counts only those', async () => {
    const own = await memberVisits(staff);
    expect(own.errors).toBeUndefined();
    expect(ids(own.page)).toEqual(visitsAt[spaceId]);
    expect(own.page!.totalCount).toBe(5);
    expect(own.page!.nodes.every((node) => node.space.id === spaceId)).toBe(true);
    expect(await pageThrough(memberVisits, staff, 2)).toEqual(visitsAt[spaceId]);
    const other = await memberVisits(otherStaff);
    expect(ids(other.page)).toEqual(visitsAt[otherSpaceId]);
    expect(other.page!.totalCount).toBe(2);
    const unrelated = asMember(randomUUID(), {
      staffOf: [{ organizationId: randomUUID(), role: 'staff' }],
    });
    expect((await memberVisits(unrelated)).page).toEqual(
      expect.objectContaining({ totalCount: 0, nodes: [] }),
    );
  });

  it('refuses everyone else with the kit’s codes', async () => {
    const cases: [Identity, string][] = [
      [asMember(randomUUID()), 'FORBIDDEN'],
      [null, 'UNAUTHENTICATED'],
      [asPartner({ scopes: ['public:read'] }), 'FORBIDDEN'],
      [
        asPartner({ scopes: ['public:read', 'members:personal:read'], purpose: 'work-matching' }),
        'CONSENT_REQUIRED',
      ],
    ];
    for (const [identity, code] of cases) {
      const { page, errors } = await memberVisits(identity);
      expect([page, errors?.[0]?.extensions?.code]).toEqual([null, code]);
    }
  });

  it('keeps to the period in Tokyo days, and refuses one that ends before it begins', async () => {
    const { page } = await memberVisits(staff, { from: '2026-04-02', to: '2026-04-03' });
    // 4/3 23:30 JST is in; 4/4 09:00 JST is not; 4/2 09:00 JST is.
    expect(ids(page)).toEqual(visitsAt[spaceId]!.slice(2, 4));
    expect(page!.totalCount).toBe(2);
    expect(ids((await memberVisits(staff, { from: '2026-04-04' })).page)).toEqual(
      visitsAt[spaceId]!.slice(0, 2),
    );
    expect(ids((await memberVisits(staff, { to: '2026-04-01' })).page)).toEqual(
      visitsAt[spaceId]!.slice(4),
    );
    const backwards = await memberVisits(staff, { from: '2026-04-03', to: '2026-04-02' });
    expect(backwards.page).toBeNull();
    expect(backwards.errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_PERIOD',
      field: 'to',
    });
    expect(backwards.errors?.[0]?.message).toMatch(/終了日.*\(.*\)/);
    // The first instant of 0001-01-01 in Tokyo is in year 0, which PostgreSQL refuses: an
    // error naming the argument, never a failed request.
    const ancient = await memberVisits(staff, { from: '0001-01-01' });
    expect(ancient.page).toBeNull();
    expect(ancient.errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_PERIOD',
      field: 'from',
    });
  });

  it('refuses a page over 100 and a cursor that is not a visit id', async () => {
    const big = await memberVisits(asMember(memberId), { first: 101 });
    expect(big.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const bad = await memberVisits(asMember(memberId), { after: 'nonsense' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('pages the visits of many members in one statement', async () => {
    const members = [memberId, neighbourId, randomUUID()];
    const before = service.queryCount();
    const response = await service.gql<{ _entities: { visits: { nodes: unknown[] } }[] }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Member { visits(first: 2) { nodes { id } } } } }`,
      { r: members.map((id) => ({ __typename: 'Member', id })) },
      admin,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities.map((entity) => entity.visits.nodes.length)).toEqual([2, 1, 0]);
    expect(service.queryCount() - before).toBe(1);
  });
});

describe('Space.visits', () => {
  it('gives staff of its operator and hub admins every visit, erased members’ as nobody’s', async () => {
    for (const identity of [staff, admin]) {
      const { page, errors } = await spaceVisits(identity);
      expect(errors).toBeUndefined();
      expect(page!.totalCount).toBe(7);
      expect(page!.nodes[0]).toMatchObject({ id: erasedVisitId, memberId: null, member: null });
      expect(
        page!.nodes.filter((node) => node.memberId === memberId).map((node) => node.id),
      ).toEqual(visitsAt[spaceId]);
      expect(page!.nodes.find((node) => node.memberId === memberId)!.member).toEqual({
        id: memberId,
      });
      const all = ids(page)!;
      expect(await pageThrough(spaceVisits, identity, 3)).toEqual(all);
    }
    const period = await spaceVisits(staff, { from: '2026-04-02', to: '2026-04-02' });
    expect(period.page!.totalCount).toBe(2);
  });

  it('refuses staff of another operator (though the member belongs there too) and everyone else', async () => {
    const cases: [Identity, string][] = [
      [otherStaff, 'FORBIDDEN'],
      [asMember(memberId), 'FORBIDDEN'],
      [null, 'UNAUTHENTICATED'],
      [
        asPartner({ scopes: ['public:read', 'members:personal:read'], purpose: 'work-matching' }),
        'FORBIDDEN',
      ],
    ];
    for (const [identity, code] of cases) {
      const { page, errors } = await spaceVisits(identity);
      expect([page, errors?.[0]?.extensions?.code]).toEqual([null, code]);
    }
  });

  it('keeps an erased member’s stays out of Member.visits', async () => {
    const { rows } = await service.sql.query('SELECT member_id FROM visit WHERE id = $1', [
      erasedVisitId,
    ]);
    expect(rows).toEqual([{ member_id: null }]);
    const { page } = await memberVisits(admin);
    expect(ids(page)).not.toContain(erasedVisitId);
  });
});
