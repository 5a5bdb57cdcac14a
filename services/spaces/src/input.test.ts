import { randomUUID } from 'node:crypto';
import { createInProcessBus } from '@hub/event-bus';
import { createLogger, DEFAULT_MAX_STRING_LENGTH, PAGE_SIZE_MAX } from '@hub/service-kit';
import { asAdmin, startTestService, type TestService } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedDemoData, startSpacesService } from './app.js';

// Bad input is refused at the schema boundary (the kit's input plugin) as BAD_USER_INPUT naming
// the argument — before, each of these reached PostgreSQL and came back as an internal error.
const logger = createLogger({ name: 'spaces-input-test', level: 'silent' });
const bus = createInProcessBus({ logger });
let spaces: TestService;

beforeAll(async () => {
  spaces = await startTestService({
    name: 'spaces',
    migrationsDir: new URL('../prisma/migrations', import.meta.url).pathname,
    start: startSpacesService,
    bus,
    logger,
  });
  await seedDemoData({ databaseUrl: spaces.databaseUrl });
}, 60_000);

afterAll(async () => {
  await spaces?.stop();
  await bus.close();
});

type Errors = { errors?: { message: string; extensions?: Record<string, unknown> }[] };

function expectRefused(response: Errors, field: string) {
  expect(response.errors).toHaveLength(1);
  expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  expect(response.errors![0]!.message).toMatch(/[ぁ-んァ-ヶ一-龠]/);
}

const cursorOf = (payload: string) => Buffer.from(`GPC:${payload}`).toString('base64');

describe('ids', () => {
  it('answers space(id: "x") with BAD_USER_INPUT, not an internal error', async () => {
    expectRefused(await spaces.gql('{ space(id: "x") { id } }'), 'id');
  });

  it('refuses a malformed operatorId in an input before any scope rule or write', async () => {
    const before = await spaces.sql.query('SELECT count(*) FROM space');
    const response = await spaces.gql(
      'mutation($input: CreateSpaceInput!) { createSpace(input: $input) { __typename } }',
      { input: { name: '拠点', kind: 'COWORKING', municipalityCode: '011002', operatorId: 'x' } },
      asAdmin(),
    );
    expectRefused(response, 'input.operatorId');
    expect((await spaces.sql.query('SELECT count(*) FROM space')).rows).toEqual(before.rows);
  });

  it('resolves a representation with a malformed id to null', async () => {
    const response = await spaces.gql<{ _entities: unknown[] }>(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Space { id } } }',
      { r: [{ __typename: 'Space', id: 'not-a-uuid' }] },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?._entities).toEqual([null]);
  });
});

describe('strings', () => {
  const create = (input: Record<string, unknown>) =>
    spaces.gql(
      'mutation($input: CreateSpaceInput!) { createSpace(input: $input) { __typename } }',
      { input: { name: '拠点', kind: 'COWORKING', municipalityCode: '011002', ...input } },
      asAdmin(),
    );

  it.each([
    ['a NUL byte in the name', { name: 'テスト\u0000拠点' }, 'input.name'],
    ['a lone surrogate in the description', { description: '説明\uD800' }, 'input.description'],
    ['a description over 5000 characters', { description: 'あ'.repeat(5001) }, 'input.description'],
    [
      'a phone over the default limit',
      { phone: '0'.repeat(DEFAULT_MAX_STRING_LENGTH + 1) },
      'input.phone',
    ],
  ])('refuses %s', async (_label, input, field) => {
    expectRefused(await create(input), field);
  });

  it('refuses a NUL byte in a search filter', async () => {
    expectRefused(
      await spaces.gql('query($f: SpaceFilter) { spaces(filter: $f) { totalCount } }', {
        f: { text: 'a\u0000' },
      }),
      'filter.text',
    );
  });
});

describe('list sizes and connection arguments', () => {
  it(`refuses spaces(first) beyond ${PAGE_SIZE_MAX} instead of clamping it`, async () => {
    expectRefused(await spaces.gql('{ spaces(first: 1000) { nodes { id } } }'), 'first');
    expectRefused(await spaces.gql('{ spaces(first: -1) { nodes { id } } }'), 'first');
    const fine = await spaces.gql<{ spaces: { nodes: unknown[] } }>(
      '{ spaces(first: 2) { nodes { id } } }',
    );
    expect(fine.data?.spaces.nodes).toHaveLength(2);
  });

  it.each([
    '{ municipality(code: "011002") { spaces(first: 101) { totalCount } } }',
    '{ _entities(representations: [{ __typename: "Organization", id: "0194f3a0-0000-7000-8000-000000000001" }]) { ... on Organization { spaces(first: 101) { totalCount } } } }',
  ])('refuses a nested page beyond the cap too: %s', async (query) => {
    expectRefused(await spaces.gql(query), 'first');
  });

  it.each([
    ['first: -1', 'first'],
    [`first: ${PAGE_SIZE_MAX + 1}`, 'first'],
    ['first: 2, last: 2', 'last'],
    ['after: "garbage"', 'after'],
    [`after: "${cursorOf('S:x')}"`, 'after'],
    [`before: "${cursorOf(`T:["D:1","S:${randomUUID()}"]`)}", last: 2`, 'before'],
  ])('refuses spaces(%s) as BAD_USER_INPUT on %s', async (args, field) => {
    const response = await spaces.gql(`{ spaces(${args}) { edges { cursor } } }`);
    expectRefused(response, field);
    expect(response.errors![0]!.message).not.toMatch(/internal/i);
  });

  it('names the cap when first is beyond it', async () => {
    const response = await spaces.gql(
      `{ spaces(first: ${PAGE_SIZE_MAX + 1}) { edges { cursor } } }`,
    );
    expect(response.errors![0]!.message).toContain(`1 ページは ${PAGE_SIZE_MAX} 件までです`);
    expect(response.errors![0]!.message).toContain(`a page holds at most ${PAGE_SIZE_MAX} items`);
  });

  it('still pages with the cursors it hands out', async () => {
    type Page = { spaces: { pageInfo: { endCursor: string; hasNextPage: boolean } } };
    const first = await spaces.gql<Page>(
      '{ spaces(first: 2) { pageInfo { endCursor hasNextPage } } }',
    );
    const next = await spaces.gql<Page>(
      'query($after: String) { spaces(first: 2, after: $after) { pageInfo { endCursor } } }',
      { after: first.data!.spaces.pageInfo.endCursor },
    );
    expect(next.errors).toBeUndefined();
  });
});
