import { randomUUID } from 'node:crypto';
import { todayInJapan } from '@hub/contracts';
import { createInProcessBus, type EventBus } from '@hub/event-bus';
import { municipalityCheckDigit } from '@hub/jp-codes';
import type { Identity } from '@hub/service-kit';
import { asAdmin, asMember } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  countRows,
  silentLogger,
  startTestService,
  type TestService,
} from '../../test/support/matching-service.js';
import {
  endRegistration,
  mutate,
  ORDER_FIELDS,
  postOrder,
  seedWorker,
  staffOf,
} from '../../test/support/work-orders.js';

// An order's life (statuses and who moves them) and delegation trees, over HTTP on a real
// Postgres: the transitions the design allows and no other, the remaining volume under
// concurrent delegations, and the tree's progress for its parties only.

type TOrder = {
  id: string;
  status: string;
  volume: number;
  remainingVolume: number | null;
  parent: { id: string } | null;
  root: { id: string } | null;
  children: { id: string }[];
};

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

const admin = asAdmin();

async function outboxOf(subject: string) {
  const result = await hub.sql.query<{ type: string; payload: { data: Record<string, unknown> } }>(
    'SELECT type, payload FROM outbox_event WHERE subject = $1 ORDER BY created_at, id',
    [subject],
  );
  return result.rows;
}

async function readOrder(id: string, identity: Identity | null = admin) {
  const response = await hub.graphql<{ workOrder: TOrder | null }>(
    `query ($id: ID!) { workOrder(id: $id) { ${ORDER_FIELDS} } }`,
    { id },
    identity,
  );
  return response;
}

const step = (name: string, workOrderId: string, identity: Identity | null = admin) =>
  mutate<{ workOrder: { id: string; status: string } }>(
    hub,
    name,
    { workOrderId },
    identity,
    'workOrder { id status }',
  );

