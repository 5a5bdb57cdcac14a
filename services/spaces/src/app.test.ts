import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createInProcessBus } from '@hub/event-bus';
import { createLogger, type Identity } from '@hub/service-kit';
import {
  asAdmin,
  asMember,
  asPartner,
  describeDataExportField,
  type Stack,
  sendAsGateway,
  startStack,
} from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { seedDemoData, startSpacesService } from './app.js';

// The spaces subgraph over real HTTP on a fresh PostgreSQL database, as the gateway calls it.
const logger = createLogger({ name: 'spaces-test', level: 'silent' });
const bus = createInProcessBus({ logger });
let stack: Stack;
let url: string;

beforeAll(async () => {
  stack = await startStack({
    services: [
      {
        name: 'spaces',
        migrationsDir: new URL('../prisma/migrations', import.meta.url).pathname,
        start: startSpacesService,
      },
    ],
    bus,
    logger,
  });
  url = stack.services.spaces!.url;
  await seedDemoData({ databaseUrl: stack.services.spaces!.databaseUrl });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await bus.close();
});

const countRows = async (table: string) => {
  const client = new pg.Client({ connectionString: stack.services.spaces!.databaseUrl });
  await client.connect();
  try {
    return Number((await client.query(`SELECT count(*) FROM ${table}`)).rows[0].count);
  } finally {
    await client.end();
  }
};
const outboxCount = () => countRows('outbox_event');

// Mutations need a caller who may make them; a hub admin may make any.
const admin = asAdmin();
const asAdminCall = <T = Record<string, unknown>>(
  query: string,
  variables?: Record<string, unknown>,
) => sendAsGateway<T>(url, query, variables, { identity: admin });

const ERROR_FIELDS = '... on Error { __typename code message messageEn field }';
const CREATE = `mutation($input: CreateSpaceInput!) {
  createSpace(input: $input) {
    ... on CreateSpaceSuccess {
      space { id name kind status municipality { id code name } facilities openedOn operator { id } }
    }
    ${ERROR_FIELDS}
  }
}`;
type SpacePayload = { space: { id: string; operator: { id: string } | null; name: string } };
type ErrorPayload = {
  __typename: string;
  code: string;
  message: string;
  messageEn: string;
  field: string | null;
};

