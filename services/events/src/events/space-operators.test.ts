import { randomUUID } from 'node:crypto';
import {
  connectNatsBus,
  createInProcessBus,
  type EventBus,
  type EventEnvelope,
} from '@hub/event-bus';
import { createLogger, type Identity } from '@hub/service-kit';
import {
  asMember,
  handledBy,
  inboxRows,
  shiftedEvent,
  startTestService,
  type TestService,
  testBuses,
} from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { operatorChanged, spaceRegistered } from '../../test/support/space-events.js';
import { startEventsService } from '../app.js';
import { SPACE_LOCK_CLASS } from '../domain/space-operators.js';
import { SPACE_OPERATORS_CONSUMER } from './space-operators.js';

// The read model of who operates each space, fed by the spaces service's events, on both
// buses: idempotent (the inbox), ordered by the events' time (an older event never overwrites
// a newer one), and settling venues that waited for a space events had not heard of.

const logger = createLogger({ name: 'events-space-operators-test', level: 'silent' });
const buses = testBuses({
  name: 'events-test',
  streams: ['spaces'],
  logger,
  connectNatsBus,
  createInProcessBus,
});

describe.each(buses)(
  'space operators fed by spaces.space.registered / updated ($name)',
  (factory) => {
    let bus: EventBus;
    let cleanupBus: () => Promise<void>;
    let service: TestService;

    beforeAll(async () => {
      ({ bus, cleanup: cleanupBus } = await factory.connect());
      service = await startTestService({
        name: 'events-space-operators',
        migrationsDir: new URL('../../prisma/migrations', import.meta.url).pathname,
        start: startEventsService,
        bus,
        logger,
      });
    });

    afterAll(async () => {
      // The service stops its consumers before closing its database; the bus closes after.
      await service?.stop();
      await cleanupBus?.();
    });

    const deliver = async (...events: EventEnvelope[]) => {
      for (const event of events) {
        await bus.publish(event);
        await handledBy(service.sql, SPACE_OPERATORS_CONSUMER, event);
      }
    };

    async function operatorOf(spaceId: string) {
      const { rows } = await service.sql.query(
        'SELECT operator_id, source_event_at FROM space_operator WHERE space_id = $1',
        [spaceId],
      );
      return rows[0] as { operator_id: string | null; source_event_at: Date } | undefined;
    }

    const staffOf = (...organizationIds: string[]): Identity =>
      asMember(randomUUID(), {
        staffOf: organizationIds.map((organizationId) => ({ organizationId, role: 'staff' })),
      });

    /** An event at the space, published by staff of `own` (and of `also`): its venue's state. */
    async function publishAt(spaceId: string, own: string, ...also: string[]) {
      const response = await service.gql<{ publishEvent: { event: { id: string } } }>(
        'mutation ($input: PublishEventInput!) { publishEvent(input: $input) { ... on PublishEventSuccess { event { id } } } }',
        {
          input: {
            title: '勉強会',
            kind: 'SEMINAR',
            startsAt: '2031-04-01T19:00:00+09:00',
            endsAt: '2031-04-01T21:00:00+09:00',
            organizerIds: [own],
            venues: [{ spaceId }],
          },
        },
        staffOf(own, ...also),
      );
      expect(response.errors).toBeUndefined();
      return response.data!.publishEvent.event.id;
    }

    const isConfirmed = async (eventId: string) =>
      (
        await service.sql.query('SELECT confirmed_at FROM event_venue WHERE event_id = $1', [
          eventId,
        ])
      ).rows[0].confirmed_at !== null;

    it('learns a space’s operator from its registration, and a new one from an update', async () => {
      const registered = spaceRegistered();
      await deliver(registered);
      expect(await operatorOf(registered.data.spaceId)).toEqual({
        operator_id: registered.data.operatorId,
        source_event_at: new Date(registered.occurredAt),
      });
      const next = randomUUID();
      const updated = shiftedEvent(operatorChanged(registered.data.spaceId, next), -1_000);
      await deliver(updated);
      expect(await operatorOf(registered.data.spaceId)).toEqual({
        operator_id: next,
        source_event_at: new Date(updated.occurredAt),
      });
      // A space left without an operator.
      const cleared = shiftedEvent(operatorChanged(registered.data.spaceId, null), -2_000);
      await deliver(cleared);
      expect((await operatorOf(registered.data.spaceId))?.operator_id).toBeNull();
    });

    it('takes in an update of facts it does not keep (hours, prices …) and keeps the operator', async () => {
      const registered = spaceRegistered();
      await deliver(registered);
      const same = registered.data.operatorId;
      const updated = shiftedEvent(
        operatorChanged(registered.data.spaceId, same, ['hours', 'prices', 'location']),
        -1_000,
      );
      await deliver(updated);
      expect(await operatorOf(registered.data.spaceId)).toEqual({
        operator_id: same,
        source_event_at: new Date(updated.occurredAt),
      });
      expect((await service.sql.query('SELECT count(*) FROM dead_letter')).rows[0].count).toBe('0');
    });

    it('keeps the newer operator when an older event arrives after it', async () => {
      const registered = spaceRegistered();
      const next = randomUUID();
      const updated = shiftedEvent(operatorChanged(registered.data.spaceId, next), -1_000);
      // The wrong order, as a retry or a replay can deliver them.
      await deliver(updated, registered);
      expect(await operatorOf(registered.data.spaceId)).toEqual({
        operator_id: next,
        source_event_at: new Date(updated.occurredAt),
      });
    });

    it('lets an update win over a registration of the same millisecond, in either order', async () => {
      for (const order of ['update first', 'registration first']) {
        const registered = spaceRegistered();
        const next = randomUUID();
        const updated = {
          ...operatorChanged(registered.data.spaceId, next),
          occurredAt: registered.occurredAt,
        };
        await deliver(
          ...(order === 'update first' ? [updated, registered] : [registered, updated]),
        );
        expect((await operatorOf(registered.data.spaceId))?.operator_id).toBe(next);
      }
    });

    it('has exactly one effect when the same event is delivered again', async () => {
      const registered = spaceRegistered();
      const next = randomUUID();
      await deliver(
        registered,
        shiftedEvent(operatorChanged(registered.data.spaceId, next), -1_000),
      );
      const before = await operatorOf(registered.data.spaceId);
      // Past the duplicate window the same id is delivered again, and later than anything
      // applied: without the inbox it would bring the first operator back.
      await new Promise((resolve) => setTimeout(resolve, 150));
      await bus.publish({ ...registered, occurredAt: new Date(Date.now() + 60_000).toISOString() });
      // Consumers handle one event at a time, in order: once a later one took effect, the
      // repeated one has been handled.
      await deliver(spaceRegistered());
      expect(await inboxRows(service.sql, SPACE_OPERATORS_CONSUMER, registered)).toBe(1);
      expect(await operatorOf(registered.data.spaceId)).toEqual(before);
    });

    describe('a venue at a space events had not heard of', () => {
      it('waits (fail closed), and takes effect once the operator is one its publisher spoke for', async () => {
        const [own, operator] = [randomUUID(), randomUUID()];
        const registered = spaceRegistered({ operatorId: operator });
        const eventId = await publishAt(registered.data.spaceId, own, operator);
        expect(await isConfirmed(eventId)).toBe(false);
        await deliver(registered);
        expect(await isConfirmed(eventId)).toBe(true);
      });

      it('keeps waiting for the operator’s admin when its publisher does not speak for it', async () => {
        const own = randomUUID();
        const registered = spaceRegistered();
        const eventId = await publishAt(registered.data.spaceId, own);
        await deliver(registered);
        expect(await isConfirmed(eventId)).toBe(false);
        // Nor does a later name or status change settle it.
        await deliver(
          shiftedEvent(
            operatorChanged(registered.data.spaceId, registered.data.operatorId),
            -1_000,
          ),
        );
        expect(await isConfirmed(eventId)).toBe(false);
      });

      it('takes effect when the space turns out to have no operator', async () => {
        const registered = spaceRegistered({ operatorId: null });
        const eventId = await publishAt(registered.data.spaceId, randomUUID());
        await deliver(registered);
        expect(await isConfirmed(eventId)).toBe(true);
      });

      it('takes effect when the space passes to an organisation its publisher spoke for', async () => {
        const [own, partner] = [randomUUID(), randomUUID()];
        const registered = spaceRegistered();
        await deliver(registered);
        const eventId = await publishAt(registered.data.spaceId, own, partner);
        expect(await isConfirmed(eventId)).toBe(false);
        await deliver(shiftedEvent(operatorChanged(registered.data.spaceId, partner), -1_000));
        expect(await isConfirmed(eventId)).toBe(true);
      });

      it('is never published "unknown" while the operator is being learnt (the space lock)', async () => {
        const [own, operator] = [randomUUID(), randomUUID()];
        const spaceId = randomUUID();
        // A consumer in the middle of learning the operator: it holds the space's lock and has
        // written the row, not committed yet.
        await service.sql.query('BEGIN');
        await service.sql.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2::text))', [
          SPACE_LOCK_CLASS,
          spaceId,
        ]);
        await service.sql.query(
          'INSERT INTO space_operator (space_id, operator_id, source_event_at) VALUES ($1, $2, now())',
          [spaceId, operator],
        );
        const published = publishAt(spaceId, own, operator);
        // The publisher waits for the lock instead of reading "unknown" and waiting forever.
        await new Promise((resolve) => setTimeout(resolve, 300));
        const { rows } = await service.sql.query(
          'SELECT count(*)::int AS n FROM event_venue WHERE space_id = $1',
          [spaceId],
        );
        await service.sql.query('COMMIT');
        expect(rows[0].n).toBe(0);
        expect(await isConfirmed(await published)).toBe(true);
      });

      it('is not settled by a stale event naming an operator the space no longer has', async () => {
        const [own, former, current] = [randomUUID(), randomUUID(), randomUUID()];
        const registered = spaceRegistered({ operatorId: former });
        const updated = shiftedEvent(operatorChanged(registered.data.spaceId, current), -1_000);
        const eventId = await publishAt(registered.data.spaceId, own, former);
        // The newer event first: the older registration (naming `former`) changes nothing.
        await deliver(updated, registered);
        expect(await isConfirmed(eventId)).toBe(false);
        expect((await operatorOf(registered.data.spaceId))?.operator_id).toBe(current);
      });
    });
  },
);
