import { randomUUID } from 'node:crypto';
import {
  connectNatsBus,
  createEvent,
  createInProcessBus,
  type EventBus,
  type EventEnvelope,
} from '@hub/event-bus';
import { createLogger } from '@hub/service-kit';
import {
  asAdmin,
  deleteNamespaceStreams,
  randomNamespace,
  sendAsGateway,
  startTestService,
  TEST_NATS_URL,
  type TestService,
  waitFor,
} from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEventsService } from '../app.js';
import { MEMBER_ERASURE_CONSUMER } from './member-erasure.js';

const logger = createLogger({ name: 'events-test', level: 'silent' });
const migrationsDir = new URL('../../prisma/migrations', import.meta.url).pathname;

// Both buses keep one contract: the same tests run against each.
type BusFactory = { name: string; connect(): Promise<{ bus: EventBus; cleanup(): Promise<void> }> };

const buses: BusFactory[] = [
  {
    name: 'NATS JetStream',
    async connect() {
      const namespace = randomNamespace();
      // A short duplicate window lets a test publish the same event id again and have it
      // delivered, as after a relay crash outside the window.
      const bus = await connectNatsBus({
        url: TEST_NATS_URL,
        name: 'events-test',
        streams: ['members'],
        namespace,
        duplicateWindowMs: 100,
        logger,
      });
      return {
        bus,
        async cleanup() {
          await bus.close();
          await deleteNamespaceStreams(namespace);
        },
      };
    },
  },
  {
    name: 'in-process bus',
    async connect() {
      const bus = createInProcessBus({ logger, duplicateWindowMs: 0 });
      return { bus, cleanup: () => bus.close() };
    },
  },
];

function memberErased(memberId: string = randomUUID()) {
  return createEvent('members.member.erased', {
    source: 'members',
    subject: memberId,
    data: { memberId, erasedAt: new Date().toISOString(), requestedBy: 'member' },
  });
}

describe.each(buses)('members.member.erased ($name)', (factory) => {
  let bus: EventBus;
  let cleanupBus: () => Promise<void>;
  let service: TestService;

  beforeAll(async () => {
    ({ bus, cleanup: cleanupBus } = await factory.connect());
    service = await startTestService({
      name: 'events',
      migrationsDir,
      start: startEventsService,
      bus,
      logger,
    });
  });

  afterAll(async () => {
    // The service stops its consumer before closing its database; the bus closes after.
    await service?.stop();
    await cleanupBus?.();
  });

  const inboxRows = async (event: EventEnvelope) =>
    Number(
      (
        await service.sql.query(
          'SELECT count(*) FROM inbox_event WHERE consumer = $1 AND event_id = $2',
          [MEMBER_ERASURE_CONSUMER, event.id],
        )
      ).rows[0].count,
    );

  const handled = (event: EventEnvelope) =>
    waitFor(async () => (await inboxRows(event)) === 1 || undefined, {
      message: `erasure ${event.id} in the inbox`,
      timeoutMs: 10_000,
    });

  it('records the erasure in its inbox; the export then holds nothing about the member', async () => {
    const event = memberErased();
    await bus.publish(event);
    await handled(event);
    const { rows } = await service.sql.query(
      'SELECT type FROM inbox_event WHERE consumer = $1 AND event_id = $2',
      [MEMBER_ERASURE_CONSUMER, event.id],
    );
    expect(rows).toEqual([{ type: 'members.member.erased' }]);
    expect(
      Number((await service.sql.query('SELECT count(*) FROM dead_letter')).rows[0].count),
    ).toBe(0);

    const exported = await sendAsGateway<{ _entities: { events: Record<string, unknown> }[] }>(
      service.url,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on DataExport { events } } }',
      { r: [{ __typename: 'DataExport', memberId: event.subject }] },
      { identity: asAdmin() },
    );
    expect(exported.data?._entities[0]?.events).toMatchObject({
      registrations: [],
      attendance: [],
    });
  });

  it('handles an erasure delivered twice only once', async () => {
    const event = memberErased();
    await bus.publish(event);
    await handled(event);

    // Past the duplicate window the bus delivers the same id again; the inbox makes it a no-op.
    await new Promise((resolve) => setTimeout(resolve, 150));
    await bus.publish(event);
    // The consumer handles one event at a time, in order: once a later event is in the inbox,
    // the repeated one has been handled.
    const barrier = memberErased();
    await bus.publish(barrier);
    await handled(barrier);

    expect(await inboxRows(event)).toBe(1);
    expect(
      Number((await service.sql.query('SELECT count(*) FROM dead_letter')).rows[0].count),
    ).toBe(0);
  });
});
