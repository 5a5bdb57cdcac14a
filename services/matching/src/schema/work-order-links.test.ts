import { randomUUID } from 'node:crypto';
import { createInProcessBus, type EventBus } from '@hub/event-bus';
import type { Identity } from '@hub/service-kit';
import { asAdmin, asMember, asPartner } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  countRows,
  silentLogger,
  startTestService,
  type TestService,
} from '../../test/support/matching-service.js';

// The client and receiving centre a work order names (docs/authorization.md, "Links that name
// another organisation"). The review's reproduction: staff of their own new organisation
// posted an order "from" a company (clientId) received by their own centre, and it was
// listed publicly as that company's order.

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

const staffOf = (organizationId: string, role: 'staff' | 'coordinator' | 'admin' = 'staff') =>
  asMember(randomUUID(), { staffOf: [{ organizationId, role }] });

const ORDER = `id status isConfirmed clientConfirmedAt receivingCentreConfirmedAt
  client { id } receivingCentre { id }`;

/** A mutation's payload: the success's work order, or a typed error. */
const RESULT = '__typename ... on Error { code message messageEn field }';

type TPayload = {
  __typename: string;
  workOrder: TOrder;
  code?: string;
  message?: string;
  messageEn?: string;
  field?: string | null;
};

type TOrder = {
  id: string;
  status: string;
  isConfirmed: boolean;
  clientConfirmedAt: string | null;
  receivingCentreConfirmedAt: string | null;
  client: { id: string };
  receivingCentre: { id: string } | null;
};

function orderInput(clientId: string, receivingCentreId: string | null) {
  return {
    title: '名簿のデータ入力',
    category: 'DATA_ENTRY',
    clientId,
    receivingCentreId,
    volume: 500,
    volumeUnit: 'UNITS',
    payModel: 'PER_UNIT',
    rate: 25,
  };
}

async function post(identity: Identity, clientId: string, centreId: string | null) {
  const response = await hub.graphql<{ postWorkOrder: TPayload }>(
    `mutation ($input: PostWorkOrderInput!) {
      postWorkOrder(input: $input) { ${RESULT} ... on PostWorkOrderSuccess { workOrder { ${ORDER} } } } }`,
    { input: orderInput(clientId, centreId) },
    identity,
  );
  expect(response.errors).toBeUndefined();
  return response.data!.postWorkOrder.workOrder;
}

const readOrder = (identity: Identity | null, id: string) =>
  hub.graphql<{ workOrder: TOrder | null }>(
    `query ($id: ID!) { workOrder(id: $id) { ${ORDER} } }`,
    { id },
    identity,
  );

const listed = async (identity: Identity | null, clientId: string) => {
  const response = await hub.graphql<{
    workOrders: { totalCount: number; edges: { node: { id: string } }[] };
  }>(
    `query ($clientId: ID!) {
      workOrders(first: 50, filter: { clientId: $clientId }) { totalCount edges { node { id } } }
    }`,
    { clientId },
    identity,
  );
  expect(response.errors).toBeUndefined();
  const ids = response.data!.workOrders.edges.map((edge) => edge.node.id);
  // totalCount counts what the page shows: pending orders in neither.
  expect(response.data!.workOrders.totalCount).toBe(ids.length);
  return ids;
};

type TOrganizationOrders = {
  id: string;
  workOrders?: { id: string }[];
  pendingWorkOrders?: TOrder[] | null;
};

/**
 * Organizations' lists of orders (`fields`: which, each `{ nodes { … } }`), each connection
 * given as its nodes — every order of these tests fits one page.
 */
const organizationOrders = async (
  identity: Identity | null,
  ids: string[],
  fields = 'workOrders { nodes { id } }',
) => {
  const response = await hub.graphql<{ _entities: Record<string, unknown>[] }>(
    `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { id ${fields} } } }`,
    { r: ids.map((id) => ({ __typename: 'Organization', id })) },
    identity,
  );
  const entities = response.data?._entities.map((entity) =>
    Object.fromEntries(
      Object.entries(entity).map(([field, value]) => [
        field,
        value && typeof value === 'object' ? (value as { nodes: unknown[] }).nodes : value,
      ]),
    ),
  ) as TOrganizationOrders[] | undefined;
  return { ...response, data: response.data && { _entities: entities! } };
};

/** A typed error of the payload: the family, its code, the input path and both languages. */
function expectTypedError(payload: TPayload, typename: string, code: string) {
  expect(payload).toMatchObject({ __typename: typename, code, field: 'input.workOrderId' });
  expect(payload.message).toMatch(/[ぁ-んァ-ヶ一-龠]/);
  expect(payload.messageEn).not.toMatch(/[ぁ-んァ-ヶ一-龠]/);
}

