import { randomUUID } from 'node:crypto';
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

const CREATE = `mutation($input: CreateSpaceInput!) {
  createSpace(input: $input) { id name kind status municipality { code name } facilities openedOn operator { id } }
}`;

describe('createSpace', () => {
  it('creates a space and announces it (registered, opened) in the same transaction', async () => {
    const before = await outboxCount();
    const response = await asAdminCall<{
      createSpace: { id: string; municipality: { code: string } };
    }>(CREATE, {
      input: {
        name: 'テスト拠点',
        kind: 'COWORKING',
        municipalityCode: '011002',
        facilities: ['WIFI', 'PROJECTOR'],
        openedOn: '2026-04-01',
      },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!.createSpace).toMatchObject({
      name: 'テスト拠点',
      status: 'OPEN',
      municipality: { code: '011002', name: '札幌市' },
      facilities: ['WIFI', 'PROJECTOR'],
      openedOn: '2026-04-01',
      operator: null,
    });
    expect(await outboxCount()).toBe(before + 2);
    // Announcements of this space: spaces/src/domain/space-events.test.ts.
  });

  it.each([
    [{ municipalityCode: '011001' }, 'INVALID_MUNICIPALITY_CODE', 'municipalityCode'],
    [{ municipalityCode: '12345' }, 'INVALID_MUNICIPALITY_CODE', 'municipalityCode'],
    [{ municipalityCode: '013005' }, 'UNKNOWN_MUNICIPALITY', 'municipalityCode'],
    [{ name: '' }, 'BAD_USER_INPUT', 'name'],
    [{ latitude: 123 }, 'BAD_USER_INPUT', 'latitude'],
    [{ websiteUrl: 'not a url' }, 'BAD_USER_INPUT', 'websiteUrl'],
  ])('rejects %j with %s and writes nothing', async (change, code, field) => {
    const before = await outboxCount();
    const response = await asAdminCall(CREATE, {
      input: { name: '不正な拠点', kind: 'COWORKING', municipalityCode: '011002', ...change },
    });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code, field });
    expect(response.errors?.[0]?.message).toMatch(/[ぁ-んァ-ン一-龥]/);
    expect(await outboxCount()).toBe(before);
  });
});

