import { randomUUID } from 'node:crypto';
import { createInProcessBus, type EventBus } from '@hub/event-bus';
import { PAGE_SIZE_MAX } from '@hub/service-kit';
import { asAdmin } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  countRows,
  silentLogger,
  startTestService,
  type TestService,
} from '../../test/support/matching-service.js';

// Bad input is refused at the schema boundary (the kit's input plugin) as BAD_USER_INPUT naming
// the argument — before, these reached PostgreSQL or Pothos and came back as internal errors.
let bus: EventBus;
let hub: TestService;

beforeAll(async () => {
  bus = createInProcessBus({ logger: silentLogger });
  hub = await startTestService(bus);
});

afterAll(async () => {
  await hub?.close();
  await bus?.close();
});

type Errors = { errors?: { message: string; extensions?: Record<string, unknown> }[] };

function expectRefused(response: Errors, field: string) {
  expect(response.errors).toHaveLength(1);
  expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  expect(response.errors![0]!.message).toMatch(/[ぁ-んァ-ヶ一-龠]/);
}

const cursorOf = (payload: string) => Buffer.from(`GPC:${payload}`).toString('base64');

describe('ids', () => {
  it('refuses a work order cursor holding a non-UUID id (it reached PostgreSQL)', async () => {
    const response = await hub.graphql(
      `{ workOrders(first: 2, after: "${cursorOf('S:x')}") { edges { cursor } } }`,
    );
    expectRefused(response, 'after');
  });

  it.each([
    ['{ workOrder(id: "x") { id } }', 'id'],
    ['{ worker(memberId: "x") { memberId } }', 'memberId'],
    [
      '{ workOrders(filter: { receivingCentreId: "x" }) { totalCount } }',
      'filter.receivingCentreId',
    ],
  ])('refuses %s as BAD_USER_INPUT on %s', async (query, field) => {
    expectRefused(await hub.graphql(query, undefined, asAdmin()), field);
  });
});

describe('strings', () => {
  const post = (input: Record<string, unknown>) =>
    hub.graphql(
      'mutation($input: PostWorkOrderInput!) { postWorkOrder(input: $input) { __typename } }',
      {
        input: {
          title: 'データ入力',
          category: 'DATA_ENTRY',
          clientId: randomUUID(),
          volume: 10,
          volumeUnit: 'UNITS',
          payModel: 'PER_UNIT',
          rate: 30,
          ...input,
        },
      },
      asAdmin(),
    );

  it.each([
    ['a NUL byte in the description', { description: 'a\u0000b' }, 'input.description'],
    [
      'a NUL byte in a required skill code',
      { requiredSkills: [{ skillCode: 'data\u0000entry', minimumLevel: 2 }] },
      'input.requiredSkills.0.skillCode',
    ],
    ['a description over 5000 characters', { description: 'x'.repeat(5001) }, 'input.description'],
  ])('refuses %s before anything is written', async (_label, input, field) => {
    const before = await countRows(hub.sql, 'work_order');
    expectRefused(await post(input), field);
    expect(await countRows(hub.sql, 'work_order')).toBe(before);
  });
});

describe('list sizes and connection arguments', () => {
  it.each([
    [`{ workOrders(first: ${PAGE_SIZE_MAX + 1}) { edges { cursor } } }`, 'first'],
    [`{ workers(first: ${PAGE_SIZE_MAX + 1}) { edges { cursor } } }`, 'first'],
    [
      `{ _entities(representations: [{ __typename: "Organization", id: "${randomUUID()}" }]) {
        ... on Organization { workOrders(first: ${PAGE_SIZE_MAX + 1}) { totalCount } } } }`,
      'first',
    ],
    ['{ workOrders(last: -1) { edges { cursor } } }', 'last'],
    ['{ workOrders(first: 1, last: 1) { edges { cursor } } }', 'last'],
    ['{ workOrders(after: "not a cursor") { edges { cursor } } }', 'after'],
    ['{ workers(after: "not a cursor") { edges { cursor } } }', 'after'],
  ])('refuses %s as BAD_USER_INPUT on %s', async (query, field) => {
    expectRefused(await hub.graphql(query, undefined, asAdmin()), field);
  });
});
