import { randomUUID } from 'node:crypto';
import { createInProcessBus, type EventBus } from '@hub/event-bus';
import type { Identity } from '@hub/service-kit';
import { asAdmin, asMember } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  countRows,
  silentLogger,
  startTestService,
  type TestService,
} from '../../test/support/matching-service.js';
import { isWaiting, openTransaction } from '../../test/support/racing-transaction.js';
import {
  endRegistration,
  leaseSatelliteOffice,
  mutate,
  postOrder,
  registerWith,
  seedWorker,
  staffOf,
} from '../../test/support/work-orders.js';

// Assignments over HTTP on a real Postgres: who may be offered work (eligibility, capacity,
// the order's remaining volume), answers, the order moving with them, team roles, the lists
// each caller sees, and concurrent offers and acceptances that never over-allocate.

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
const ASSIGNMENT = 'assignment { id status role allocatedVolume deliveredVolume rating }';

type TAssignment = {
  id: string;
  status: string;
  role: string;
  allocatedVolume: number;
  deliveredVolume: number | null;
  rating: number | null;
};

function offer(input: Record<string, unknown>, identity: Identity | null = admin) {
  return mutate<{ assignment: TAssignment }>(
    hub,
    'offerAssignment',
    { role: 'WORKER', ...input },
    identity,
    ASSIGNMENT,
  );
}

function answer(name: string, input: Record<string, unknown>, identity: Identity | null) {
  return mutate<{ assignment: TAssignment }>(hub, name, input, identity, ASSIGNMENT);
}

async function orderStatus(id: string) {
  const result = await hub.sql.query<{ status: string }>(
    'SELECT status FROM work_order WHERE id = $1',
    [id],
  );
  return result.rows[0]!.status;
}

async function outboxTypes(subject: string) {
  const result = await hub.sql.query<{ type: string }>(
    'SELECT type FROM outbox_event WHERE subject = $1 ORDER BY created_at, id',
    [subject],
  );
  return result.rows.map((row) => row.type);
}

const rankingNotes = (memberId: string) =>
  countRows(hub.sql, 'ranking_change', 'member_id = $1', [memberId]);