const postedEvents = (id: string) =>
  countRows(hub.sql, 'outbox_event', "subject = $1 AND type = 'matching.work-order.posted'", [id]);

const CONFIRM_CLIENT = `mutation ($input: ConfirmWorkOrderClientInput!) {
  confirmWorkOrderClient(input: $input) { ${RESULT} ... on ConfirmWorkOrderClientSuccess { workOrder { ${ORDER} } } } }`;
const DECLINE_CLIENT = `mutation ($input: DeclineWorkOrderClientInput!) {
  declineWorkOrderClient(input: $input) { ${RESULT} ... on DeclineWorkOrderClientSuccess { workOrder { ${ORDER} } } } }`;
const CONFIRM_CENTRE = `mutation ($input: ConfirmWorkOrderReceivingCentreInput!) {
  confirmWorkOrderReceivingCentre(input: $input) { ${RESULT} ... on ConfirmWorkOrderReceivingCentreSuccess { workOrder { ${ORDER} } } } }`;
const DECLINE_CENTRE = `mutation ($input: DeclineWorkOrderReceivingCentreInput!) {
  declineWorkOrderReceivingCentre(input: $input) { ${RESULT} ... on DeclineWorkOrderReceivingCentreSuccess { workOrder { ${ORDER} } } } }`;

describe('the review’s reproduction', () => {
  it('does not list an order as a company’s when the company never agreed', async () => {
    const [company, ownCentre] = [randomUUID(), randomUUID()];
    // Only fields that existed before the rule, so this also runs against the old schema.
    const response = await hub.graphql<{ postWorkOrder: { workOrder: { id: string } } }>(
      `mutation ($input: PostWorkOrderInput!) {
        postWorkOrder(input: $input) { ... on PostWorkOrderSuccess { workOrder { id } } } }`,
      { input: orderInput(company, ownCentre) },
      staffOf(ownCentre, 'admin'),
    );
    expect(response.errors).toBeUndefined();
    const { id } = response.data!.postWorkOrder.workOrder;
    expect(await listed(null, company)).not.toContain(id);
    const underCompany = await organizationOrders(null, [company]);
    expect(underCompany.data!._entities[0]!.workOrders).toEqual([]);
    const byId = await hub.graphql<{ workOrder: unknown }>(
      'query ($id: ID!) { workOrder(id: $id) { id } }',
      { id },
    );
    expect(byId.data!.workOrder).toBeNull();
    expect(await postedEvents(id)).toBe(0);
  });
});

