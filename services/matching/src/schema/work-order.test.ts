import { randomUUID } from 'node:crypto';
import { createInProcessBus, type EventBus, type EventEnvelope } from '@hub/event-bus';
import type { Identity } from '@hub/service-kit';
import { asAdmin, asMember, asPartner, sendGraphQL, waitFor } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  countRows,
  silentLogger,
  startTestService,
  type TestService,
} from '../../test/support/matching-service.js';
import { seedDemoData } from '../app.js';

const WORK_ORDER_FIELDS = `
  id title description category volume volumeUnit payModel rate deadline requiresOnSite status
  client { id } receivingCentre { id } requiredSkills { skillCode minimumLevel } createdAt updatedAt`;

const POST = `mutation Post($input: PostWorkOrderInput!) {
  postWorkOrder(input: $input) {
    __typename
    ... on PostWorkOrderSuccess { workOrder { ${WORK_ORDER_FIELDS} } }
    ... on Error { code message messageEn field }
  }
}`;

/** postWorkOrder's payload: the success's order, or a typed error. */
type TPostPayload = {
  __typename: string;
  workOrder: TWorkOrder;
  code?: string;
  message?: string;
  messageEn?: string;
  field?: string | null;
};

type TWorkOrder = {
  id: string;
  title: string;
  client: { id: string };
  receivingCentre: { id: string } | null;
  requiredSkills: { skillCode: string; minimumLevel: number }[];
  [field: string]: unknown;
};

function orderInput(overrides: Record<string, unknown> = {}) {
  return {
    title: 'データ入力業務',
    description: 'アンケート 2,000 件の入力',
    category: 'DATA_ENTRY',
    clientId: randomUUID(),
    receivingCentreId: randomUUID(),
    volume: 2000,
    volumeUnit: 'UNITS',
    payModel: 'PER_UNIT',
    rate: 30,
    deadline: new Date(Date.now() + 7 * 24 * 3_600_000).toISOString(),
    requiresOnSite: true,
    requiredSkills: [
      { skillCode: 'data-entry', minimumLevel: 3 },
      { skillCode: 'office-processing', minimumLevel: 2 },
    ],
    ...overrides,
  };
}