describe('the life of a work order', () => {
  it('keeps a draft from everyone but its parties, and announces it when published', async () => {
    const order = await postOrder(hub, { draft: true });
    expect((await readOrder(order.id)).data!.workOrder!.status).toBe('DRAFT');
    expect(await outboxOf(order.id)).toEqual([]);
    // Public orders are read by anyone; a draft is not one.
    expect((await readOrder(order.id, asMember(randomUUID()))).data!.workOrder).toBeNull();
    expect((await readOrder(order.id, staffOf(order.clientId))).data!.workOrder).not.toBeNull();

    const published = await step('publishWorkOrder', order.id, staffOf(order.clientId));
    expect(published.payload).toMatchObject({ workOrder: { status: 'OPEN' } });
    const events = await outboxOf(order.id);
    expect(events.map((event) => event.type)).toEqual([
      'matching.work-order.status-changed',
      'matching.work-order.posted',
    ]);
    expect(events[0]!.payload.data).toMatchObject({
      workOrderId: order.id,
      rootId: order.id,
      from: 'draft',
      to: 'open',
    });
    expect((await readOrder(order.id, asMember(randomUUID()))).data!.workOrder).not.toBeNull();
  });

  it.each<[string, string, string]>([
    ['mark an OPEN order delivered', 'markWorkOrderDelivered', 'OPEN'],
    ['close an OPEN order', 'closeWorkOrder', 'OPEN'],
    ['publish an OPEN order', 'publishWorkOrder', 'OPEN'],
  ])('refuses to %s with INVALID_TRANSITION and changes nothing', async (_name, mutation) => {
    const order = await postOrder(hub);
    const before = await countRows(hub.sql, 'outbox_event');
    const { payload } = await step(mutation, order.id);
    expect(payload).toMatchObject({
      __typename: 'ConflictError',
      code: 'INVALID_TRANSITION',
      field: 'input.workOrderId',
    });
    expect(payload.message).toContain('OPEN');
    expect((await readOrder(order.id)).data!.workOrder!.status).toBe('OPEN');
    expect(await countRows(hub.sql, 'outbox_event')).toBe(before);
  });

  it('cancels an open order once; a cancelled one cannot be cancelled or published', async () => {
    const order = await postOrder(hub);
    const cancelled = await step('cancelWorkOrder', order.id, staffOf(order.centreId));
    expect(cancelled.payload).toMatchObject({ workOrder: { status: 'CANCELLED' } });
    for (const mutation of ['cancelWorkOrder', 'publishWorkOrder', 'closeWorkOrder']) {
      const { payload } = await step(mutation, order.id);
      expect(payload).toMatchObject({ code: 'INVALID_TRANSITION' });
    }
  });

  it('cancelling withdraws the open assignments and cancels the open children, all the way down', async () => {
    const order = await postOrder(hub, { volume: 100 });
    const partner = randomUUID();
    // 1 hour a week over the order's 2 weeks: an offer of 2 hours takes all of a worker's time.
    const seed = (organizationId: string) =>
      seedWorker(hub.sql, { hoursPerWeek: 1, organizationIds: [organizationId] });
    const [offered, accepted, declined, done] = [
      await seed(order.centreId),
      await seed(order.centreId),
      await seed(order.centreId),
      await seed(order.centreId),
    ];
    const onChild = await seed(partner);
    const offerOn = async (workOrderId: string, memberId: string) =>
      (
        await mutate<{ assignment: { id: string } }>(
          hub,
          'offerAssignment',
          { workOrderId, memberId, role: 'WORKER', volume: 2 },
          admin,
          'assignment { id }',
        )
      ).payload.assignment.id;
    const answerAs = (name: string, assignmentId: string, memberId: string) =>
      mutate(hub, name, { assignmentId }, asMember(memberId), 'assignment { id }');
    const ids = {
      offered: await offerOn(order.id, offered),
      accepted: await offerOn(order.id, accepted),
      declined: await offerOn(order.id, declined),
      done: await offerOn(order.id, done),
    };
    await answerAs('acceptAssignment', ids.accepted, accepted);
    await answerAs('declineAssignment', ids.declined, declined);
    await answerAs('acceptAssignment', ids.done, done);
    await answerAs('startAssignment', ids.done, done);
    await mutate(
      hub,
      'completeAssignment',
      { assignmentId: ids.done, deliveredVolume: 2 },
      admin,
      'assignment { id }',
    );
    const child = (
      await delegate({ workOrderId: order.id, partnerOrganizationId: partner, volume: 30 })
    ).payload.workOrder.id;
    await mutate(
      hub,
      'confirmWorkOrderReceivingCentre',
      { workOrderId: child },
      staffOf(partner, 'admin'),
      'workOrder { id }',
    );
    const childOffer = await offerOn(child, onChild);
    const grandchild = (
      await delegate({ workOrderId: child, partnerOrganizationId: randomUUID(), volume: 5 })
    ).payload.workOrder.id;
    // The worker has no hours left for more work.
    const elsewhere = await postOrder(hub, { receivingCentreId: order.centreId });
    const full = await mutate(
      hub,
      'offerAssignment',
      { workOrderId: elsewhere.id, memberId: offered, role: 'WORKER', volume: 2 },
      admin,
      'assignment { id }',
    );
    expect(full.payload).toMatchObject({ code: 'OVER_CAPACITY' });

    const cancelled = await step('cancelWorkOrder', order.id, staffOf(order.clientId));
    expect(cancelled.payload).toMatchObject({ workOrder: { status: 'CANCELLED' } });

    const statuses = await hub.sql.query<{ id: string; status: string }>(
      'SELECT id::text, status::text FROM work_order WHERE id = ANY($1::uuid[])',
      [[child, grandchild]],
    );
    expect(statuses.rows.map((row) => row.status)).toEqual(['cancelled', 'cancelled']);
    const assignments = await hub.graphql<{
      workOrder: { assignments: { nodes: { id: string; status: string }[] } };
    }>(
      `query ($id: ID!) { workOrder(id: $id) { assignments(first: 10) { nodes { id status } } } }`,
      { id: order.id },
      admin,
    );
    expect(assignments.errors).toBeUndefined();
    const statusOf = Object.fromEntries(
      assignments.data!.workOrder.assignments.nodes.map((node) => [node.id, node.status]),
    );
    expect(statusOf).toEqual({
      [ids.offered]: 'WITHDRAWN',
      [ids.accepted]: 'WITHDRAWN',
      [ids.declined]: 'DECLINED',
      [ids.done]: 'DONE',
    });
    expect(
      await countRows(hub.sql, 'assignment', "id = $1 AND status = 'withdrawn'", [childOffer]),
    ).toBe(1);
    // Announced in the same transaction: each withdrawal, each child's move.
    for (const id of [ids.offered, ids.accepted, childOffer]) {
      expect((await outboxOf(id)).map((event) => event.type)).toContain(
        'matching.assignment.withdrawn',
      );
    }
    for (const id of [child, grandchild]) {
      const moves = (await outboxOf(id)).filter(
        (event) => event.type === 'matching.work-order.status-changed',
      );
      expect(moves.at(-1)!.payload.data).toMatchObject({ to: 'cancelled', rootId: order.id });
    }
    // The hours are free again, and the ranking hears of it.
    const freed = await mutate(
      hub,
      'offerAssignment',
      { workOrderId: elsewhere.id, memberId: offered, role: 'WORKER', volume: 2 },
      admin,
      'assignment { id }',
    );
    expect(freed.payload.__typename).toBe('OfferAssignmentSuccess');
    expect(
      await countRows(hub.sql, 'ranking_change', 'member_id = $1', [onChild]),
    ).toBeGreaterThanOrEqual(2);
  });

  it('lets only the parties move an order: others FORBIDDEN, anonymous UNAUTHENTICATED', async () => {
    const order = await postOrder(hub);
    const stranger = await step('cancelWorkOrder', order.id, staffOf(randomUUID()));
    expect(stranger.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await step('cancelWorkOrder', order.id, null);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // The client's staff may cancel, but marking delivered is the centre's.
    const client = await step('markWorkOrderDelivered', order.id, staffOf(order.clientId));
    expect(client.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await readOrder(order.id)).data!.workOrder!.status).toBe('OPEN');
  });

  it('answers an unknown order with NOT_FOUND', async () => {
    const { payload } = await step('cancelWorkOrder', randomUUID());
    expect(payload).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
  });
});