describe('an order naming a client without its say', () => {
  const [company, centre] = [randomUUID(), randomUUID()];
  let order: TOrder;

  beforeAll(async () => {
    order = await post(staffOf(centre, 'coordinator'), company, centre);
  });

  it('is pending on the client’s side only', () => {
    expect(order).toMatchObject({
      status: 'OPEN',
      isConfirmed: false,
      clientConfirmedAt: null,
      receivingCentreConfirmedAt: expect.any(String),
      client: { id: company },
    });
  });

  it('is shown to both sides and hub admins, and to nobody else', async () => {
    for (const identity of [staffOf(centre), staffOf(company, 'coordinator'), asAdmin()]) {
      expect((await readOrder(identity, order.id)).data!.workOrder?.id).toBe(order.id);
      const pending = await organizationOrders(
        identity,
        [company, centre],
        'pendingWorkOrders { nodes { id } }',
      );
      const [forCompany, forCentre] = pending.data!._entities;
      // Each side lists it under its own organisation; staff of one side may not list the other's.
      const visible = [forCompany!.pendingWorkOrders, forCentre!.pendingWorkOrders].filter(Boolean);
      expect(visible.length).toBeGreaterThan(0);
      for (const list of visible) expect(list!.map((o) => o.id)).toContain(order.id);
    }
    for (const identity of [null, asMember(randomUUID()), staffOf(randomUUID()), asPartner()]) {
      expect((await readOrder(identity, order.id)).data!.workOrder).toBeNull();
      expect(await listed(identity, company)).not.toContain(order.id);
    }
    // The reference path (another subgraph naming the order) follows the same rule.
    const entity = (identity: Identity | null) =>
      hub.graphql<{ _entities: ({ id: string } | null)[] }>(
        'query ($r: [_Any!]!) { _entities(representations: $r) { ... on WorkOrder { id } } }',
        { r: [{ __typename: 'WorkOrder', id: order.id }] },
        identity,
      );
    expect((await entity(null)).data!._entities).toEqual([null]);
    expect((await entity(staffOf(company))).data!._entities).toEqual([{ id: order.id }]);
  });

  it('keeps pendingWorkOrders to the organisation’s staff and hub admins', async () => {
    for (const [identity, code] of [
      [null, 'UNAUTHENTICATED'],
      [asMember(randomUUID()), 'FORBIDDEN'],
      [staffOf(centre), 'FORBIDDEN'],
      [asPartner({ organizationId: company }), 'FORBIDDEN'],
    ] as const) {
      const response = await organizationOrders(
        identity,
        [company],
        'pendingWorkOrders { nodes { id } }',
      );
      expect(response.data!._entities[0]!.pendingWorkOrders).toBeNull();
      expect(response.errors?.[0]?.extensions?.code).toBe(code);
    }
  });

  it('may be answered only by the client’s admin or a hub admin', async () => {
    const input = { workOrderId: order.id };
    for (const [identity, code] of [
      [null, 'UNAUTHENTICATED'],
      [staffOf(company, 'coordinator'), 'FORBIDDEN'],
      [staffOf(centre, 'admin'), 'FORBIDDEN'],
      [asMember(randomUUID()), 'FORBIDDEN'],
    ] as const) {
      for (const mutation of [CONFIRM_CLIENT, DECLINE_CLIENT]) {
        const response = await hub.graphql(mutation, { input }, identity);
        expect(response.data).toBeNull();
        expect(response.errors?.[0]?.extensions?.code).toBe(code);
      }
    }
    expect((await readOrder(asAdmin(), order.id)).data!.workOrder?.isConfirmed).toBe(false);
  });

  it('takes effect once the client’s admin confirms: listed and announced once', async () => {
    const admin = staffOf(company, 'admin');
    const response = await hub.graphql<{ confirmWorkOrderClient: TPayload }>(
      CONFIRM_CLIENT,
      { input: { workOrderId: order.id } },
      admin,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.confirmWorkOrderClient.workOrder).toMatchObject({
      isConfirmed: true,
      clientConfirmedAt: expect.any(String),
    });
    expect(await listed(null, company)).toEqual([order.id]);
    const underBoth = await organizationOrders(null, [company, centre]);
    expect(underBoth.data!._entities.map((o) => o.workOrders!.map((w) => w.id))).toEqual([
      [order.id],
      [order.id],
    ]);
    expect((await readOrder(null, order.id)).data!.workOrder?.id).toBe(order.id);
    expect(await postedEvents(order.id)).toBe(1);
    const pending = await organizationOrders(
      admin,
      [company],
      'pendingWorkOrders { nodes { id } }',
    );
    expect(pending.data!._entities[0]!.pendingWorkOrders).toEqual([]);

    // Confirming again changes nothing (and announces nothing); declining now is a conflict.
    const again = await hub.graphql(CONFIRM_CLIENT, { input: { workOrderId: order.id } }, admin);
    expect(again.errors).toBeUndefined();
    expect(await postedEvents(order.id)).toBe(1);
    const decline = await hub.graphql<{ declineWorkOrderClient: TPayload }>(
      DECLINE_CLIENT,
      { input: { workOrderId: order.id } },
      admin,
    );
    expect(decline.errors).toBeUndefined();
    expectTypedError(decline.data!.declineWorkOrderClient, 'ConflictError', 'CONFLICT');
    // The order is untouched: still open and confirmed.
    expect((await readOrder(null, order.id)).data!.workOrder).toMatchObject({
      status: 'OPEN',
      isConfirmed: true,
    });
  });
});

describe('an order naming a receiving centre without its say', () => {
  it('waits for the centre; declining cancels it and it never becomes public', async () => {
    const [company, centre] = [randomUUID(), randomUUID()];
    const order = await post(staffOf(company), company, centre);
    expect(order).toMatchObject({
      isConfirmed: false,
      clientConfirmedAt: expect.any(String),
      receivingCentreConfirmedAt: null,
    });
    const pending = await organizationOrders(
      staffOf(centre),
      [centre],
      'pendingWorkOrders { nodes { id } }',
    );
    expect(pending.data!._entities[0]!.pendingWorkOrders!.map((o) => o.id)).toContain(order.id);

    const response = await hub.graphql<{ declineWorkOrderReceivingCentre: TPayload }>(
      DECLINE_CENTRE,
      { input: { workOrderId: order.id } },
      staffOf(centre, 'admin'),
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.declineWorkOrderReceivingCentre.workOrder).toMatchObject({
      status: 'CANCELLED',
      isConfirmed: false,
    });
    expect(await listed(null, company)).not.toContain(order.id);
    expect((await readOrder(null, order.id)).data!.workOrder).toBeNull();
    // The poster still finds it, cancelled; it has left the lists of what awaits an answer.
    expect((await readOrder(staffOf(company), order.id)).data!.workOrder?.status).toBe('CANCELLED');
    const after = await organizationOrders(
      asAdmin(),
      [company, centre],
      'pendingWorkOrders { nodes { id } }',
    );
    expect(after.data!._entities.map((o) => o.pendingWorkOrders)).toEqual([[], []]);
    expect(await postedEvents(order.id)).toBe(0);

    const confirm = await hub.graphql<{ confirmWorkOrderReceivingCentre: TPayload }>(
      CONFIRM_CENTRE,
      { input: { workOrderId: order.id } },
      staffOf(centre, 'admin'),
    );
    expect(confirm.errors).toBeUndefined();
    expectTypedError(confirm.data!.confirmWorkOrderReceivingCentre, 'ConflictError', 'CONFLICT');
    expect(await postedEvents(order.id)).toBe(0);
    expect((await readOrder(asAdmin(), order.id)).data!.workOrder).toMatchObject({
      status: 'CANCELLED',
      receivingCentreConfirmedAt: null,
    });
  });
});