describe('WorkOrder over HTTP (real Postgres, in-process bus)', () => {
  let bus: EventBus;
  let hub: TestService;
  const posted: EventEnvelope[] = [];

  beforeAll(async () => {
    bus = createInProcessBus({ logger: silentLogger });
    await bus.subscribe({
      consumer: 'test-work-order-posted',
      types: ['matching.work-order.posted'],
      handler: async (event) => {
        posted.push(event);
      },
    });
    hub = await startTestService(bus);
  });

  afterAll(async () => {
    await hub?.close();
    await bus?.close();
  });

  // A hub admin may post for any organisation; who else may is tested below.
  const admin = asAdmin();
  async function post(input: Record<string, unknown>, identity: Identity | null = admin) {
    return hub.graphql<{ postWorkOrder: TPostPayload }>(POST, { input }, identity);
  }

  it('posts an order, writes its event through the outbox, and reads it back', async () => {
    const input = orderInput();
    const response = await post(input);
    expect(response.errors).toBeUndefined();
    const order = response.data!.postWorkOrder.workOrder;
    expect(order).toMatchObject({
      title: input.title,
      category: 'DATA_ENTRY',
      volume: 2000,
      volumeUnit: 'UNITS',
      payModel: 'PER_UNIT',
      rate: 30,
      deadline: input.deadline,
      requiresOnSite: true,
      status: 'OPEN',
      client: { id: input.clientId },
      receivingCentre: { id: input.receivingCentreId },
    });
    expect(order.requiredSkills).toEqual([
      { skillCode: 'data-entry', minimumLevel: 3 },
      { skillCode: 'office-processing', minimumLevel: 2 },
    ]);

    const outbox = await hub.sql.query(
      `SELECT type, subject, payload FROM outbox_event WHERE subject = $1`,
      [order.id],
    );
    expect(outbox.rows).toHaveLength(1);
    expect(outbox.rows[0]).toMatchObject({
      type: 'matching.work-order.posted',
      payload: {
        source: 'matching',
        data: {
          workOrderId: order.id,
          clientId: input.clientId,
          title: input.title,
          category: 'data-entry',
        },
      },
    });
    // The relay publishes it: a consumer on the bus receives exactly this event.
    const delivered = await waitFor(() => posted.find((event) => event.subject === order.id), {
      message: 'the posted event on the bus',
    });
    expect(delivered.id).toBe(outbox.rows[0].payload.id);

    const byId = await hub.graphql<{ workOrder: TWorkOrder }>(
      `query ($id: ID!) { workOrder(id: $id) { ${WORK_ORDER_FIELDS} } }`,
      { id: order.id },
    );
    expect(byId.data?.workOrder).toEqual(order);

    const listed = await hub.graphql<{
      workOrders: { totalCount: number; nodes: { id: string }[] };
      paged: { edges: { node: { id: string } }[] };
      otherCategory: { totalCount: number };
    }>(
      `query ($clientId: ID!) {
        workOrders(filter: { clientId: $clientId, status: OPEN, category: DATA_ENTRY }) {
          totalCount nodes { id }
        }
        paged: workOrders(first: 5, filter: { clientId: $clientId }) { edges { node { id } } }
        otherCategory: workOrders(filter: { clientId: $clientId, category: DESIGN }) { totalCount }
      }`,
      { clientId: input.clientId },
    );
    expect(listed.data?.workOrders).toEqual({ totalCount: 1, nodes: [{ id: order.id }] });
    expect(listed.data?.paged.edges).toEqual([{ node: { id: order.id } }]);
    expect(listed.data?.otherCategory).toEqual({ totalCount: 0 });
  });

  it('defaults optional fields (no centre, no deadline, off site, no skills)', async () => {
    const response = await post(
      orderInput({
        receivingCentreId: null,
        deadline: undefined,
        requiresOnSite: undefined,
        requiredSkills: undefined,
        description: '  ',
      }),
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.postWorkOrder.workOrder).toMatchObject({
      description: null,
      receivingCentre: null,
      deadline: null,
      requiresOnSite: false,
      requiredSkills: [],
    });
  });

  // Domain rules (zod in work-order-fields.ts): a typed InvalidInputError naming the input path.
  // [case, input overrides, field, code (default BAD_USER_INPUT)]
  const invalid: [string, Record<string, unknown>, string, string?][] = [
    ['an empty title', { title: '   ' }, 'title'],
    ['zero volume', { volume: 0 }, 'volume'],
    ['a negative volume', { volume: -5 }, 'volume'],
    ['a negative rate', { rate: -1 }, 'rate'],
    ['a rate of zero', { rate: 0 }, 'rate'],
    ['zero hours per unit', { hoursPerUnit: 0 }, 'hoursPerUnit'],
    ['negative hours per unit', { hoursPerUnit: -1 }, 'hoursPerUnit'],
    // Each would round to 0.00 in DECIMAL(7,2) and break its > 0 check (once an internal error).
    ['hours per unit of 1e-7', { hoursPerUnit: 1e-7 }, 'hoursPerUnit'],
    ['hours per unit of 2e-9', { hoursPerUnit: 2e-9 }, 'hoursPerUnit'],
    ['hours per unit of 1e-320', { hoursPerUnit: 1e-320 }, 'hoursPerUnit'],
    ['hours per unit of 0.005', { hoursPerUnit: 0.005 }, 'hoursPerUnit'],
    ['hours per unit with 3 decimals', { hoursPerUnit: 1.234 }, 'hoursPerUnit'],
    [
      'a role given twice',
      {
        roles: [
          { role: 'WORKER', count: 2 },
          { role: 'WORKER', count: 1 },
        ],
      },
      'roles',
    ],
    ['a role of nobody', { roles: [{ role: 'LEADER', count: 0 }] }, 'roles.0.count'],
    [
      'a minimum level of 0',
      { requiredSkills: [{ skillCode: 'design', minimumLevel: 0 }] },
      'requiredSkills.0.minimumLevel',
    ],
    [
      'a minimum level of 6',
      { requiredSkills: [{ skillCode: 'design', minimumLevel: 6 }] },
      'requiredSkills.0.minimumLevel',
    ],
    [
      'an empty skill code',
      { requiredSkills: [{ skillCode: ' ', minimumLevel: 2 }] },
      'requiredSkills.0.skillCode',
    ],
    [
      'a duplicated skill code',
      {
        requiredSkills: [
          { skillCode: 'design', minimumLevel: 2 },
          { skillCode: 'design', minimumLevel: 3 },
        ],
      },
      'requiredSkills.1.skillCode',
    ],
    [
      'a deadline in the past',
      { deadline: new Date(Date.now() - 60_000).toISOString() },
      'deadline',
      'DEADLINE_IN_PAST',
    ],
    [
      'a deadline in the year 9999',
      { deadline: '9999-12-31T00:00:00.000Z' },
      'deadline',
      'DEADLINE_TOO_FAR',
    ],
    [
      'a deadline a day over 5 years ahead',
      { deadline: new Date(Date.now() + (5 * 366 + 1) * 24 * 3_600_000).toISOString() },
      'deadline',
      'DEADLINE_TOO_FAR',
    ],
    [
      'an hourly rate on a volume of units',
      { payModel: 'HOURLY', volumeUnit: 'UNITS' },
      'volumeUnit',
    ],
  ];

  const rowCounts = () =>
    Promise.all([
      countRows(hub.sql, 'work_order'),
      countRows(hub.sql, 'work_order_skill'),
      countRows(hub.sql, 'outbox_event'),
    ]);

  it.each(invalid)(
    'answers %s with a typed InvalidInputError and writes nothing',
    async (_name, overrides, field, code = 'BAD_USER_INPUT') => {
      const before = await rowCounts();
      const response = await post(orderInput(overrides));
      expect(response.errors).toBeUndefined();
      const payload = response.data!.postWorkOrder;
      expect(payload).toMatchObject({
        __typename: 'InvalidInputError',
        code,
        field: `input.${field}`,
      });
      expect(payload.message).toMatch(/[ぁ-んァ-ヶ一-龠]/); // Japanese
      expect(payload.messageEn).not.toMatch(/[ぁ-んァ-ヶ一-龠]/);
      expect(await rowCounts()).toEqual(before);
    },
  );

  it.each([0.01, 0.07, 1.1, 2.5, 9999.99])(
    'accepts %p hours per unit (whole hundredths, as stored)',
    async (hoursPerUnit) => {
      const payload = (await post(orderInput({ hoursPerUnit }))).data!.postWorkOrder;
      expect(payload.__typename).toBe('PostWorkOrderSuccess');
    },
  );

  it('accepts a deadline just under 5 years ahead', async () => {
    const deadline = new Date(Date.now() + (5 * 365 - 1) * 24 * 3_600_000).toISOString();
    const payload = (await post(orderInput({ deadline }))).data!.postWorkOrder;
    expect(payload.__typename).toBe('PostWorkOrderSuccess');
  });

  // Refused by the kit at the schema boundary, before any rule runs: errors[], the whole path.
  it.each<[string, Record<string, unknown>, string]>([
    ['a title over 200 characters', { title: 'あ'.repeat(201) }, 'input.title'],
    ['a client id that is not a UUID', { clientId: 'acme' }, 'input.clientId'],
  ])('refuses %s in errors[] and writes nothing', async (_name, overrides, field) => {
    const before = await rowCounts();
    const response = await post(orderInput(overrides));
    expect(response.data).toBeNull();
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(response.errors![0]!.message).toMatch(/[ぁ-んァ-ヶ一-龠]/); // Japanese first
    expect(await rowCounts()).toEqual(before);
  });

  it('rejects a malformed id argument with BAD_USER_INPUT instead of an internal error', async () => {
    const response = await hub.graphql(`{ workOrder(id: "not-a-uuid") { id } }`);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it('resolves Organization.workOrders for 3 organizations with ONE SQL query', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    // a is client of two orders, b the centre of one of them, one order has a as its own centre.
    const first = (await post(orderInput({ clientId: a, receivingCentreId: b, title: 'first' })))
      .data!.postWorkOrder.workOrder;
    const second = (await post(orderInput({ clientId: a, receivingCentreId: a, title: 'second' })))
      .data!.postWorkOrder.workOrder;

    const before = hub.service.queryCount();
    const response = await hub.graphql<{
      _entities: {
        id: string;
        workOrders: { nodes: { id: string; title: string; client: { id: string } }[] };
      }[];
    }>(
      `query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on Organization { id workOrders { nodes { id title client { id } } } }
        }
      }`,
      { representations: [a, b, c].map((id) => ({ __typename: 'Organization', id })) },
    );
    const queries = hub.service.queryCount() - before;

    expect(response.errors).toBeUndefined();
    expect(queries).toBe(1);
    const [forA, forB, forC] = response.data!._entities;
    expect(forA!.workOrders.nodes.map((order) => order.id).sort()).toEqual(
      [first.id, second.id].sort(),
    );
    expect(forB!.workOrders.nodes).toEqual([{ id: first.id, title: 'first', client: { id: a } }]);
    expect(forC!.workOrders.nodes).toEqual([]);
  });

  it('resolves WorkOrder references in one batch, with their skills in one more', async () => {
    const orders = await Promise.all([1, 2, 3].map((n) => post(orderInput({ title: `ref ${n}` }))));
    const ids = orders.map((response) => response.data!.postWorkOrder.workOrder.id);
    const before = hub.service.queryCount();
    const response = await hub.graphql<{ _entities: ({ id: string; title: string } | null)[] }>(
      `query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on WorkOrder { id title requiredSkills { skillCode } }
        }
      }`,
      {
        representations: [...ids, randomUUID(), 'not-a-uuid'].map((id) => ({
          __typename: 'WorkOrder',
          id,
        })),
      },
    );
    expect(hub.service.queryCount() - before).toBe(2);
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities.map((entity) => entity?.title ?? null)).toEqual([
      'ref 1',
      'ref 2',
      'ref 3',
      null,
      null,
    ]);
  });

  it('refuses GraphQL that does not come through the gateway', async () => {
    const response = await sendGraphQL(hub.service.url, '{ workOrders { totalCount } }');
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('validates the workers filter', async () => {
    const response = await hub.graphql(
      `{ workers(filter: { municipalityCode: "123456" }) { nodes { memberId } } }`,
      undefined,
      admin,
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_MUNICIPALITY_CODE',
      field: 'filter.municipalityCode',
    });
  });

  it('loads the demo data idempotently: created once, with one posted event each', async () => {
    const prisma = { databaseUrl: hub.database.url };
    // No demo people known here (no members' events): the flow's 6 steps wait for them
    // (the flow itself: domain/demo/seed-demo-flow.test.ts).
    expect(await seedDemoData(prisma)).toEqual({
      workOrders: { created: 4, updated: 0 },
      helpRequests: { created: 1, updated: 0 },
      demoFlow: { steps: 0, pending: 6 },
    });
    expect(await seedDemoData(prisma)).toEqual({
      workOrders: { created: 0, updated: 4 },
      helpRequests: { created: 0, updated: 1 },
      demoFlow: { steps: 0, pending: 6 },
    });
    // The demo help request, announced once.
    const helpRequestId = '8384104b-15c2-546e-9a48-c8f3c7ea451d';
    expect(
      await countRows(
        hub.sql,
        'outbox_event',
        "subject = $1 AND type = 'matching.help-request.opened'",
        [helpRequestId],
      ),
    ).toBe(1);
    const demoId = '2cd3ec5b-31aa-5c29-9d9c-d03b2248c893';
    expect(await countRows(hub.sql, 'outbox_event', 'subject = $1', [demoId])).toBe(1);
    const response = await hub.graphql<{ workOrder: TWorkOrder }>(
      `query ($id: ID!) { workOrder(id: $id) { ${WORK_ORDER_FIELDS} } }`,
      { id: demoId },
    );
    expect(response.data?.workOrder).toMatchObject({
      title: 'データ入力業務（東京本社より）',
      category: 'DATA_ENTRY',
      payModel: 'PER_UNIT',
      volumeUnit: 'UNITS',
      rate: 30,
      volume: 2000,
      client: { id: '8eb775e1-557f-5af8-a389-c24e784d4ea6' },
      receivingCentre: { id: '8eb775e1-557f-5af8-a389-c24e784d4ea6' },
    });
  });
  describe('who may post', () => {
    const [clientId, centreId] = [randomUUID(), randomUUID()];
    const staffOf = (organizationId: string) =>
      asMember(randomUUID(), { staffOf: [{ organizationId, role: 'coordinator' }] });
    const rows = () =>
      Promise.all([
        countRows(hub.sql, 'work_order'),
        countRows(hub.sql, 'work_order_skill'),
        countRows(hub.sql, 'outbox_event'),
      ]);

    it.each<[string, string, Identity | null]>([
      ['an anonymous caller', 'UNAUTHENTICATED', null],
      ['a member without a staff role', 'FORBIDDEN', asMember(randomUUID())],
      ['staff of another organisation', 'FORBIDDEN', staffOf(randomUUID())],
      ['a partner key', 'FORBIDDEN', asPartner({ organizationId: clientId })],
    ])('refuses %s (%s) and writes nothing', async (_who, code, identity) => {
      const before = await rows();
      const response = await post(orderInput({ clientId, receivingCentreId: centreId }), identity);
      expect(response.data).toBeNull();
      expect(response.errors?.[0]?.extensions?.code).toBe(code);
      expect(response.errors?.[0]?.message).toMatch(/[ぁ-んァ-ヶ一-龠]/);
      expect(await rows()).toEqual(before);
    });

    it.each([
      ['staff of the client', clientId],
      ['staff of the receiving centre', centreId],
    ])('lets %s post the order', async (_who, organizationId) => {
      const response = await post(
        orderInput({ clientId, receivingCentreId: centreId }),
        staffOf(organizationId),
      );
      expect(response.errors).toBeUndefined();
      expect(response.data!.postWorkOrder.workOrder).toMatchObject({
        client: { id: clientId },
        receivingCentre: { id: centreId },
      });
    });

    it('leaves an order without a centre to the client’s staff (and admins)', async () => {
      const refused = await post(
        orderInput({ clientId, receivingCentreId: null }),
        staffOf(centreId),
      );
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const allowed = await post(
        orderInput({ clientId, receivingCentreId: null }),
        staffOf(clientId),
      );
      expect(allowed.errors).toBeUndefined();
    });

    it('keeps work orders’ public fields open to anonymous callers and partners', async () => {
      for (const identity of [null, asPartner(), asMember(randomUUID())]) {
        const response = await hub.graphql<{ workOrders: { nodes: unknown[] } }>(
          `query ($clientId: ID!) { workOrders(filter: { clientId: $clientId }) { nodes { ${WORK_ORDER_FIELDS} } } }`,
          { clientId },
          identity,
        );
        expect(response.errors).toBeUndefined();
        expect(response.data!.workOrders.nodes.length).toBeGreaterThan(0);
      }
    });
  });
});
