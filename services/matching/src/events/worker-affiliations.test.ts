import { randomUUID } from 'node:crypto';
import { todayInJapan } from '@hub/contracts';
import type { EventBus, EventEnvelope } from '@hub/event-bus';
import { waitFor } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  buses,
  countRows,
  startTestService,
  type TestService,
} from '../../test/support/matching-service.js';
import {
  affiliationChanged,
  affiliationEnded,
  japanDate,
  memberErased,
  shifted,
} from '../../test/support/member-events.js';
import { MEMBER_ERASURE_CONSUMER } from './member-erasure.js';
import { WORKER_AFFILIATIONS_CONSUMER } from './worker-affiliations.js';

type AffiliationRow = {
  member_id: string;
  organization_id: string;
  role: string;
  starts_on: string;
  ends_on: string | null;
  source_event_at: Date;
};

describe.each(buses)(
  'worker affiliations fed by members.affiliation.changed ($name)',
  (factory) => {
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

    async function affiliation(affiliationId: string): Promise<AffiliationRow | undefined> {
      // Dates as text: node-pg would turn a DATE into a local midnight.
      const result = await hub.sql.query<AffiliationRow>(
        `SELECT member_id, organization_id, role, starts_on::text, ends_on::text, source_event_at
         FROM worker_affiliation WHERE affiliation_id = $1`,
        [affiliationId],
      );
      return result.rows[0];
    }

    const inboxRows = (consumer: string, event: EventEnvelope) =>
      countRows(hub.sql, 'inbox_event', 'consumer = $1 AND event_id = $2', [consumer, event.id]);
    const handled = (event: EventEnvelope, consumer = WORKER_AFFILIATIONS_CONSUMER) =>
      waitFor(async () => (await inboxRows(consumer, event)) === 1 || undefined, {
        message: `${event.type} ${event.id} handled by ${consumer}`,
        timeoutMs: 10_000,
      });

    it('records a started affiliation with its facts', async () => {
      const started = affiliationChanged({ role: 'coordinator', endsOn: '2030-03-31' });
      await bus.publish(started);
      await handled(started);
      expect(await affiliation(started.data.affiliationId)).toEqual({
        member_id: started.data.memberId,
        organization_id: started.data.organizationId,
        role: 'coordinator',
        starts_on: '2024-04-01',
        ends_on: '2030-03-31',
        source_event_at: new Date(started.occurredAt),
      });
    });

    it('sets the last day when the affiliation ends', async () => {
      const started = affiliationChanged();
      await bus.publish(started);
      await handled(started);
      const ended = affiliationEnded(started, japanDate(-1));
      await bus.publish(ended);
      await handled(ended);
      expect(await affiliation(started.data.affiliationId)).toMatchObject({
        starts_on: '2024-04-01',
        ends_on: japanDate(-1),
        source_event_at: new Date(ended.occurredAt),
      });
    });

    it('does not let an older event overwrite a newer one (an end that overtook its start)', async () => {
      const started = affiliationChanged();
      const ended = affiliationEnded(started, japanDate(-1));
      // Published in the wrong order: a retry or a replay can deliver them so.
      await bus.publish(ended);
      await handled(ended);
      await bus.publish(started);
      await handled(started);
      expect(await affiliation(started.data.affiliationId)).toMatchObject({
        ends_on: japanDate(-1),
        source_event_at: new Date(ended.occurredAt),
      });
    });

    it('lets the end win over a start of the same millisecond, in either order', async () => {
      for (const order of ['ended first', 'started first']) {
        const started = affiliationChanged();
        const ended = affiliationEnded(started, todayInJapan(), 0);
        const [first, second] = order === 'ended first' ? [ended, started] : [started, ended];
        await bus.publish(first);
        await handled(first);
        await bus.publish(second);
        await handled(second);
        expect(await affiliation(started.data.affiliationId)).toMatchObject({
          ends_on: todayInJapan(),
        });
      }
    });

    it('has exactly one effect when the same event is delivered again', async () => {
      const started = affiliationChanged();
      const ended = affiliationEnded(started, japanDate(-1));
      await bus.publish(started);
      await handled(started);
      await bus.publish(ended);
      await handled(ended);
      const before = await affiliation(started.data.affiliationId);

      // Past the duplicate window the same id is delivered again, and later than anything
      // applied: without the inbox it would reopen the affiliation.
      await new Promise((resolve) => setTimeout(resolve, 150));
      await bus.publish({ ...started, occurredAt: new Date().toISOString() });
      // Consumers handle one event at a time, in order: once a later one took effect, the
      // repeated one has been handled.
      const barrier = affiliationChanged();
      await bus.publish(barrier);
      await handled(barrier);

      expect(await inboxRows(WORKER_AFFILIATIONS_CONSUMER, started)).toBe(1);
      expect(await affiliation(started.data.affiliationId)).toEqual(before);
    });

    it('ignores affiliations of an erased member, and the erasure deletes theirs', async () => {
      const memberId = randomUUID();
      const kept = affiliationChanged({ memberId });
      await bus.publish(kept);
      await handled(kept);
      const bystander = affiliationChanged({ organizationId: kept.data.organizationId });
      await bus.publish(bystander);
      await handled(bystander);
      // An affiliation event given up on names the member and where they are registered.
      await hub.sql.query(
        `INSERT INTO dead_letter (consumer, event_id, type, payload, error, delivery_count)
       VALUES ($1, $2, 'members.affiliation.changed', $3::jsonb, 'failed', 5)`,
        [WORKER_AFFILIATIONS_CONSUMER, randomUUID(), JSON.stringify(kept)],
      );

      const erased = memberErased(memberId);
      await bus.publish(erased);
      await handled(erased, MEMBER_ERASURE_CONSUMER);
      const rowsOf = (id: string) =>
        countRows(hub.sql, 'worker_affiliation', 'member_id = $1', [id]);
      expect(await rowsOf(memberId)).toBe(0);
      expect(await rowsOf(bystander.data.memberId)).toBe(1);
      expect(
        await countRows(hub.sql, 'dead_letter', "payload->'data'->>'memberId' = $1", [memberId]),
      ).toBe(0);

      // Late: a redelivery after its backoff, a replay to a new consumer, a later announcement.
      const late = shifted(kept, -1_000);
      const another = affiliationChanged({ memberId });
      await bus.publish(late);
      await bus.publish(another);
      await handled(late);
      await handled(another);
      expect(await rowsOf(memberId)).toBe(0);
    });
  },
);
