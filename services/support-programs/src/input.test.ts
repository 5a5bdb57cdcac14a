import { randomUUID } from 'node:crypto';
import { createInProcessBus } from '@hub/event-bus';
import { createLogger, PAGE_SIZE_MAX } from '@hub/service-kit';
import { asAdmin, startTestService, type TestService } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSupportProgramsService } from './app.js';

// Bad input is refused at the schema boundary (the kit's input plugin) as BAD_USER_INPUT naming
// the argument — before, these reached PostgreSQL or Pothos and came back as internal errors.
const bus = createInProcessBus();
let service: TestService;

beforeAll(async () => {
  service = await startTestService({
    name: 'support-programs',
    migrationsDir: new URL('../prisma/migrations', import.meta.url).pathname,
    start: startSupportProgramsService,
    bus,
    logger: createLogger({ name: 'support-programs-input-test', level: 'silent' }),
  });
});

afterAll(async () => {
  await service?.stop();
  await bus.close();
});

type Errors = { errors?: { message: string; extensions?: Record<string, unknown> }[] };

function expectRefused(response: Errors, field: string) {
  expect(response.errors).toHaveLength(1);
  expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  expect(response.errors![0]!.message).toMatch(/[ぁ-んァ-ヶ一-龠]/);
}

const cursorOf = (payload: string) => Buffer.from(`GPC:${payload}`).toString('base64');
const PUBLISH =
  'mutation($input: PublishProgramInput!) { publishProgram(input: $input) { __typename } }';

describe('ids', () => {
  it('refuses a program cursor holding a non-UUID id (it reached PostgreSQL)', async () => {
    const response = await service.gql(
      `{ programs(first: 2, after: "${cursorOf('S:x')}") { edges { cursor } } }`,
    );
    expectRefused(response, 'after');
  });

  it.each([
    ['{ program(id: "x") { id } }', 'id'],
    ['{ programs(filter: { providerId: "x" }) { totalCount } }', 'filter.providerId'],
  ])('refuses %s as BAD_USER_INPUT on %s', async (query, field) => {
    expectRefused(await service.gql(query), field);
  });
});

describe('strings', () => {
  it.each([
    ['a NUL byte in the title', { title: '融資\u0000' }, 'input.title'],
    ['a lone surrogate in the description', { description: '\uD83D' }, 'input.description'],
    [
      'a description over 10000 characters',
      { description: 'x'.repeat(10_001) },
      'input.description',
    ],
  ])('refuses %s before anything is written', async (_label, change, field) => {
    const before = await service.sql.query('SELECT count(*) FROM program');
    const input = { title: '創業融資', kind: 'LOAN', providerId: randomUUID(), ...change };
    expectRefused(await service.gql(PUBLISH, { input }, asAdmin()), field);
    expect((await service.sql.query('SELECT count(*) FROM program')).rows).toEqual(before.rows);
  });
});

describe('list sizes and connection arguments', () => {
  it.each([
    ['{ programs(first: 500) { nodes { id } } }', 'first'],
    [`{ programs(first: ${PAGE_SIZE_MAX + 1}) { edges { cursor } } }`, 'first'],
    ['{ programs(first: -3) { edges { cursor } } }', 'first'],
    ['{ programs(first: 1, last: 1) { edges { cursor } } }', 'last'],
    ['{ programs(before: "x", after: "y") { edges { cursor } } }', 'before'],
    [
      `{ _entities(representations: [{ __typename: "Organization", id: "${randomUUID()}" }]) { ... on Organization { programs(first: ${PAGE_SIZE_MAX + 1}) { totalCount } } } }`,
      'first',
    ],
  ])('refuses %s as BAD_USER_INPUT on %s', async (query, field) => {
    expectRefused(await service.gql(query), field);
  });
});