describe('an assignment from offer to done', () => {
  it('moves the order OPEN → ASSIGNING → IN_PROGRESS → DELIVERED → CLOSED with its work', async () => {
    const order = await postOrder(hub, { volume: 40 });
    const worker = await seedWorker(hub.sql, {
      hoursPerWeek: 20,
      organizationIds: [order.centreId],
    });
    const coordinator = staffOf(order.centreId);

    const offered = await offer(
      { workOrderId: order.id, memberId: worker, volume: 16 },
      coordinator,
    );
    expect(offered.payload).toMatchObject({
      __typename: 'OfferAssignmentSuccess',
      assignment: { status: 'OFFERED', role: 'WORKER', allocatedVolume: 16 },
    });
    const id = offered.payload.assignment.id;
    expect(await orderStatus(order.id)).toBe('assigning');

    // Delivering with an open offer is refused.
    const early = await mutate(
      hub,
      'markWorkOrderDelivered',
      { workOrderId: order.id },
      coordinator,
      'workOrder { id }',
    );
    expect(early.payload).toMatchObject({ code: 'INVALID_TRANSITION' });

    const accepted = await answer('acceptAssignment', { assignmentId: id }, asMember(worker));
    expect(accepted.payload.assignment.status).toBe('ACCEPTED');
    expect(await orderStatus(order.id)).toBe('in-progress');

    const open = await mutate(
      hub,
      'markWorkOrderDelivered',
      { workOrderId: order.id },
      coordinator,
      'workOrder { id }',
    );
    expect(open.payload).toMatchObject({ __typename: 'ConflictError', code: 'OPEN_ASSIGNMENTS' });

    const started = await answer('startAssignment', { assignmentId: id }, asMember(worker));
    expect(started.payload.assignment.status).toBe('IN_PROGRESS');
    // Only the distributors complete work: not the worker.
    const byWorker = await answer(
      'completeAssignment',
      { assignmentId: id, deliveredVolume: 16 },
      asMember(worker),
    );
    expect(byWorker.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const tooMuch = await answer(
      'completeAssignment',
      { assignmentId: id, deliveredVolume: 17 },
      coordinator,
    );
    expect(tooMuch.payload).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.deliveredVolume',
    });
    const badRating = await answer(
      'completeAssignment',
      { assignmentId: id, deliveredVolume: 16, rating: 6 },
      coordinator,
    );
    expect(badRating.payload).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.rating' });
    const done = await answer(
      'completeAssignment',
      { assignmentId: id, deliveredVolume: 15, rating: 5 },
      coordinator,
    );
    expect(done.payload.assignment).toMatchObject({
      status: 'DONE',
      deliveredVolume: 15,
      rating: 5,
    });

    for (const step of ['markWorkOrderDelivered', 'closeWorkOrder']) {
      const moved = await mutate(
        hub,
        step,
        { workOrderId: order.id },
        coordinator,
        'workOrder { status }',
      );
      expect(moved.payload.__typename).toMatch(/Success$/);
    }
    expect(await orderStatus(order.id)).toBe('closed');

    expect(await outboxTypes(id)).toEqual([
      'matching.assignment.offered',
      'matching.assignment.accepted',
      'matching.assignment.completed',
    ]);
    expect(await outboxTypes(order.id)).toEqual([
      'matching.work-order.posted',
      'matching.work-order.status-changed',
      'matching.work-order.status-changed',
      'matching.work-order.status-changed',
      'matching.work-order.status-changed',
    ]);
    // Offer, acceptance and completion each noted the worker for the ranking index.
    expect(await rankingNotes(worker)).toBe(3);
  });

  it('lets only the member answer, once: twice is ALREADY_ANSWERED', async () => {
    const order = await postOrder(hub);
    const worker = await seedWorker(hub.sql, {
      hoursPerWeek: 20,
      organizationIds: [order.centreId],
    });
    const { payload } = await offer({ workOrderId: order.id, memberId: worker, volume: 5 });
    const id = payload.assignment.id;

    // Answering is the member's own: anyone else, a hub admin too, finds no such offer.
    for (const identity of [asMember(randomUUID()), admin]) {
      const other = await answer('acceptAssignment', { assignmentId: id }, identity);
      expect(other.payload).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    }
    const anonymous = await answer('acceptAssignment', { assignmentId: id }, null);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const declined = await answer('declineAssignment', { assignmentId: id }, asMember(worker));
    expect(declined.payload.assignment.status).toBe('DECLINED');
    for (const name of ['acceptAssignment', 'declineAssignment']) {
      const again = await answer(name, { assignmentId: id }, asMember(worker));
      expect(again.payload).toMatchObject({
        __typename: 'ConflictError',
        code: 'ALREADY_ANSWERED',
        field: 'input.assignmentId',
      });
    }
    expect(await outboxTypes(id)).toEqual([
      'matching.assignment.offered',
      'matching.assignment.declined',
    ]);
    // A declined offer gives its volume back.
    const read = await hub.graphql<{ workOrder: { remainingVolume: number } }>(
      'query ($id: ID!) { workOrder(id: $id) { remainingVolume } }',
      { id: order.id },
      admin,
    );
    expect(read.data!.workOrder.remainingVolume).toBe(100);
  });
});