describe('links that take effect at once', () => {
  it('counts both sides when the poster is staff of both', async () => {
    const [company, centre] = [randomUUID(), randomUUID()];
    const poster = asMember(randomUUID(), {
      staffOf: [
        { organizationId: company, role: 'staff' },
        { organizationId: centre, role: 'coordinator' },
      ],
    });
    const order = await post(poster, company, centre);
    expect(order.isConfirmed).toBe(true);
    expect(await listed(null, company)).toContain(order.id);
    expect(await postedEvents(order.id)).toBe(1);
  });

  it('counts every side a hub admin names', async () => {
    const [company, centre] = [randomUUID(), randomUUID()];
    const order = await post(asAdmin(), company, centre);
    expect(order.isConfirmed).toBe(true);
    expect(await postedEvents(order.id)).toBe(1);
  });

  it('counts an order without a centre once the client’s staff posts it', async () => {
    const company = randomUUID();
    const order = await post(staffOf(company), company, null);
    expect(order).toMatchObject({ isConfirmed: true, receivingCentreConfirmedAt: null });
  });
});

describe('answering with bad input', () => {
  it('leaves an id that is not a UUID to the kit: errors[], nothing run', async () => {
    const response = await hub.graphql(
      CONFIRM_CLIENT,
      { input: { workOrderId: 'not-a-uuid' } },
      asAdmin(),
    );
    expect(response.data).toBeNull();
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.workOrderId',
    });
    expect(response.errors?.[0]?.message).toMatch(/[ぁ-んァ-ヶ一-龠]/);
  });

  it.each([
    ['confirmWorkOrderClient', CONFIRM_CLIENT],
    ['declineWorkOrderReceivingCentre', DECLINE_CENTRE],
  ])('answers %s on an unknown work order with a NotFoundError', async (name, mutation) => {
    const before = await countRows(hub.sql, 'work_order');
    const response = await hub.graphql<Record<string, TPayload>>(
      mutation,
      { input: { workOrderId: randomUUID() } },
      asAdmin(),
    );
    expect(response.errors).toBeUndefined();
    expectTypedError(response.data![name]!, 'NotFoundError', 'NOT_FOUND');
    expect(await countRows(hub.sql, 'work_order')).toBe(before);
  });

  it('refuses to answer for a receiving centre an order does not have', async () => {
    const company = randomUUID();
    const order = await post(staffOf(company), company, null);
    const response = await hub.graphql<{ confirmWorkOrderReceivingCentre: TPayload }>(
      CONFIRM_CENTRE,
      { input: { workOrderId: order.id } },
      asAdmin(),
    );
    expect(response.errors).toBeUndefined();
    expectTypedError(response.data!.confirmWorkOrderReceivingCentre, 'NotFoundError', 'NOT_FOUND');
    // Anyone else gets the same refusal as for an order they may not answer.
    const stranger = await hub.graphql(
      CONFIRM_CENTRE,
      { input: { workOrderId: order.id } },
      staffOf(randomUUID(), 'admin'),
    );
    expect(stranger.data).toBeNull();
    expect(stranger.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('Organization.pendingWorkOrders', () => {
  it('answers several organisations with ONE SQL statement', async () => {
    const [company, centre, idle] = [randomUUID(), randomUUID(), randomUUID()];
    const order = await post(staffOf(centre), company, centre);
    const before = hub.service.queryCount();
    const response = await organizationOrders(
      asAdmin(),
      [company, centre, idle],
      'pendingWorkOrders { nodes { id } }',
    );
    expect(hub.service.queryCount() - before).toBe(1);
    expect(response.data!._entities.map((o) => o.pendingWorkOrders!.map((w) => w.id))).toEqual([
      [order.id],
      [order.id],
      [],
    ]);
  });
});
