import { randomUUID } from 'node:crypto';
import type { EventBus, EventEnvelope } from '@hub/event-bus';
import { asAdmin, asMember, waitFor } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buses, startTestService, type TestService } from '../../test/support/matching-service.js';
import { mutate, postOrder, seedWorker } from '../../test/support/work-orders.js';

// The events of orders and assignments leave through the outbox and the relay and reach a
// consumer on each bus (NATS JetStream and the in-process bus): what other services learn.

const TYPES = [
  'matching.work-order.status-changed',
  'matching.work-order.delegated',
  'matching.assignment.offered',
  'matching.assignment.accepted',
  'matching.assignment.declined',
  'matching.assignment.completed',
] as const;

describe.each(buses)('work order and assignment events ($name)', (factory) => {
  let bus: EventBus;
  let cleanupBus: () => Promise<void>;
  let hub: TestService;
  const received: EventEnvelope[] = [];

  beforeAll(async () => {
    ({ bus, cleanup: cleanupBus } = await factory.connect());
    await bus.subscribe({
      consumer: `test-assignment-events-${randomUUID().slice(0, 8)}`,
      types: [...TYPES],
      handler: async (event) => {
        received.push(event);
      },
    });
    hub = await startTestService(bus);
  });

  afterAll(async () => {
    await hub?.close();
    await cleanupBus?.();
  });

  it('delivers delegated, status-changed and every assignment event', async () => {
    const admin = asAdmin();
    const order = await postOrder(hub, { volume: 30 });
    const child = await mutate<{ workOrder: { id: string } }>(
      hub,
      'delegateWorkOrder',
      { workOrderId: order.id, partnerOrganizationId: randomUUID(), volume: 10 },
      admin,
      'workOrder { id }',
    );
    const [worker, other] = [
      await seedWorker(hub.sql, { hoursPerWeek: 40, organizationIds: [order.centreId] }),
      await seedWorker(hub.sql, { hoursPerWeek: 40, organizationIds: [order.centreId] }),
    ];
    const offer = (memberId: string) =>
      mutate<{ assignment: { id: string } }>(
        hub,
        'offerAssignment',
        { workOrderId: order.id, memberId, role: 'WORKER', volume: 5 },
        admin,
        'assignment { id }',
      );
    const done = (await offer(worker)).payload.assignment.id;
    const declined = (await offer(other)).payload.assignment.id;
    const select = 'assignment { id }';
    await mutate(hub, 'declineAssignment', { assignmentId: declined }, asMember(other), select);
    await mutate(hub, 'acceptAssignment', { assignmentId: done }, asMember(worker), select);
    await mutate(hub, 'startAssignment', { assignmentId: done }, asMember(worker), select);
    await mutate(
      hub,
      'completeAssignment',
      { assignmentId: done, deliveredVolume: 5, rating: 5 },
      admin,
      select,
    );

    const bySubject = (subject: string) =>
      received.filter((event) => event.subject === subject).map((event) => event.type);
    await waitFor(() => (received.length >= 8 ? true : undefined), {
      message: 'the events on the bus',
      timeoutMs: 10_000,
    });
    expect(bySubject(child.payload.workOrder.id)).toEqual(['matching.work-order.delegated']);
    expect(bySubject(order.id)).toEqual([
      'matching.work-order.status-changed',
      'matching.work-order.status-changed',
    ]);
    expect(bySubject(done)).toEqual([
      'matching.assignment.offered',
      'matching.assignment.accepted',
      'matching.assignment.completed',
    ]);
    expect(bySubject(declined)).toEqual([
      'matching.assignment.offered',
      'matching.assignment.declined',
    ]);
    const completed = received.find((event) => event.type === 'matching.assignment.completed');
    expect(completed!.data).toEqual({
      assignmentId: done,
      workOrderId: order.id,
      memberId: worker,
      role: 'worker',
      allocatedVolume: 5,
      deliveredVolume: 5,
      rating: 5,
    });
  });
});