describe('updateSpace', () => {
  it('changes only the given fields', async () => {
    const created = await asAdminCall<{ createSpace: { id: string } }>(CREATE, {
      input: { name: '変更前', kind: 'TELEWORK_CENTRE', municipalityCode: '202151', capacity: 20 },
    });
    const id = created.data!.createSpace.id;
    const response = await asAdminCall<{
      updateSpace: { name: string; capacity: number; kind: string };
    }>(
      'mutation($id: ID!) { updateSpace(id: $id, input: { name: "変更後" }) { name capacity kind } }',
      { id },
    );
    expect(response.data!.updateSpace).toEqual({
      name: '変更後',
      capacity: 20,
      kind: 'TELEWORK_CENTRE',
    });
  });

  it('answers NOT_FOUND for an unknown id', async () => {
    const response = await asAdminCall(
      'mutation { updateSpace(id: "0194f3a0-0000-7000-8000-00000000dead", input: { name: "x" }) { id } }',
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('answers BAD_USER_INPUT for an id that is not a UUID', async () => {
    const response = await asAdminCall(
      'mutation { updateSpace(id: "space-1", input: { name: "x" }) { id } }',
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });
});

describe('queries', () => {
  it('searches by text in kana/English/Japanese names, municipality and facilities', async () => {
    const search = async (filter: Record<string, unknown>) =>
      (
        await sendAsGateway<{ spaces: { name: string }[] }>(
          url,
          'query($f: SpaceFilter) { spaces(filter: $f) { name } }',
          { f: filter },
        )
      ).data!.spaces.map((s) => s.name);
    expect(await search({ text: 'garage' })).toEqual(['Garage labs']);
    expect(await search({ municipalityCode: '202029' })).toEqual(['Social Hub Space Knower(s)']);
    expect(await search({ facilities: ['ACCESS_CONTROL', 'PROJECTOR'] })).toEqual([
      'Social Hub Space Knower(s)',
    ]);
    expect(await search({ prefecture: '長野県', kind: 'TELEWORK_CENTRE' })).toContain(
      'テレワークセンターしおじり',
    );
  });

  it('pages through spacesConnection with cursors', async () => {
    const page = async (after?: string) =>
      (
        await sendAsGateway<{
          spacesConnection: {
            edges: { cursor: string; node: { id: string } }[];
            pageInfo: { hasNextPage: boolean; endCursor: string };
          };
        }>(
          url,
          'query($after: String) { spacesConnection(first: 5, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }',
          { after },
        )
      ).data!.spacesConnection;
    const first = await page();
    const second = await page(first.pageInfo.endCursor);
    expect(first.edges).toHaveLength(5);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const ids = new Set([...first.edges, ...second.edges].map((e) => e.node.id));
    expect(ids.size).toBe(first.edges.length + second.edges.length);
  });

  it('resolves municipality references by code (the gateway’s _entities)', async () => {
    const response = await sendAsGateway<{
      _entities: { name: string; prefecture: string; spaceCount: number }[];
    }>(
      url,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Municipality { name prefecture spaceCount } } }',
      {
        r: [
          { __typename: 'Municipality', code: '202151' },
          { __typename: 'Municipality', code: '012157' },
        ],
      },
    );
    expect(response.data!._entities).toEqual([
      { name: '塩尻市', prefecture: '長野県', spaceCount: expect.any(Number) },
      { name: '美唄市', prefecture: '北海道', spaceCount: 1 },
    ]);
  });
});

describe('batching (no N+1 behind the gateway)', () => {
  it('resolves many Space references with one query', async () => {
    const ids = (
      await sendAsGateway<{ spaces: { id: string }[] }>(url, '{ spaces { id } }')
    ).data!.spaces.map((s) => s.id);
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
      await sendAsGateway<{ spaces: { operator: { id: string } | null }[] }>(
        url,
        '{ spaces { operator { id } } }',
      )
    ).data!.spaces.flatMap((s) => (s.operator ? [s.operator.id] : []));
    const unique = [...new Set(operators)];
    const before = stack.services.spaces!.queryCount();
    const response = await sendAsGateway<{ _entities: { spaces: { name: string }[] }[] }>(
      url,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { spaces { name } } } }',
      { r: unique.map((id) => ({ __typename: 'Organization', id })) },
    );
    expect(response.data!._entities.flatMap((o) => o.spaces).length).toBeGreaterThanOrEqual(
      unique.length,
    );
    expect(stack.services.spaces!.queryCount() - before).toBe(1);
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
  const UPDATE =
    'mutation($id: ID!, $input: UpdateSpaceInput!) { updateSpace(id: $id, input: $input) { id name operator { id } } }';

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
    const created = await sendAsGateway<{ createSpace: { id: string; operator: { id: string } } }>(
      url,
      CREATE,
      { input: input() },
      { identity: operatorStaff },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data!.createSpace.operator).toEqual({ id: operatorId });

    const updated = await sendAsGateway<{ updateSpace: { name: string } }>(
      url,
      UPDATE,
      { id: created.data!.createSpace.id, input: { name: '改名した拠点' } },
      { identity: operatorStaff },
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateSpace.name).toBe('改名した拠点');
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
        await asAdminCall<{ createSpace: { id: string } }>(CREATE, {
          input: input({ name: '変更されない拠点' }),
        })
      ).data!.createSpace.id;
      const response = await sendAsGateway(
        url,
        UPDATE,
        { id, input: { name: '乗っ取り' } },
        { identity },
      );
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
    const id = (await asAdminCall<{ createSpace: { id: string } }>(CREATE, { input: input() }))
      .data!.createSpace.id;
    const intruder = staffOf(otherOrganizationId);
    // Naming their own organisation as the new operator does not make the space theirs.
    const claimed = await sendAsGateway(
      url,
      UPDATE,
      { id, input: { operatorId: otherOrganizationId } },
      { identity: intruder },
    );
    expect(claimed.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // The operator's staff cannot hand it to an organisation they are not staff of …
    const handedAway = await sendAsGateway(
      url,
      UPDATE,
      { id, input: { operatorId: otherOrganizationId } },
      { identity: operatorStaff },
    );
    expect(handedAway.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // … nor leave it without an operator; staff of both sides may move it.
    const orphaned = await sendAsGateway(
      url,
      UPDATE,
      { id, input: { operatorId: null } },
      { identity: operatorStaff },
    );
    expect(orphaned.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const moved = await sendAsGateway<{ updateSpace: { operator: { id: string } } }>(
      url,
      UPDATE,
      { id, input: { operatorId: otherOrganizationId } },
      { identity: staffOf(operatorId, otherOrganizationId) },
    );
    expect(moved.errors).toBeUndefined();
    expect(moved.data!.updateSpace.operator).toEqual({ id: otherOrganizationId });
  });

  it('refuses staff an update of a space that does not exist (no hint either way)', async () => {
    const response = await sendAsGateway(
      url,
      UPDATE,
      { id: randomUUID(), input: { name: 'x' } },
      { identity: operatorStaff },
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('keeps the directory open to anonymous callers and partners', async () => {
    for (const identity of [null, asPartner(), asMember(randomUUID())]) {
      const response = await sendAsGateway<{ spaces: { id: string }[] }>(
        url,
        '{ spaces(limit: 3) { id name operator { id } municipality { name } } }',
        undefined,
        { identity },
      );
      expect(response.errors).toBeUndefined();
      expect(response.data!.spaces).toHaveLength(3);
    }
  });
});

describeDataExportField({
  field: 'spaces',
  serviceName: 'spaces',
  url: () => url,
  expected: { bookings: [], checkIns: [], note: expect.stringMatching(/^拠点サービス.*\(/) },
});
