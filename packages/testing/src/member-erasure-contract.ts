import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { BusConstructors, ClosableBus } from './buses.js';
import { testBuses } from './buses.js';
import { asAdmin, sendAsGateway } from './graphql.js';
import { handledBy, inboxRows } from './inbox.js';
import type { ServiceStartOptions, StartedService } from './stack.js';
import { startTestService, type TestService } from './test-service.js';

/** The part of an event envelope the contract looks at. */
type ErasureEvent = { id: string; subject: string };

type ErasureBus<Event extends ErasureEvent> = ClosableBus & {
  publish(event: Event): Promise<void>;
};

export type MemberErasureContractOptions<
  Event extends ErasureEvent,
  Bus extends ErasureBus<Event>,
> = {
  /** As in startTestService: also names the test database. */
  serviceName: string;
  migrationsDir: string;
  start(options: ServiceStartOptions<Bus>): Promise<StartedService>;
  /** The erasure consumer's durable name: its inbox key. */
  consumer: string;
  /** From @hub/event-bus, passed in (see BusConstructors). */
  eventBus: BusConstructors<Bus> & {
    createEvent(
      type: 'members.member.erased',
      input: {
        subject: string;
        data: { memberId: string; erasedAt: string; requestedBy: 'member' };
      },
    ): Event;
  };
  // biome-ignore lint/suspicious/noExplicitAny: any pino-compatible logger
  logger: any;
  /** The service's DataExport field, and what it holds about a member once erased. */
  dataExport: { field: string; afterErasure: Record<string, unknown> };
};

/**
 * The contract of a `members.member.erased` consumer that has nothing to delete yet, on both
 * buses: the erasure is recorded in the service's inbox (so it is provably handled), nothing
 * is dead-lettered, the member's export is then empty, and a redelivered erasure has no second
 * effect. Registers the describe/it blocks; call it at the top level of a test file.
 */
export function describeMemberErasureConsumer<
  Event extends ErasureEvent,
  Bus extends ErasureBus<Event>,
>(options: MemberErasureContractOptions<Event, Bus>): void {
  const { consumer, eventBus, logger } = options;
  const { field, afterErasure } = options.dataExport;
  const buses = testBuses({
    name: `${options.serviceName}-test`,
    streams: ['members'],
    logger,
    connectNatsBus: eventBus.connectNatsBus,
    createInProcessBus: eventBus.createInProcessBus,
  });

  function memberErased(memberId: string = randomUUID()): Event {
    return eventBus.createEvent('members.member.erased', {
      subject: memberId,
      data: { memberId, erasedAt: new Date().toISOString(), requestedBy: 'member' },
    });
  }

  describe.each(buses)('members.member.erased ($name)', (factory) => {
    let bus: Bus;
    let cleanupBus: () => Promise<void>;
    let service: TestService;

    beforeAll(async () => {
      ({ bus, cleanup: cleanupBus } = await factory.connect());
      service = await startTestService({
        name: options.serviceName,
        migrationsDir: options.migrationsDir,
        start: options.start,
        bus,
        logger,
      });
    });

    afterAll(async () => {
      // The service stops its consumer before closing its database; the bus closes after.
      await service?.stop();
      await cleanupBus?.();
    });

    const deadLetters = async () =>
      Number((await service.sql.query('SELECT count(*) FROM dead_letter')).rows[0].count);

    const handled = (event: Event) => handledBy(service.sql, consumer, event);

    it('records the erasure in its inbox; the export then holds nothing about the member', async () => {
      const event = memberErased();
      await bus.publish(event);
      await handled(event);
      const { rows } = await service.sql.query(
        'SELECT type FROM inbox_event WHERE consumer = $1 AND event_id = $2',
        [consumer, event.id],
      );
      expect(rows).toEqual([{ type: 'members.member.erased' }]);
      expect(await deadLetters()).toBe(0);

      const exported = await sendAsGateway<{ _entities: Record<string, unknown>[] }>(
        service.url,
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on DataExport { ${field} } } }`,
        { r: [{ __typename: 'DataExport', memberId: event.subject }] },
        { identity: asAdmin() },
      );
      expect(exported.data?._entities[0]?.[field]).toMatchObject(afterErasure);
    });

    it('handles an erasure delivered twice only once', async () => {
      const event = memberErased();
      await bus.publish(event);
      await handled(event);

      // Past the duplicate window the bus delivers the same id again; the inbox makes it a
      // no-op.
      await new Promise((resolve) => setTimeout(resolve, 150));
      await bus.publish(event);
      // The consumer handles one event at a time, in order: once a later event is in the
      // inbox, the repeated one has been handled.
      const barrier = memberErased();
      await bus.publish(barrier);
      await handled(barrier);

      expect(await inboxRows(service.sql, consumer, event)).toBe(1);
      expect(await deadLetters()).toBe(0);
    });
  });
}