describe('createSpace', () => {
  it('creates a space and announces it (registered, opened) in the same transaction', async () => {
    const before = await outboxCount();
    const response = await asAdminCall<{ createSpace: SpacePayload }>(CREATE, {
      input: {
        name: 'テスト拠点',
        kind: 'COWORKING',
        municipalityCode: '011002',
        facilities: ['WIFI', 'PROJECTOR'],
        openedOn: '2026-04-01',
      },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!.createSpace.space).toMatchObject({
      name: 'テスト拠点',
      status: 'OPEN',
      municipality: { id: '011002', code: '011002', name: '札幌市' },
      facilities: ['WIFI', 'PROJECTOR'],
      openedOn: '2026-04-01',
      operator: null,
    });
    expect(await outboxCount()).toBe(before + 2);
    // Announcements of this space: spaces/src/domain/space-events.test.ts.
  });

  it.each([
    [
      { municipalityCode: '011001' },
      'InvalidInputError',
      'INVALID_MUNICIPALITY_CODE',
      'municipalityCode',
    ],
    [
      { municipalityCode: '12345' },
      'InvalidInputError',
      'INVALID_MUNICIPALITY_CODE',
      'municipalityCode',
    ],
    [{ municipalityCode: '013005' }, 'NotFoundError', 'UNKNOWN_MUNICIPALITY', 'municipalityCode'],
    [{ name: '' }, 'InvalidInputError', 'BAD_USER_INPUT', 'name'],
    [{ latitude: 123 }, 'InvalidInputError', 'COORDINATES_OUTSIDE_JAPAN', 'latitude'],
    [{ websiteUrl: 'not a url' }, 'InvalidInputError', 'BAD_USER_INPUT', 'websiteUrl'],
    // Links are shown to other people: only absolute http(s) URLs (the kit's httpUrl).
    [{ websiteUrl: 'file:///etc/passwd' }, 'InvalidInputError', 'BAD_USER_INPUT', 'websiteUrl'],
    [{ websiteUrl: 'javascript:alert(1)' }, 'InvalidInputError', 'BAD_USER_INPUT', 'websiteUrl'],
    [
      { websiteUrl: 'data:text/html,<b>x</b>' },
      'InvalidInputError',
      'BAD_USER_INPUT',
      'websiteUrl',
    ],
  ])('returns %j as %s (%s) and writes nothing', async (change, typename, code, field) => {
    const before = [await countRows('space'), await outboxCount()];
    const response = await asAdminCall<{ createSpace: ErrorPayload }>(CREATE, {
      input: { name: '不正な拠点', kind: 'COWORKING', municipalityCode: '011002', ...change },
    });
    expect(response.errors).toBeUndefined();
    const error = response.data!.createSpace;
    expect(error).toMatchObject({ __typename: typename, code, field: `input.${field}` });
    expect(error.message).toMatch(/[ぁ-んァ-ン一-龥]/);
    expect(error.messageEn).not.toMatch(/[ぁ-んァ-ン一-龥]/);
    expect([await countRows('space'), await outboxCount()]).toEqual(before);
  });
});

describe('updateSpace', () => {
  it('changes only the given fields', async () => {
    const created = await asAdminCall<{ createSpace: SpacePayload }>(CREATE, {
      input: { name: '変更前', kind: 'TELEWORK_CENTRE', municipalityCode: '202151', capacity: 20 },
    });
    const id = created.data!.createSpace.space.id;
    const response = await asAdminCall<{
      updateSpace: { space: { name: string; capacity: number; kind: string } };
    }>(
      'mutation($id: ID!) { updateSpace(input: { id: $id, name: "変更後" }) { ... on UpdateSpaceSuccess { space { name capacity kind } } } }',
      { id },
    );
    expect(response.data!.updateSpace.space).toEqual({
      name: '変更後',
      capacity: 20,
      kind: 'TELEWORK_CENTRE',
    });
  });

  it('returns NotFoundError (NOT_FOUND, input.id) for an unknown id', async () => {
    const response = await asAdminCall<{ updateSpace: ErrorPayload }>(
      `mutation { updateSpace(input: { id: "0194f3a0-0000-7000-8000-00000000dead", name: "x" }) { ${ERROR_FIELDS} } }`,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.updateSpace).toMatchObject({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
      messageEn: 'space not found',
      field: 'input.id',
    });
  });

  it('returns an unknown municipality as NotFoundError and changes nothing', async () => {
    const id = (
      await asAdminCall<{ createSpace: SpacePayload }>(CREATE, {
        input: { name: '移らない拠点', kind: 'COWORKING', municipalityCode: '011002' },
      })
    ).data!.createSpace.space.id;
    const before = await outboxCount();
    const response = await asAdminCall<{ updateSpace: ErrorPayload }>(
      `mutation($id: ID!) { updateSpace(input: { id: $id, name: "改名", municipalityCode: "013005" }) { ${ERROR_FIELDS} } }`,
      { id },
    );
    expect(response.data!.updateSpace).toMatchObject({
      __typename: 'NotFoundError',
      code: 'UNKNOWN_MUNICIPALITY',
      field: 'input.municipalityCode',
    });
    const read = await sendAsGateway<{ space: { name: string; municipality: { code: string } } }>(
      url,
      'query($id: ID!) { space(id: $id) { name municipality { code } } }',
      { id },
    );
    expect(read.data!.space).toEqual({ name: '移らない拠点', municipality: { code: '011002' } });
    expect(await outboxCount()).toBe(before);
  });

  it('refuses an id that is not a UUID before anything runs (errors[], BAD_USER_INPUT)', async () => {
    const response = await asAdminCall(
      'mutation { updateSpace(input: { id: "space-1", name: "x" }) { __typename } }',
    );
    expect(response.data).toBeNull();
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.id',
    });
  });
});