describe('who may be offered work', () => {
  it('refuses a worker not registered with the receiving organisation (NOT_ELIGIBLE)', async () => {
    const order = await postOrder(hub);
    const elsewhere = await seedWorker(hub.sql, {
      hoursPerWeek: 40,
      organizationIds: [randomUUID()],
    });
    const unknown = randomUUID();
    for (const memberId of [elsewhere, unknown]) {
      const { payload } = await offer({ workOrderId: order.id, memberId, volume: 5 });
      expect(payload).toMatchObject({ code: 'NOT_ELIGIBLE', field: 'input.memberId' });
    }
    expect(await countRows(hub.sql, 'assignment', 'work_order_id = $1', [order.id])).toBe(0);
    expect(await orderStatus(order.id)).toBe('open');
  });

  it('refuses a worker or reviewer holding none of the required skills at their level, as the ranking does', async () => {
    const order = await postOrder(hub, {
      requiredSkills: [
        { skillCode: 'data-entry', minimumLevel: 3 },
        { skillCode: 'excel', minimumLevel: 2 },
      ],
    });
    const worker = (skills: { code: string; level: number }[]) =>
      seedWorker(hub.sql, { hoursPerWeek: 40, organizationIds: [order.centreId], skills });
    const none = await worker([]);
    const tooLow = await worker([
      { code: 'data-entry', level: 2 },
      { code: 'excel', level: 1 },
    ]);
    for (const memberId of [none, tooLow]) {
      for (const role of ['WORKER', 'REVIEWER']) {
        const { payload } = await offer({ workOrderId: order.id, memberId, role, volume: 1 });
        expect(payload).toMatchObject({ code: 'NOT_ELIGIBLE', field: 'input.memberId' });
        expect(payload.message).toContain('必要スキル (data-entry 3+, excel 2+)');
        expect(payload.messageEn).toBe(
          'the worker holds none of the order’s required skills at its minimum level: data-entry 3+, excel 2+',
        );
      }
    }
    // One of the required skills at its level is enough (orders are split among workers).
    const partly = await worker([{ code: 'excel', level: 2 }]);
    const offered = await offer({ workOrderId: order.id, memberId: partly, volume: 1 });
    expect(offered.payload.__typename).toBe('OfferAssignmentSuccess');
    // A leader coordinates rather than doing the work: the order's skills do not bind them.
    const lead = await offer({ workOrderId: order.id, memberId: none, role: 'LEADER', volume: 1 });
    expect(lead.payload.__typename).toBe('OfferAssignmentSuccess');
  });

  it('offers a confidential order only to workers allowed into the client’s office', async () => {
    const order = await postOrder(hub, { requiresOnSite: true });
    const worker = await seedWorker(hub.sql, {
      hoursPerWeek: 40,
      organizationIds: [order.centreId],
    });
    const refused = await offer({ workOrderId: order.id, memberId: worker, volume: 5 });
    expect(refused.payload).toMatchObject({ code: 'NOT_ELIGIBLE' });
    expect(refused.payload.messageEn).toContain('confidential');
    // Registered with the client, but the client holds no satellite office yet.
    await registerWith(hub.sql, worker, order.clientId);
    const noOffice = await offer({ workOrderId: order.id, memberId: worker, volume: 5 });
    expect(noOffice.payload).toMatchObject({ code: 'NOT_ELIGIBLE' });
    await leaseSatelliteOffice(hub.sql, order.clientId);
    const offered = await offer({ workOrderId: order.id, memberId: worker, volume: 5 });
    expect(offered.payload.__typename).toBe('OfferAssignmentSuccess');
  });

  it('refuses an offer over the worker’s remaining hours, with the numbers (OVER_CAPACITY)', async () => {
    // 10 hours a week; deadline in 14 days: a 2-week period, 20 hours.
    const centre = randomUUID();
    const worker = await seedWorker(hub.sql, { hoursPerWeek: 10, organizationIds: [centre] });
    const first = await postOrder(hub, { receivingCentreId: centre });
    const second = await postOrder(hub, { receivingCentreId: centre });
    expect(
      (await offer({ workOrderId: first.id, memberId: worker, volume: 15 })).payload.__typename,
    ).toBe('OfferAssignmentSuccess');
    const over = await offer({ workOrderId: second.id, memberId: worker, volume: 6 });
    expect(over.payload).toMatchObject({ __typename: 'ConflictError', code: 'OVER_CAPACITY' });
    expect(over.payload.messageEn).toBe(
      'over the worker’s capacity: 6 hours asked, 5 of 20 hours left for the period, 15 allocated',
    );
    expect(
      (await offer({ workOrderId: second.id, memberId: worker, volume: 5 })).payload.__typename,
    ).toBe('OfferAssignmentSuccess');
  });

  it('weighs units by hoursPerUnit, and a worker without stated hours has none', async () => {
    const order = await postOrder(hub, {
      volume: 1000,
      volumeUnit: 'UNITS',
      payModel: 'PER_UNIT',
      rate: 30,
      hoursPerUnit: 0.25,
    });
    // 8 hours a week × 2 weeks = 16 hours = 64 units at 0.25 h.
    const worker = await seedWorker(hub.sql, {
      hoursPerWeek: 8,
      organizationIds: [order.centreId],
    });
    expect(
      (await offer({ workOrderId: order.id, memberId: worker, volume: 65 })).payload.code,
    ).toBe('OVER_CAPACITY');
    expect(
      (await offer({ workOrderId: order.id, memberId: worker, volume: 64 })).payload.__typename,
    ).toBe('OfferAssignmentSuccess');
    const silent = await seedWorker(hub.sql, {
      hoursPerWeek: null,
      organizationIds: [order.centreId],
    });
    expect((await offer({ workOrderId: order.id, memberId: silent, volume: 1 })).payload.code).toBe(
      'OVER_CAPACITY',
    );
  });

  it('refuses more than the order’s remaining volume (ALLOCATION_EXCEEDS_REMAINING)', async () => {
    const order = await postOrder(hub, { volume: 10 });
    const worker = await seedWorker(hub.sql, {
      hoursPerWeek: 40,
      organizationIds: [order.centreId],
    });
    const { payload } = await offer({ workOrderId: order.id, memberId: worker, volume: 11 });
    expect(payload).toMatchObject({ code: 'ALLOCATION_EXCEEDS_REMAINING', field: 'input.volume' });
    expect(payload.messageEn).toContain('10 hours');
  });

  it('lets only the receiving centre’s staff, the leader and hub admins offer', async () => {
    const order = await postOrder(hub);
    const worker = await seedWorker(hub.sql, {
      hoursPerWeek: 40,
      organizationIds: [order.centreId],
    });
    for (const identity of [staffOf(order.clientId), staffOf(randomUUID()), asMember(worker)]) {
      const { errors } = await offer(
        { workOrderId: order.id, memberId: worker, volume: 1 },
        identity,
      );
      expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const anonymous = await offer({ workOrderId: order.id, memberId: worker, volume: 1 }, null);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a leader whose registration with the partner ended: offering, completing, listing', async () => {
    const root = await postOrder(hub, { volume: 50 });
    const partner = randomUUID();
    const leader = await seedWorker(hub.sql, { hoursPerWeek: 40, organizationIds: [partner] });
    const worker = await seedWorker(hub.sql, { hoursPerWeek: 40, organizationIds: [partner] });
    const child = await mutate<{ workOrder: { id: string } }>(
      hub,
      'delegateWorkOrder',
      { workOrderId: root.id, partnerOrganizationId: partner, volume: 20, leaderMemberId: leader },
      admin,
      'workOrder { id }',
    );
    const workOrderId = child.payload.workOrder.id;
    const first = await offer({ workOrderId, memberId: worker, volume: 4 }, asMember(leader));
    expect(first.payload.__typename).toBe('OfferAssignmentSuccess');
    const assignmentId = first.payload.assignment.id;
    await answer('acceptAssignment', { assignmentId }, asMember(worker));
    await answer('startAssignment', { assignmentId }, asMember(worker));

    await endRegistration(hub.sql, leader, partner);
    const again = await offer({ workOrderId, memberId: worker, volume: 4 }, asMember(leader));
    expect(again.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const complete = await answer(
      'completeAssignment',
      { assignmentId, deliveredVolume: 4 },
      asMember(leader),
    );
    expect(complete.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const listed = await hub.graphql<{
      workOrder: { assignments: { edges: { node: { id: string } }[] } };
    }>(
      'query ($id: ID!) { workOrder(id: $id) { assignments { edges { node { id } } } } }',
      { id: workOrderId },
      asMember(leader),
    );
    expect(listed.data?.workOrder.assignments.edges).toEqual([]);
    expect(await countRows(hub.sql, 'assignment', 'work_order_id = $1', [workOrderId])).toBe(1);
  });

  it('refuses offers on a draft or cancelled order (INVALID_TRANSITION)', async () => {
    const draft = await postOrder(hub, { draft: true });
    const worker = await seedWorker(hub.sql, {
      hoursPerWeek: 40,
      organizationIds: [draft.centreId],
    });
    const { payload } = await offer({ workOrderId: draft.id, memberId: worker, volume: 1 });
    expect(payload).toMatchObject({ code: 'INVALID_TRANSITION' });
  });
});

describe('against a member erasure in flight', () => {
  it('waits for the erasure and then refuses the erased worker (NOT_ELIGIBLE), writing no offer', async () => {
    const order = await postOrder(hub, { volume: 10 });
    const worker = await seedWorker(hub.sql, {
      hoursPerWeek: 40,
      organizationIds: [order.centreId],
    });
    // What the erasure does, under the member's lock, not yet committed.
    const erasure = await openTransaction(hub.sql);
    await erasure.lockMember(worker);
    await erasure.client.query('DELETE FROM worker WHERE member_id = $1', [worker]);
    await erasure.client.query(
      "DELETE FROM assignment WHERE member_id = $1 AND status = 'offered'",
      [worker],
    );
    const pending = offer({ workOrderId: order.id, memberId: worker, volume: 5 });
    // Without the lock the offer saw the worker row still committed and wrote an offer naming
    // a member the erasure had already passed.
    expect(await isWaiting(pending)).toBe(true);
    await erasure.commit();
    const { payload } = await pending;
    expect(payload).toMatchObject({ code: 'NOT_ELIGIBLE', field: 'input.memberId' });
    expect(await countRows(hub.sql, 'assignment', 'member_id = $1', [worker])).toBe(0);
    expect(await orderStatus(order.id)).toBe('open');
  });

  it('answers NOT_FOUND, not an internal error, when the erasure deletes the offer being answered', async () => {
    const order = await postOrder(hub, { volume: 10 });
    const worker = await seedWorker(hub.sql, {
      hoursPerWeek: 40,
      organizationIds: [order.centreId],
    });
    const offered = await offer({ workOrderId: order.id, memberId: worker, volume: 5 });
    const assignmentId = offered.payload.assignment.id;
    // Holds the order row, as an offer would: the answer reads the assignment, then waits here.
    const erasure = await openTransaction(hub.sql);
    await erasure.client.query('SELECT 1 FROM work_order WHERE id = $1 FOR UPDATE', [order.id]);
    const pending = answer('acceptAssignment', { assignmentId }, asMember(worker));
    expect(await isWaiting(pending)).toBe(true);
    await erasure.client.query('DELETE FROM assignment WHERE id = $1', [assignmentId]);
    await erasure.commit();
    const { payload, errors } = await pending;
    expect(errors).toBeUndefined();
    expect(payload).toMatchObject({ code: 'NOT_FOUND', field: 'input.assignmentId' });
  });
});

describe('team orders', () => {
  it('fills declared roles and says what is still open', async () => {
    const order = await postOrder(hub, {
      roles: [
        { role: 'LEADER', count: 1, skillCodes: ['web-site-building'] },
        { role: 'WORKER', count: 2 },
      ],
    });
    const seed = () => seedWorker(hub.sql, { hoursPerWeek: 40, organizationIds: [order.centreId] });
    const [leader, a, b] = [await seed(), await seed(), await seed()];
    const leading = await offer({
      workOrderId: order.id,
      memberId: leader,
      role: 'LEADER',
      volume: 10,
    });
    await answer(
      'acceptAssignment',
      { assignmentId: leading.payload.assignment.id },
      asMember(leader),
    );
    await offer({ workOrderId: order.id, memberId: a, volume: 10 });
    const second = await offer({ workOrderId: order.id, memberId: b, role: 'LEADER', volume: 10 });
    expect(second.payload).toMatchObject({ code: 'CONFLICT', field: 'input.role' });
    const reviewer = await offer({
      workOrderId: order.id,
      memberId: b,
      role: 'REVIEWER',
      volume: 1,
    });
    expect(reviewer.payload).toMatchObject({ code: 'CONFLICT', field: 'input.role' });

    const read = await hub.graphql<{ workOrder: { roles: unknown[]; openRoles: unknown[] } }>(
      `query ($id: ID!) { workOrder(id: $id) {
        roles { role count skillCodes } openRoles { role count filled offered open } } }`,
      { id: order.id },
      staffOf(order.clientId),
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.workOrder).toEqual({
      roles: [
        { role: 'LEADER', count: 1, skillCodes: ['web-site-building'] },
        { role: 'WORKER', count: 2, skillCodes: [] },
      ],
      openRoles: [
        { role: 'LEADER', count: 1, filled: 1, offered: 0, open: 0 },
        { role: 'WORKER', count: 2, filled: 0, offered: 1, open: 1 },
      ],
    });
  });

  it('refuses a worker or reviewer holding none of their role’s skills; a leader is not bound', async () => {
    const order = await postOrder(hub, {
      requiredSkills: [
        { skillCode: 'translation-en', minimumLevel: 3 },
        { skillCode: 'excel', minimumLevel: 1 },
      ],
      roles: [
        { role: 'LEADER', count: 1, skillCodes: ['project-management'] },
        { role: 'WORKER', count: 3, skillCodes: ['translation-en', 'translation-zh'] },
        { role: 'REVIEWER', count: 1, skillCodes: ['proofreading'] },
      ],
    });
    const worker = (skills: { code: string; level: number }[]) =>
      seedWorker(hub.sql, { hoursPerWeek: 40, organizationIds: [order.centreId], skills });
    // Meets the order (excel) but none of the worker role's skills: a code the order requires
    // keeps its minimum level (translation-en 3+), any other is met at any level.
    const excelOnly = await worker([
      { code: 'excel', level: 5 },
      { code: 'translation-en', level: 2 },
    ]);
    const refused = await offer({ workOrderId: order.id, memberId: excelOnly, volume: 1 });
    expect(refused.payload).toMatchObject({ code: 'NOT_ELIGIBLE', field: 'input.memberId' });
    expect(refused.payload.message).toContain(
      '役割「WORKER」のスキル (translation-en 3+, translation-zh 1+)',
    );
    expect(refused.payload.messageEn).toBe(
      'the worker holds none of the WORKER role’s skills at the level needed: translation-en 3+, translation-zh 1+',
    );
    // The same worker reviews nothing without proofreading.
    const review = await offer({
      workOrderId: order.id,
      memberId: excelOnly,
      role: 'REVIEWER',
      volume: 1,
    });
    expect(review.payload).toMatchObject({ code: 'NOT_ELIGIBLE', field: 'input.memberId' });
    expect(review.payload.messageEn).toBe(
      'the worker holds none of the REVIEWER role’s skills at the level needed: proofreading 1+',
    );
    // One of the role's skills is enough: translation-en at the order's level, or translation-zh
    // (which the order does not require) at level 1.
    const en = await worker([{ code: 'translation-en', level: 3 }]);
    const zh = await worker([
      { code: 'excel', level: 1 },
      { code: 'translation-zh', level: 1 },
    ]);
    for (const memberId of [en, zh]) {
      const offered = await offer({ workOrderId: order.id, memberId, volume: 1 });
      expect(offered.payload.__typename).toBe('OfferAssignmentSuccess');
    }
    // The order's own skills still apply: the role's alone are not enough.
    const zhOnly = await worker([{ code: 'translation-zh', level: 5 }]);
    const notOrder = await offer({ workOrderId: order.id, memberId: zhOnly, volume: 1 });
    expect(notOrder.payload.messageEn).toContain('none of the order’s required skills');
    const reviewer = await worker([
      { code: 'excel', level: 1 },
      { code: 'proofreading', level: 1 },
    ]);
    const reviewing = await offer({
      workOrderId: order.id,
      memberId: reviewer,
      role: 'REVIEWER',
      volume: 1,
    });
    expect(reviewing.payload.__typename).toBe('OfferAssignmentSuccess');
    // A leader coordinates: neither the order's skills nor the role's bind them.
    const leader = await worker([]);
    const leading = await offer({
      workOrderId: order.id,
      memberId: leader,
      role: 'LEADER',
      volume: 1,
    });
    expect(leading.payload.__typename).toBe('OfferAssignmentSuccess');
  });
});

describe('lists of assignments', () => {
  it('shows the member all of theirs, a coordinator those of their orders, others nothing', async () => {
    const [centreA, centreB] = [randomUUID(), randomUUID()];
    const worker = await seedWorker(hub.sql, {
      hoursPerWeek: 40,
      organizationIds: [centreA, centreB],
    });
    const orderA = await postOrder(hub, { receivingCentreId: centreA });
    const orderB = await postOrder(hub, { receivingCentreId: centreB });
    const inA = (await offer({ workOrderId: orderA.id, memberId: worker, volume: 3 })).payload
      .assignment.id;
    const inB = (await offer({ workOrderId: orderB.id, memberId: worker, volume: 4 })).payload
      .assignment.id;

    const list = (identity: Identity | null) =>
      hub.graphql<{
        _entities: { assignments: { totalCount: number; nodes: { id: string }[] } | null }[];
      }>(
        `query ($representations: [_Any!]!) {
          _entities(representations: $representations) {
            ... on Member { assignments { totalCount nodes { id } } }
          }
        }`,
        { representations: [{ __typename: 'Member', id: worker }] },
        identity,
      );
    const ids = async (identity: Identity | null) =>
      (await list(identity)).data!._entities[0]!.assignments!.nodes.map((node) => node.id).sort();
    expect(await ids(asMember(worker))).toEqual([inA, inB].sort());
    expect(await ids(admin)).toEqual([inA, inB].sort());
    expect(await ids(staffOf(centreA))).toEqual([inA]);
    expect(await ids(staffOf(orderA.clientId))).toEqual([]);
    expect(await ids(asMember(randomUUID()))).toEqual([]);
    const anonymous = await list(null);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    // WorkOrder.assignments: all for the centre, the member's own for the member.
    const ofOrder = (identity: Identity) =>
      hub.graphql<{ workOrder: { assignments: { nodes: { id: string }[] } } }>(
        'query ($id: ID!) { workOrder(id: $id) { assignments { nodes { id } } } }',
        { id: orderA.id },
        identity,
      );
    expect((await ofOrder(staffOf(centreA))).data!.workOrder.assignments.nodes).toEqual([
      { id: inA },
    ]);
    expect((await ofOrder(asMember(worker))).data!.workOrder.assignments.nodes).toEqual([
      { id: inA },
    ]);
    expect((await ofOrder(staffOf(orderA.clientId))).data!.workOrder.assignments.nodes).toEqual([]);
  });
});

describe('under contention', () => {
  it('never allocates more than the order has under 20 concurrent offers', async () => {
    const order = await postOrder(hub, { volume: 100 });
    const workers = await Promise.all(
      Array.from({ length: 20 }, () =>
        seedWorker(hub.sql, { hoursPerWeek: 40, organizationIds: [order.centreId] }),
      ),
    );
    // 20 × 8 = 160 > 100: exactly 12 fit.
    const results = await Promise.all(
      workers.map((memberId) => offer({ workOrderId: order.id, memberId, volume: 8 })),
    );
    const accepted = results.filter((r) => r.payload?.__typename === 'OfferAssignmentSuccess');
    expect(accepted).toHaveLength(12);
    for (const refused of results.filter(
      (r) => r.payload?.__typename !== 'OfferAssignmentSuccess',
    )) {
      expect(refused.errors).toBeUndefined();
      expect(refused.payload).toMatchObject({ code: 'ALLOCATION_EXCEEDS_REMAINING' });
    }
    const sum = await hub.sql.query<{ sum: string }>(
      'SELECT sum(allocated_volume) AS sum FROM assignment WHERE work_order_id = $1',
      [order.id],
    );
    expect(Number(sum.rows[0]!.sum)).toBe(96);
    // One status change to ASSIGNING, however many offers raced for it.
    expect((await outboxTypes(order.id)).filter((t) => t.endsWith('status-changed'))).toHaveLength(
      1,
    );
  });

  it('never exceeds a worker’s capacity under 20 concurrent offers on different orders', async () => {
    const centre = randomUUID();
    // 20 hours a week × 2 weeks = 40 hours: 8 offers of 5 hours fit.
    const worker = await seedWorker(hub.sql, { hoursPerWeek: 20, organizationIds: [centre] });
    const orders = await Promise.all(
      Array.from({ length: 20 }, () => postOrder(hub, { receivingCentreId: centre })),
    );
    const results = await Promise.all(
      orders.map(({ id }) => offer({ workOrderId: id, memberId: worker, volume: 5 })),
    );
    const accepted = results.filter((r) => r.payload?.__typename === 'OfferAssignmentSuccess');
    expect(accepted).toHaveLength(8);
    for (const refused of results.filter(
      (r) => r.payload?.__typename !== 'OfferAssignmentSuccess',
    )) {
      expect(refused.errors).toBeUndefined();
      expect(refused.payload).toMatchObject({ code: 'OVER_CAPACITY' });
    }
    const hours = await hub.sql.query<{ sum: string }>(
      'SELECT sum(allocated_hours) AS sum FROM assignment WHERE member_id = $1',
      [worker],
    );
    expect(Number(hours.rows[0]!.sum)).toBe(40);
  });

  it('takes 20 concurrent acceptances once each, moving the order once', async () => {
    const order = await postOrder(hub, { volume: 100 });
    const workers = await Promise.all(
      Array.from({ length: 20 }, () =>
        seedWorker(hub.sql, { hoursPerWeek: 40, organizationIds: [order.centreId] }),
      ),
    );
    const offers = [];
    for (const memberId of workers) {
      offers.push({
        memberId,
        ...(await offer({ workOrderId: order.id, memberId, volume: 5 })).payload,
      });
    }
    // Each worker accepts twice at once: one wins, the other is told it was answered.
    const results = await Promise.all(
      offers.flatMap(({ memberId, assignment }) => [
        answer('acceptAssignment', { assignmentId: assignment.id }, asMember(memberId)),
        answer('acceptAssignment', { assignmentId: assignment.id }, asMember(memberId)),
      ]),
    );
    const codes = results.map((r) => r.payload?.code ?? r.payload?.__typename);
    expect(codes.filter((code) => code === 'AcceptAssignmentSuccess')).toHaveLength(20);
    expect(codes.filter((code) => code === 'ALREADY_ANSWERED')).toHaveLength(20);
    expect(await orderStatus(order.id)).toBe('in-progress');
    const changes = await hub.sql.query<{ to: string }>(
      `SELECT payload->'data'->>'to' AS to FROM outbox_event
       WHERE subject = $1 AND type = 'matching.work-order.status-changed' ORDER BY created_at`,
      [order.id],
    );
    expect(changes.rows.map((row) => row.to)).toEqual(['assigning', 'in-progress']);
  });
});