const DELEGATED = 'workOrder { id status volume parent { id } root { id } }';

function delegate(input: Record<string, unknown>, identity: Identity | null = admin) {
  return mutate<{ workOrder: TOrder }>(hub, 'delegateWorkOrder', input, identity, DELEGATED);
}

describe('delegation', () => {
  it('passes a share to a partner with its leader, who distributes it further', async () => {
    const order = await postOrder(hub, { volume: 100 });
    const partner = randomUUID();
    const leader = await seedWorker(hub.sql, { hoursPerWeek: 40, organizationIds: [partner] });
    const { payload } = await delegate(
      {
        workOrderId: order.id,
        partnerOrganizationId: partner,
        volume: 30,
        leaderMemberId: leader,
        note: 'ナウアーズでお願いします',
      },
      staffOf(order.centreId),
    );
    expect(payload.__typename).toBe('DelegateWorkOrderSuccess');
    const child = payload.workOrder;
    expect(child).toMatchObject({
      status: 'OPEN',
      volume: 30,
      parent: { id: order.id },
      root: { id: order.id },
    });
    const parent = (await readOrder(order.id)).data!.workOrder!;
    expect(parent.remainingVolume).toBe(70);
    expect(parent.children).toEqual([{ id: child.id }]);

    // The centre's staff do not speak for the partner: the part awaits its admin (the
    // organisation-link rule), and is announced once confirmed.
    const events = await outboxOf(child.id);
    expect(events.map((event) => event.type)).toEqual(['matching.work-order.delegated']);
    const confirmed = await mutate(
      hub,
      'confirmWorkOrderReceivingCentre',
      { workOrderId: child.id },
      staffOf(partner, 'admin'),
      'workOrder { id isConfirmed }',
    );
    expect(confirmed.payload).toMatchObject({ workOrder: { isConfirmed: true } });
    expect((await outboxOf(child.id)).map((event) => event.type)).toEqual([
      'matching.work-order.delegated',
      'matching.work-order.posted',
    ]);
    expect(events[0]!.payload.data).toEqual({
      workOrderId: child.id,
      parentId: order.id,
      rootId: order.id,
      clientId: order.clientId,
      partnerOrganizationId: partner,
      volume: 30,
      volumeUnit: 'hours',
      leaderMemberId: leader,
    });

    // The leader delegates again and offers work on the child.
    const further = await delegate(
      { workOrderId: child.id, partnerOrganizationId: randomUUID(), volume: 10 },
      asMember(leader),
    );
    expect(further.payload.workOrder).toMatchObject({
      parent: { id: child.id },
      root: { id: order.id },
    });
    const worker = await seedWorker(hub.sql, { hoursPerWeek: 40, organizationIds: [partner] });
    const offered = await mutate(
      hub,
      'offerAssignment',
      { workOrderId: child.id, memberId: worker, role: 'WORKER', volume: 15 },
      asMember(leader),
      'assignment { id }',
    );
    expect(offered.payload.__typename).toBe('OfferAssignmentSuccess');
    const childNow = (await readOrder(child.id)).data!.workOrder!;
    expect(childNow).toMatchObject({ status: 'ASSIGNING', remainingVolume: 5 });

    // Nobody else leads it: another member of the partner cannot distribute it.
    const other = await seedWorker(hub.sql, { hoursPerWeek: 40, organizationIds: [partner] });
    const refused = await delegate(
      { workOrderId: child.id, partnerOrganizationId: randomUUID(), volume: 1 },
      asMember(other),
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('gives a delegated FIXED order its share of the fee, which is what its work pays', async () => {
    const order = await postOrder(hub, { volume: 30, payModel: 'FIXED', rate: 100_000 });
    const partner = randomUUID();
    const { payload } = await delegate({
      workOrderId: order.id,
      partnerOrganizationId: partner,
      volume: 10,
    });
    const childId = payload.workOrder.id;
    // 100,000 yen × 10 / 30, rounded down: the partner sees the fee of its share, not the whole.
    const read = await hub.graphql<{ workOrder: { rate: number; payModel: string } }>(
      `query ($id: ID!) { workOrder(id: $id) { rate payModel } }`,
      { id: childId },
      admin,
    );
    expect(read.data!.workOrder).toEqual({ rate: 33_333, payModel: 'FIXED' });
    // Another level divides the child's fee again.
    const grandchild = await delegate({
      workOrderId: childId,
      partnerOrganizationId: randomUUID(),
      volume: 3,
    });
    const grandRate = await hub.sql.query<{ rate: number }>(
      'SELECT rate FROM work_order WHERE id = $1',
      [grandchild.payload.workOrder.id],
    );
    expect(grandRate.rows[0]!.rate).toBe(9_999);
    // An hourly rate holds for any share.
    const hourly = await postOrder(hub, { volume: 30, rate: 1_200 });
    const hourlyChild = await delegate({
      workOrderId: hourly.id,
      partnerOrganizationId: randomUUID(),
      volume: 10,
    });
    const hourlyRate = await hub.sql.query<{ rate: number }>(
      'SELECT rate FROM work_order WHERE id = $1',
      [hourlyChild.payload.workOrder.id],
    );
    expect(hourlyRate.rows[0]!.rate).toBe(1_200);

    // The 7 units left of the child, delivered, pay 7/10 of its share (once 70,000 yen, out of the
    // whole fee).
    await mutate(
      hub,
      'confirmWorkOrderReceivingCentre',
      { workOrderId: childId },
      staffOf(partner, 'admin'),
      'workOrder { id }',
    );
    const worker = await seedWorker(hub.sql, { hoursPerWeek: 40, organizationIds: [partner] });
    const firstFive = `8${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
    const code = `${firstFive}${municipalityCheckDigit(firstFive)}`;
    await hub.sql.query('UPDATE worker SET municipality_code = $2 WHERE member_id = $1', [
      worker,
      code,
    ]);
    const offered = await mutate<{ assignment: { id: string } }>(
      hub,
      'offerAssignment',
      { workOrderId: childId, memberId: worker, role: 'WORKER', volume: 7 },
      admin,
      'assignment { id }',
    );
    const assignmentId = offered.payload.assignment.id;
    await mutate(hub, 'acceptAssignment', { assignmentId }, asMember(worker), 'assignment { id }');
    await mutate(hub, 'startAssignment', { assignmentId }, admin, 'assignment { id }');
    const done = await mutate(
      hub,
      'completeAssignment',
      { assignmentId, deliveredVolume: 7 },
      admin,
      'assignment { id status }',
    );
    expect(done.payload).toMatchObject({ assignment: { status: 'DONE' } });
    const today = todayInJapan();
    const figures = await hub.graphql<{
      _entities: { workFigures: { payDeliveredYen: number } }[];
    }>(
      `query ($representations: [_Any!]!, $from: Date!, $to: Date!) {
         _entities(representations: $representations) {
           ... on Municipality { workFigures(from: $from, to: $to) { payDeliveredYen } }
         }
       }`,
      { representations: [{ __typename: 'Municipality', code }], from: today, to: today },
      admin,
    );
    expect(figures.errors).toBeUndefined();
    expect(figures.data!._entities[0]!.workFigures.payDeliveredYen).toBe(23_333);
  });

  it('refuses more than the remaining volume, naming it, and writes nothing', async () => {
    const order = await postOrder(hub, { volume: 50 });
    await delegate({ workOrderId: order.id, partnerOrganizationId: randomUUID(), volume: 20 });
    const before = await countRows(hub.sql, 'work_order');
    const { payload } = await delegate({
      workOrderId: order.id,
      partnerOrganizationId: randomUUID(),
      volume: 31,
    });
    expect(payload).toMatchObject({
      __typename: 'ConflictError',
      code: 'DELEGATION_EXCEEDS_REMAINING',
      field: 'input.volume',
    });
    expect(payload.message).toContain('30時間');
    expect(payload.messageEn).toContain('30 hours');
    expect(await countRows(hub.sql, 'work_order')).toBe(before);
  });

  it('refuses a leader who is not registered with the partner (NOT_ELIGIBLE)', async () => {
    const order = await postOrder(hub);
    const stranger = await seedWorker(hub.sql, { hoursPerWeek: 10, organizationIds: [] });
    const { payload } = await delegate({
      workOrderId: order.id,
      partnerOrganizationId: randomUUID(),
      volume: 5,
      leaderMemberId: stranger,
    });
    expect(payload).toMatchObject({ code: 'NOT_ELIGIBLE', field: 'input.leaderMemberId' });
  });

  it.each<[string, Record<string, unknown>]>([
    ['zero volume', { volume: 0 }],
    ['a negative volume', { volume: -3 }],
  ])('refuses %s as invalid input', async (_name, overrides) => {
    const order = await postOrder(hub);
    const { payload } = await delegate({
      workOrderId: order.id,
      partnerOrganizationId: randomUUID(),
      volume: 5,
      ...overrides,
    });
    expect(payload).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.volume' });
  });

  it('never hands on more than the remaining volume under 20 concurrent delegations', async () => {
    const order = await postOrder(hub, { volume: 100 });
    // 20 × 7 = 140 > 100: exactly 14 fit.
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        delegate({ workOrderId: order.id, partnerOrganizationId: randomUUID(), volume: 7 }),
      ),
    );
    const accepted = results.filter((r) => r.payload?.__typename === 'DelegateWorkOrderSuccess');
    const refused = results.filter((r) => r.payload?.__typename !== 'DelegateWorkOrderSuccess');
    expect(accepted.length * 7).toBeLessThanOrEqual(100);
    expect(accepted).toHaveLength(14);
    for (const refusal of refused) {
      expect(refusal.errors).toBeUndefined();
      expect(refusal.payload).toMatchObject({ code: 'DELEGATION_EXCEEDS_REMAINING' });
    }
    const sum = await hub.sql.query<{ sum: string }>(
      'SELECT sum(volume) AS sum FROM work_order WHERE parent_id = $1',
      [order.id],
    );
    expect(Number(sum.rows[0]!.sum)).toBe(98);
    expect((await readOrder(order.id)).data!.workOrder!.remainingVolume).toBe(2);
  });
});

const PROGRESS = `
  progress { volume delegated allocated accepted delivered }
  treeProgress { workOrder { id } organization { id } status volume allocated accepted delivered }`;

describe('progress of a tree', () => {
  it('gives each branch the totals of its whole subtree, for the parties only', async () => {
    const order = await postOrder(hub, { volume: 100 });
    const [partnerA, partnerB, partnerC] = [randomUUID(), randomUUID(), randomUUID()];
    const branchA = await delegate({
      workOrderId: order.id,
      partnerOrganizationId: partnerA,
      volume: 40,
    });
    const branchB = await delegate({
      workOrderId: order.id,
      partnerOrganizationId: partnerB,
      volume: 20,
    });
    const a = branchA.payload.workOrder.id;
    const b = branchB.payload.workOrder.id;
    const grandchild = await delegate({
      workOrderId: a,
      partnerOrganizationId: partnerC,
      volume: 15,
    });
    const c = grandchild.payload.workOrder.id;

    // Work on the root itself, in branch A, and in A's child C.
    const offerTo = async (workOrderId: string, organizationId: string, volume: number) => {
      const memberId = await seedWorker(hub.sql, {
        hoursPerWeek: 40,
        organizationIds: [organizationId],
      });
      const { payload } = await mutate<{ assignment: { id: string } }>(
        hub,
        'offerAssignment',
        { workOrderId, memberId, role: 'WORKER', volume },
        admin,
        'assignment { id }',
      );
      return { memberId, assignmentId: payload.assignment.id };
    };
    await offerTo(order.id, order.centreId, 10);
    const inA = await offerTo(a, partnerA, 12);
    const inC = await offerTo(c, partnerC, 8);
    for (const { memberId, assignmentId } of [inA, inC]) {
      await mutate(
        hub,
        'acceptAssignment',
        { assignmentId },
        asMember(memberId),
        'assignment { id }',
      );
      await mutate(
        hub,
        'startAssignment',
        { assignmentId },
        asMember(memberId),
        'assignment { id }',
      );
    }
    await mutate(
      hub,
      'completeAssignment',
      { assignmentId: inC.assignmentId, deliveredVolume: 7, rating: 4 },
      admin,
      'assignment { id }',
    );

    const read = (identity: Identity | null = admin) =>
      hub.graphql<{ workOrder: { progress: unknown; treeProgress: unknown[] | null } }>(
        `query ($id: ID!) { workOrder(id: $id) { ${PROGRESS} } }`,
        { id: order.id },
        identity,
      );
    const expected = {
      progress: { volume: 100, delegated: 60, allocated: 10, accepted: 0, delivered: 0 },
      treeProgress: [
        {
          workOrder: { id: a },
          organization: { id: partnerA },
          status: 'IN_PROGRESS',
          volume: 40,
          allocated: 20,
          accepted: 20,
          delivered: 7,
        },
        {
          workOrder: { id: b },
          organization: { id: partnerB },
          status: 'OPEN',
          volume: 20,
          allocated: 0,
          accepted: 0,
          delivered: 0,
        },
      ],
    };
    // The client's staff, the centre's, a partner's deep in the tree, hub admins.
    for (const identity of [
      admin,
      staffOf(order.clientId),
      staffOf(order.centreId),
      staffOf(partnerC),
    ]) {
      const response = await read(identity);
      expect(response.errors).toBeUndefined();
      expect(response.data!.workOrder).toEqual(expected);
    }
    // Anyone else reads the public order, but not its progress.
    for (const identity of [staffOf(randomUUID()), asMember(randomUUID())]) {
      const response = await read(identity);
      expect(response.data!.workOrder).toEqual({ progress: null, treeProgress: null });
      expect(response.errors?.map((error) => error.extensions?.code)).toEqual([
        'FORBIDDEN',
        'FORBIDDEN',
      ]);
    }
  });

  it('shows a leader the figures while registered with the partner, not after they left it', async () => {
    const root = await postOrder(hub, { volume: 50 });
    const partner = randomUUID();
    const leader = await seedWorker(hub.sql, { hoursPerWeek: 40, organizationIds: [partner] });
    const delegated = await delegate({
      workOrderId: root.id,
      partnerOrganizationId: partner,
      volume: 20,
      leaderMemberId: leader,
      note: '翻訳チーム',
    });
    const child = delegated.payload.workOrder.id;
    // The leader's part and the root above it, in one request (as the gateway batches them).
    const read = (identity: Identity) =>
      hub.graphql<{
        _entities: { remainingVolume: number | null; delegationNote: string | null }[];
      }>(
        `query ($representations: [_Any!]!) {
          _entities(representations: $representations) {
            ... on WorkOrder { remainingVolume delegationNote ${PROGRESS} }
          }
        }`,
        {
          representations: [root.id, child].map((id) => ({ __typename: 'WorkOrder', id })),
        },
        identity,
      );
    const staffRead = await read(staffOf(partner));
    expect(staffRead.errors).toBeUndefined();
    let before = hub.service.queryCount();
    await read(staffOf(partner));
    const staffStatements = hub.service.queryCount() - before;
    before = hub.service.queryCount();
    const current = await read(asMember(leader));
    // The leader's registrations: one statement for the whole request, not one per order.
    expect(hub.service.queryCount() - before).toBe(staffStatements + 1);
    expect(current.errors).toBeUndefined();
    expect(current.data!._entities).toEqual(staffRead.data!._entities);
    expect(current.data!._entities[1]).toMatchObject({
      remainingVolume: 20,
      delegationNote: '翻訳チーム',
    });

    await endRegistration(hub.sql, leader, partner);
    const former = await read(asMember(leader));
    expect(former.data!._entities).toEqual([
      { remainingVolume: null, delegationNote: null, progress: null, treeProgress: null },
      { remainingVolume: null, delegationNote: null, progress: null, treeProgress: null },
    ]);
    expect(new Set(former.errors?.map((error) => error.extensions?.code))).toEqual(
      new Set(['FORBIDDEN']),
    );
  });

  it('reads the progress of many orders with one statement per figure, not per order', async () => {
    const orders = await Promise.all([postOrder(hub), postOrder(hub), postOrder(hub)]);
    for (const order of orders) {
      const child = await delegate({
        workOrderId: order.id,
        partnerOrganizationId: randomUUID(),
        volume: 5,
      });
      await delegate({
        workOrderId: child.payload.workOrder.id,
        partnerOrganizationId: randomUUID(),
        volume: 2,
      });
    }
    const before = hub.service.queryCount();
    const response = await hub.graphql<{ _entities: { treeProgress: unknown[] }[] }>(
      `query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on WorkOrder { remainingVolume ${PROGRESS} }
        }
      }`,
      { representations: orders.map(({ id }) => ({ __typename: 'WorkOrder', id })) },
      admin,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities.map((entity) => entity.treeProgress)).toHaveLength(3);
    // The orders; remaining volumes; own progress; the recursive branch totals; the children.
    expect(hub.service.queryCount() - before).toBe(5);
  });
});

describe('Organization.workOrders', () => {
  it('filters an organisation’s orders by status and by the part it plays', async () => {
    const organization = randomUUID();
    const asClient = await postOrder(hub, { clientId: organization });
    const asCentre = await postOrder(hub, { receivingCentreId: organization });
    await step('cancelWorkOrder', asCentre.id);
    const parent = await postOrder(hub);
    const asPartner = await delegate({
      workOrderId: parent.id,
      partnerOrganizationId: organization,
      volume: 10,
    });
    // A draft is nobody's public order yet.
    await postOrder(hub, { clientId: organization, draft: true });

    const list = async (args: string) => {
      const response = await hub.graphql<{
        _entities: { workOrders: { totalCount: number; nodes: { id: string }[] } }[];
      }>(
        `query ($representations: [_Any!]!) {
          _entities(representations: $representations) {
            ... on Organization { workOrders${args} { totalCount nodes { id } } }
          }
        }`,
        { representations: [{ __typename: 'Organization', id: organization }] },
      );
      expect(response.errors).toBeUndefined();
      return response.data!._entities[0]!.workOrders.nodes.map((node) => node.id).sort();
    };
    const child = asPartner.payload.workOrder.id;
    expect(await list('')).toEqual([asClient.id, asCentre.id, child].sort());
    expect(await list('(role: CLIENT)')).toEqual([asClient.id]);
    expect(await list('(role: RECEIVING)')).toEqual([asCentre.id, child].sort());
    expect(await list('(status: CANCELLED)')).toEqual([asCentre.id]);
    expect(await list('(status: OPEN, role: RECEIVING)')).toEqual([child]);
  });

  it('pages in SQL: forward and backward, with the count, one statement a page', async () => {
    const organization = randomUUID();
    const ids: string[] = [];
    for (let n = 0; n < 5; n += 1) ids.push((await postOrder(hub, { clientId: organization })).id);
    const newestFirst = [...ids].reverse();
    type TPage = {
      totalCount: number;
      pageInfo: {
        hasNextPage: boolean;
        hasPreviousPage: boolean;
        endCursor: string;
        startCursor: string;
      };
      nodes: { id: string }[];
    };
    const page = async (args: string) => {
      const response = await hub.graphql<{ _entities: { workOrders: TPage }[] }>(
        `query ($representations: [_Any!]!) {
          _entities(representations: $representations) {
            ... on Organization { workOrders${args} {
              pageInfo { hasNextPage hasPreviousPage endCursor startCursor } nodes { id } } }
          }
        }`,
        { representations: [{ __typename: 'Organization', id: organization }] },
      );
      expect(response.errors).toBeUndefined();
      return response.data!._entities[0]!.workOrders;
    };
    const before = hub.service.queryCount();
    const first = await page('(first: 2)');
    expect(hub.service.queryCount() - before).toBe(1);
    expect(first.nodes.map((node) => node.id)).toEqual(newestFirst.slice(0, 2));
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = await page(`(first: 2, after: "${first.pageInfo.endCursor}")`);
    expect(second.nodes.map((node) => node.id)).toEqual(newestFirst.slice(2, 4));
    const third = await page(`(first: 2, after: "${second.pageInfo.endCursor}")`);
    expect(third.nodes.map((node) => node.id)).toEqual(newestFirst.slice(4));
    expect(third.pageInfo.hasNextPage).toBe(false);
    const back = await page(`(last: 2, before: "${third.pageInfo.startCursor}")`);
    expect(back.nodes.map((node) => node.id)).toEqual(newestFirst.slice(2, 4));
    expect(back.pageInfo.hasPreviousPage).toBe(true);

    const counted = await hub.graphql<{ _entities: { workOrders: { totalCount: number } }[] }>(
      `query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on Organization { workOrders(first: 1) { totalCount } }
        }
      }`,
      { representations: [{ __typename: 'Organization', id: organization }] },
    );
    expect(counted.data!._entities[0]!.workOrders.totalCount).toBe(5);
  });
});