type Page = {
  totalCount: number;
  nodes: { id: string; name: string }[];
  edges: { cursor: string; node: { id: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string };
};
const PAGE =
  'totalCount nodes { id name } edges { cursor node { id } } pageInfo { hasNextPage endCursor }';
const allSpaces = async () =>
  (await sendAsGateway<{ spaces: Page }>(url, `{ spaces(first: 100) { ${PAGE} } }`)).data!.spaces;

describe('queries', () => {
  it('searches by text in kana/English/Japanese names, municipality and facilities', async () => {
    const search = async (filter: Record<string, unknown>) =>
      (
        await sendAsGateway<{ spaces: { nodes: { name: string }[] } }>(
          url,
          'query($f: SpaceFilter) { spaces(filter: $f) { nodes { name } } }',
          { f: filter },
        )
      ).data!.spaces.nodes.map((s) => s.name);
    expect(await search({ text: 'garage' })).toEqual(['Garage labs']);
    expect(await search({ municipalityCode: '202029' })).toEqual(['Social Hub Space Knower(s)']);
    expect(await search({ facilities: ['ACCESS_CONTROL', 'PROJECTOR'] })).toEqual([
      'Social Hub Space Knower(s)',
    ]);
    expect(await search({ prefecture: '長野県', kind: 'TELEWORK_CENTRE' })).toContain(
      'テレワークセンターしおじり',
    );
  });

  it('pages through spaces by name with cursors, each space once, counting them all', async () => {
    const all = await allSpaces();
    expect(all.pageInfo.hasNextPage).toBe(false);
    expect(all.totalCount).toBe(all.nodes.length);
    // By name (in the database's collation), ties by id.
    const client = new pg.Client({ connectionString: stack.services.spaces!.databaseUrl });
    await client.connect();
    const { rows } = await client
      .query('SELECT id FROM space ORDER BY name, id')
      .finally(() => client.end());
    expect(all.nodes.map((space) => space.id)).toEqual(rows.map((row) => row.id));
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = (
        await sendAsGateway<{ spaces: Page }>(
          url,
          `query($after: String) { spaces(first: 5, after: $after) { ${PAGE} } }`,
          { after },
        )
      ).data!.spaces;
      expect(page.totalCount).toBe(all.totalCount);
      expect(page.nodes.map((node) => node.id)).toEqual(page.edges.map((edge) => edge.node.id));
      seen.push(...page.nodes.map((node) => node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.nodes.map((node) => node.id));
  });

  it('counts only what the filter matches, with one count query beside the page', async () => {
    const before = stack.services.spaces!.queryCount();
    const response = await sendAsGateway<{ spaces: Page }>(
      url,
      `{ spaces(first: 1, filter: { prefecture: "長野県" }) { ${PAGE} } }`,
    );
    expect(response.data!.spaces.totalCount).toBeGreaterThan(1);
    expect(response.data!.spaces.nodes).toHaveLength(1);
    expect(stack.services.spaces!.queryCount() - before).toBe(2);
    // Only the count asked: no page query at all.
    const countOnly = stack.services.spaces!.queryCount();
    const count = await sendAsGateway<{ spaces: { totalCount: number } }>(
      url,
      '{ spaces(filter: { prefecture: "長野県" }) { totalCount } }',
    );
    expect(count.data!.spaces.totalCount).toBe(response.data!.spaces.totalCount);
    expect(stack.services.spaces!.queryCount() - countOnly).toBe(1);
  });

  it('pages a municipality’s spaces, by name', async () => {
    const response = await sendAsGateway<{
      municipality: { id: string; spaceCount: number; spaces: Page };
    }>(url, `{ municipality(code: "202151") { id spaceCount spaces(first: 1) { ${PAGE} } } }`);
    const { id, spaceCount, spaces } = response.data!.municipality;
    expect(id).toBe('202151');
    expect(spaces.totalCount).toBe(spaceCount);
    expect(spaces.nodes).toHaveLength(1);
    expect(spaces.pageInfo.hasNextPage).toBe(spaceCount > 1);
  });

  it('resolves municipality references by code (the gateway’s _entities)', async () => {
    const response = await sendAsGateway<{
      _entities: { id: string; name: string; prefecture: string; spaceCount: number }[];
    }>(
      url,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Municipality { id name prefecture spaceCount } } }',
      {
        r: [
          { __typename: 'Municipality', code: '202151' },
          { __typename: 'Municipality', code: '012157' },
        ],
      },
    );
    expect(response.data!._entities).toEqual([
      { id: '202151', name: '塩尻市', prefecture: '長野県', spaceCount: expect.any(Number) },
      { id: '012157', name: '美唄市', prefecture: '北海道', spaceCount: 1 },
    ]);
  });
});

