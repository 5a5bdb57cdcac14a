import { randomUUID } from 'node:crypto';
import type { EventBus, EventEnvelope } from '@hub/event-bus';
import { asAdmin, asMember, waitFor } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  buses,
  countRows,
  startTestService,
  type TestService,
} from '../../test/support/matching-service.js';
import {
  memberErased,
  memberRegistered,
  profileUpdated,
  shifted,
} from '../../test/support/member-events.js';
import { mutate, postOrder, seedWorker } from '../../test/support/work-orders.js';
import { MEMBER_ERASURE_CONSUMER } from './member-erasure.js';
import { WORKER_READ_MODEL_CONSUMER } from './worker-read-model.js';

describe.each(buses)('members.member.erased ($name)', (factory) => {
  let bus: EventBus;
  let cleanupBus: () => Promise<void>;
  let hub: TestService;

  beforeAll(async () => {
    ({ bus, cleanup: cleanupBus } = await factory.connect());
    hub = await startTestService(bus);
  });

  afterAll(async () => {
    // The service stops its consumers before closing its database; the bus closes after.
    await hub?.close();
    await cleanupBus?.();
  });

  const workers = (memberId: string) => countRows(hub.sql, 'worker', 'member_id = $1', [memberId]);
  const inboxRows = (consumer: string, event: EventEnvelope) =>
    countRows(hub.sql, 'inbox_event', 'consumer = $1 AND event_id = $2', [consumer, event.id]);
  const handled = (consumer: string, event: EventEnvelope) =>
    waitFor(async () => (await inboxRows(consumer, event)) === 1 || undefined, {
      message: `${event.type} ${event.id} handled by ${consumer}`,
      timeoutMs: 10_000,
    });

  async function registeredWorker(): Promise<string> {
    const registered = memberRegistered();
    await bus.publish(registered);
    await handled(WORKER_READ_MODEL_CONSUMER, registered);
    expect(await workers(registered.subject)).toBe(1);
    return registered.subject;
  }

  /** A read-model event about the member that was given up on: it holds their profile. */
  async function deadLetterAbout(memberId: string, type: string) {
    await hub.sql.query(
      `INSERT INTO dead_letter (consumer, event_id, type, payload, error, delivery_count)
       VALUES ($1, $2, $3, $4::jsonb, 'failed', 5)`,
      [
        WORKER_READ_MODEL_CONSUMER,
        randomUUID(),
        type,
        JSON.stringify({ type, data: { memberId, displayName: '佐藤 美咲' } }),
      ],
    );
  }

  it('deletes the worker and what else names the member; the export is then empty', async () => {
    const memberId = await registeredWorker();
    const bystander = await registeredWorker();
    await deadLetterAbout(memberId, 'members.member.profile-updated');
    await deadLetterAbout(bystander, 'members.member.profile-updated');

    const erased = memberErased(memberId);
    await bus.publish(erased);
    await handled(MEMBER_ERASURE_CONSUMER, erased);

    expect(await workers(memberId)).toBe(0);
    expect(await workers(bystander)).toBe(1);
    const deadLetters = (id: string) =>
      countRows(hub.sql, 'dead_letter', "payload->'data'->>'memberId' = $1", [id]);
    expect(await deadLetters(memberId)).toBe(0);
    expect(await deadLetters(bystander)).toBe(1);
    expect(
      await countRows(hub.sql, 'erased_member', 'member_id = $1 AND erased_at = $2', [
        memberId,
        erased.data.erasedAt,
      ]),
    ).toBe(1);

    const exported = await hub.graphql<{ _entities: { matching: { worker: unknown } }[] }>(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on DataExport { matching } } }',
      { r: [{ __typename: 'DataExport', memberId }] },
      asAdmin(),
    );
    expect(exported.errors).toBeUndefined();
    expect(exported.data!._entities[0]!.matching).toMatchObject({ worker: null, assignments: [] });
  });

  it('deletes the member’s open offers and detaches the work they did from them', async () => {
    const admin = asAdmin();
    const order = await postOrder(hub, { volume: 40 });
    const memberId = await seedWorker(hub.sql, {
      hoursPerWeek: 40,
      organizationIds: [order.centreId],
    });
    const offer = async () =>
      (
        await mutate<{ assignment: { id: string } }>(
          hub,
          'offerAssignment',
          { workOrderId: order.id, memberId, role: 'WORKER', volume: 5 },
          admin,
          'assignment { id }',
        )
      ).payload.assignment.id;
    const [open, done] = [await offer(), await offer()];
    const select = 'assignment { id }';
    await mutate(hub, 'acceptAssignment', { assignmentId: done }, asMember(memberId), select);
    await mutate(hub, 'startAssignment', { assignmentId: done }, asMember(memberId), select);
    await mutate(
      hub,
      'completeAssignment',
      { assignmentId: done, deliveredVolume: 5, rating: 4 },
      admin,
      select,
    );
    // They also lead a delegated part.
    const partner = randomUUID();
    await hub.sql.query(
      `INSERT INTO worker_affiliation (affiliation_id, member_id, organization_id, role, starts_on, source_event_at)
       VALUES ($1, $2, $3, 'worker', current_date - 1, now())`,
      [randomUUID(), memberId, partner],
    );
    const child = await mutate<{ workOrder: { id: string } }>(
      hub,
      'delegateWorkOrder',
      {
        workOrderId: order.id,
        partnerOrganizationId: partner,
        volume: 10,
        leaderMemberId: memberId,
      },
      admin,
      'workOrder { id }',
    );
    const exportOf = () =>
      hub.graphql<{ _entities: { matching: { assignments: { id: string }[] } }[] }>(
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on DataExport { matching } } }',
        { r: [{ __typename: 'DataExport', memberId }] },
        admin,
      );
    const before = (await exportOf()).data!._entities[0]!.matching.assignments;
    expect(before.map((assignment) => assignment.id).sort()).toEqual([open, done].sort());

    const erased = memberErased(memberId);
    await bus.publish(erased);
    await handled(MEMBER_ERASURE_CONSUMER, erased);

    const rows = await hub.sql.query(
      'SELECT id, member_id, status, delivered_volume, rating FROM assignment WHERE work_order_id = $1',
      [order.id],
    );
    expect(rows.rows).toEqual([
      { id: done, member_id: null, status: 'done', delivered_volume: 5, rating: null },
    ]);
    const leader = await hub.sql.query('SELECT leader_member_id FROM work_order WHERE id = $1', [
      child.payload.workOrder.id,
    ]);
    expect(leader.rows[0]!.leader_member_id).toBeNull();
    expect((await exportOf()).data!._entities[0]!.matching.assignments).toEqual([]);
  });

  it('has exactly one effect when the erasure is delivered again', async () => {
    const memberId = await registeredWorker();
    const erased = memberErased(memberId);
    await bus.publish(erased);
    await handled(MEMBER_ERASURE_CONSUMER, erased);

    // Past the duplicate window the same id is delivered again: the inbox makes it a no-op
    // (a second effect would show as a changed erased_at).
    await new Promise((resolve) => setTimeout(resolve, 150));
    await bus.publish({ ...erased, data: { ...erased.data, erasedAt: new Date().toISOString() } });
    const barrier = memberErased();
    await bus.publish(barrier);
    await handled(MEMBER_ERASURE_CONSUMER, barrier);

    expect(await inboxRows(MEMBER_ERASURE_CONSUMER, erased)).toBe(1);
    expect(
      await countRows(hub.sql, 'erased_member', 'member_id = $1 AND erased_at = $2', [
        memberId,
        erased.data.erasedAt,
      ]),
    ).toBe(1);
  });

  it('does not let late events about an erased member bring the worker back', async () => {
    const registered = memberRegistered();
    const memberId = registered.subject;
    const erased = memberErased(memberId);
    await bus.publish(erased);
    await handled(MEMBER_ERASURE_CONSUMER, erased);

    // A registration replayed to a new consumer, a profile update retried after its backoff.
    const update = shifted(profileUpdated(memberId), 1_000);
    await bus.publish(registered);
    await bus.publish(update);
    await handled(WORKER_READ_MODEL_CONSUMER, registered);
    await handled(WORKER_READ_MODEL_CONSUMER, update);
    expect(await workers(memberId)).toBe(0);
  });
});