describe('batching (no N+1 behind the gateway)', () => {
  it('answers the first page of the directory with its municipalities in one statement', async () => {
    const before = stack.services.spaces!.queryCount();
    const response = await sendAsGateway<{
      spaces: { nodes: { name: string; municipality: { code: string; name: string } }[] };
    }>(url, '{ spaces { nodes { name kind municipality { code name } } } }');
    expect(response.errors).toBeUndefined();
    expect(response.data!.spaces.nodes.length).toBeGreaterThan(0);
    expect(stack.services.spaces!.queryCount() - before).toBe(1);
  });

  it('resolves many Space references with one query', async () => {
    const ids = (await allSpaces()).nodes.map((s) => s.id);
    const before = stack.services.spaces!.queryCount();
    const response = await sendAsGateway<{ _entities: { name: string }[] }>(
      url,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Space { name } } }',
      { r: ids.map((id) => ({ __typename: 'Space', id })) },
    );
    expect(response.data!._entities).toHaveLength(ids.length);
    expect(stack.services.spaces!.queryCount() - before).toBe(1);
  });

  it('contributes Organization.spaces for many organizations with one query', async () => {
    const operators = (
      await sendAsGateway<{ spaces: { nodes: { operator: { id: string } | null }[] } }>(
        url,
        '{ spaces(first: 100) { nodes { operator { id } } } }',
      )
    ).data!.spaces.nodes.flatMap((s) => (s.operator ? [s.operator.id] : []));
    const unique = [...new Set(operators)];
    const before = stack.services.spaces!.queryCount();
    const response = await sendAsGateway<{
      _entities: { spaces: { totalCount: number; nodes: { name: string }[] } }[];
    }>(
      url,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { spaces(first: 1) { totalCount nodes { name } } } } }',
      { r: unique.map((id) => ({ __typename: 'Organization', id })) },
    );
    const pages = response.data!._entities.map((o) => o.spaces);
    expect(pages.every((page) => page.nodes.length === 1)).toBe(true);
    expect(pages.reduce((sum, page) => sum + page.totalCount, 0)).toBe(operators.length);
    expect(stack.services.spaces!.queryCount() - before).toBe(1);
  });

  it('contributes Municipality.spaces for many municipalities with one query each for them and their spaces', async () => {
    const before = stack.services.spaces!.queryCount();
    const response = await sendAsGateway<{ _entities: { spaces: { totalCount: number } }[] }>(
      url,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Municipality { spaces(first: 2) { totalCount nodes { id } } } } }',
      {
        r: ['202151', '012157', '011002'].map((code) => ({ __typename: 'Municipality', code })),
      },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities).toHaveLength(3);
    expect(stack.services.spaces!.queryCount() - before).toBe(2);
  });
});

describe('authorization', () => {
  const operatorId = randomUUID();
  const otherOrganizationId = randomUUID();
  const staffOf = (...organizationIds: string[]) =>
    asMember(randomUUID(), {
      staffOf: organizationIds.map((organizationId) => ({ organizationId, role: 'staff' })),
    });
  const operatorStaff = staffOf(operatorId);
  const input = (overrides: Record<string, unknown> = {}) => ({
    name: '運営組織の拠点',
    kind: 'COWORKING',
    municipalityCode: '011002',
    operatorId,
    ...overrides,
  });
  const UPDATE = `mutation($input: UpdateSpaceInput!) {
    updateSpace(input: $input) { ... on UpdateSpaceSuccess { space { id name operator { id } } } ${ERROR_FIELDS} }
  }`;
  const update = (id: string, input: Record<string, unknown>, identity: Identity | null) =>
    sendAsGateway<{ updateSpace: SpacePayload }>(
      url,
      UPDATE,
      { input: { id, ...input } },
      { identity },
    );

  const refused: [string, string, Identity | null][] = [
    ['an anonymous caller', 'UNAUTHENTICATED', null],
    ['a member without a staff role', 'FORBIDDEN', asMember(randomUUID())],
    ['staff of another organisation', 'FORBIDDEN', staffOf(otherOrganizationId)],
    ['a partner key', 'FORBIDDEN', asPartner()],
  ];

  it.each(refused)(
    'createSpace refuses %s (%s) and writes nothing',
    async (_who, code, identity) => {
      const before = [await countRows('space'), await outboxCount()];
      const response = await sendAsGateway(url, CREATE, { input: input() }, { identity });
      expect(response.data).toBeNull();
      expect(response.errors?.[0]?.extensions?.code).toBe(code);
      expect(response.errors?.[0]?.message).toMatch(/[ぁ-んァ-ン一-龥]/);
      expect([await countRows('space'), await outboxCount()]).toEqual(before);
    },
  );

  it('lets staff of the operator create its space and update it', async () => {
    const created = await sendAsGateway<{ createSpace: SpacePayload }>(
      url,
      CREATE,
      { input: input() },
      { identity: operatorStaff },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data!.createSpace.space.operator).toEqual({ id: operatorId });

    const updated = await update(
      created.data!.createSpace.space.id,
      { name: '改名した拠点' },
      operatorStaff,
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateSpace.space.name).toBe('改名した拠点');
  });

  it('refuses staff a space without an operator (only a hub admin answers for it)', async () => {
    const before = await countRows('space');
    const response = await sendAsGateway(
      url,
      CREATE,
      { input: input({ operatorId: null }) },
      { identity: operatorStaff },
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await countRows('space')).toBe(before);
  });

  it.each(refused)(
    'updateSpace refuses %s (%s) and changes nothing',
    async (_who, code, identity) => {
      const id = (
        await asAdminCall<{ createSpace: SpacePayload }>(CREATE, {
          input: input({ name: '変更されない拠点' }),
        })
      ).data!.createSpace.space.id;
      const response = await update(id, { name: '乗っ取り' }, identity);
      expect(response.data).toBeNull();
      expect(response.errors?.[0]?.extensions?.code).toBe(code);
      const read = await sendAsGateway<{ space: { name: string } }>(
        url,
        'query($id: ID!) { space(id: $id) { name } }',
        { id },
      );
      expect(read.data!.space.name).toBe('変更されない拠点');
    },
  );

  it('decides an update by the stored operator, not the one named in the input', async () => {
    const id = (await asAdminCall<{ createSpace: SpacePayload }>(CREATE, { input: input() })).data!
      .createSpace.space.id;
    const intruder = staffOf(otherOrganizationId);
    // Naming their own organisation as the new operator does not make the space theirs.
    const claimed = await update(id, { operatorId: otherOrganizationId }, intruder);
    expect(claimed.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // The operator's staff cannot hand it to an organisation they are not staff of …
    const handedAway = await update(id, { operatorId: otherOrganizationId }, operatorStaff);
    expect(handedAway.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // … nor leave it without an operator; staff of both sides may move it.
    const orphaned = await update(id, { operatorId: null }, operatorStaff);
    expect(orphaned.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const moved = await update(
      id,
      { operatorId: otherOrganizationId },
      staffOf(operatorId, otherOrganizationId),
    );
    expect(moved.errors).toBeUndefined();
    expect(moved.data!.updateSpace.space.operator).toEqual({ id: otherOrganizationId });
  });

  it('refuses staff an update of a space that does not exist (no hint either way)', async () => {
    const response = await update(randomUUID(), { name: 'x' }, operatorStaff);
    expect(response.data).toBeNull();
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('keeps the directory open to anonymous callers and partners', async () => {
    for (const identity of [null, asPartner(), asMember(randomUUID())]) {
      const response = await sendAsGateway<{ spaces: { nodes: { id: string }[] } }>(
        url,
        '{ spaces(first: 3) { nodes { id name operator { id } municipality { name } } } }',
        undefined,
        { identity },
      );
      expect(response.errors).toBeUndefined();
      expect(response.data!.spaces.nodes).toHaveLength(3);
    }
  });
});

describeDataExportField({
  field: 'spaces',
  serviceName: 'spaces',
  url: () => url,
  expected: {
    bookings: [],
    checkIns: [],
    checkInOverrides: [],
    memberships: [],
    passes: [],
    patrolRequests: [],
    patrolVisits: [],
    note: expect.stringMatching(/^拠点サービス.*\(/),
  },
});

describe('demo networks, memberships and passes', () => {
  const demo = JSON.parse(readFileSync(new URL('../seed/demo.json', import.meta.url), 'utf8')) as {
    spaces: { id: string; key: string }[];
    networks: { id: string; key: string }[];
    passes: { id: string; membershipId: string }[];
    memberships: { id: string; memberId: string }[];
  };
  const spaceKey = (id: string) => demo.spaces.find((space) => space.id === id)?.key;

  it('holds the Shiojiri three-site network and the Hokkaido common ticket, with terms', async () => {
    const response = await asAdminCall<{
      spaceNetworks: {
        totalCount: number;
        nodes: {
          kind: string;
          name: string;
          sites: { space: { id: string }; minimumPlan: string }[];
        }[];
      };
    }>(`{ spaceNetworks { totalCount nodes { kind name sites { space { id } minimumPlan } } } }`);
    expect(response.errors).toBeUndefined();
    const byKind = Object.fromEntries(
      response.data!.spaceNetworks.nodes.map((network) => [
        network.kind,
        network.sites.map((site) => spaceKey(site.space.id)).sort(),
      ]),
    );
    expect(byKind).toEqual({
      LINKED_SITES: ['colabo', 'knowers', 'tc-shiojiri'],
      COMMON_TICKET: ['cafe36', 'dorinoki', 'garage-labs', 'koharubiyori'],
    });
  });

  it('lists each space’s networks with its terms there, for anyone, in one statement', async () => {
    const before = stack.services.spaces!.queryCount();
    const response = await sendAsGateway<{
      spaces: {
        nodes: {
          id: string;
          networks: { freeDaysPerMonth: number; minimumPlan: string; network: { kind: string } }[];
        }[];
      };
    }>(
      url,
      '{ spaces(first: 100) { nodes { id networks { freeDaysPerMonth minimumPlan network { kind } } } } }',
    );
    expect(response.errors).toBeUndefined();
    const networksOf = (key: string) =>
      response.data!.spaces.nodes.find((space) => spaceKey(space.id) === key)?.networks;
    expect(networksOf('garage-labs')).toEqual([
      { freeDaysPerMonth: 1, minimumPlan: 'MONTHLY', network: { kind: 'COMMON_TICKET' } },
    ]);
    expect(networksOf('tc-shiojiri')).toEqual([
      { freeDaysPerMonth: 4, minimumPlan: 'MONTHLY', network: { kind: 'LINKED_SITES' } },
    ]);
    expect(networksOf('bisate')).toEqual([]);
    // The page, the sites of every space, their networks.
    expect(stack.services.spaces!.queryCount() - before).toBe(3);
  });

  it('gives demo members their home spaces and passes; seeding again adds nothing', async () => {
    const pass = demo.passes[0]!;
    const holder = demo.memberships.find((membership) => membership.id === pass.membershipId)!;
    const response = await asAdminCall<{
      _entities: { homeSpaces: { totalCount: number }; passes: { nodes: { id: string }[] } }[];
    }>(
      `query ($id: ID!) { _entities(representations: [{ __typename: "Member", id: $id }]) {
        ... on Member { homeSpaces { totalCount } passes { nodes { id } } }
      } }`,
      { id: holder.memberId },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities[0]!.homeSpaces.totalCount).toBe(1);
    expect(response.data!._entities[0]!.passes.nodes).toEqual([{ id: pass.id }]);
    expect(await seedDemoData({ databaseUrl: stack.services.spaces!.databaseUrl })).toEqual({
      created: 0,
    });
  });

  it('lets a satellite office at テレワークセンターしおじり to a demo company, with past stays', async () => {
    const response = await asAdminCall<{
      spaces: { nodes: { name: string; rooms: { name: string; kind: string }[] }[] };
    }>(
      `{ spaces(filter: { text: "テレワークセンターしおじり" }) { nodes { name rooms { name kind } } } }`,
    );
    expect(response.errors).toBeUndefined();
    const shiojiri = response.data!.spaces.nodes.find(
      (space) => space.name === 'テレワークセンターしおじり',
    )!;
    expect(shiojiri.rooms.filter((room) => room.kind === 'SATELLITE_OFFICE')).toHaveLength(2);
    expect(await countRows('satellite_lease')).toBe(1);
    expect(await countRows('visit')).toBe(3);
  });
});

describe('Member.homeSpaces and Member.passes behind the gateway', () => {
  const demo = JSON.parse(readFileSync(new URL('../seed/demo.json', import.meta.url), 'utf8')) as {
    memberships: { memberId: string }[];
  };
  const members = [...new Set(demo.memberships.map((membership) => membership.memberId))];
  const QUERY = `query ($r: [_Any!]!) { _entities(representations: $r) {
    ... on Member { homeSpaces { totalCount nodes { plan space { name } } } passes { totalCount nodes { network { name } homeSpace { name } } } }
  } }`;

  it('answers many members with one statement per list (and one for each kind of node they name)', async () => {
    const before = stack.services.spaces!.queryCount();
    const response = await asAdminCall<{
      _entities: { homeSpaces: { totalCount: number }; passes: { totalCount: number } }[];
    }>(QUERY, { r: members.map((id) => ({ __typename: 'Member', id })) });
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities).toHaveLength(members.length);
    expect(
      response.data!._entities.reduce((sum, member) => sum + member.homeSpaces.totalCount, 0),
    ).toBe(demo.memberships.length);
    // homeSpaces, passes, the spaces they name (one loader), the passes' memberships, networks.
    expect(stack.services.spaces!.queryCount() - before).toBe(5);
  });

  it('refuses a page beyond 100, naming the argument', async () => {
    const response = await asAdminCall(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Member { homeSpaces(first: 101) { totalCount } } } }`,
      { r: [{ __typename: 'Member', id: members[0] }] },
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'first',
    });
  });
});
