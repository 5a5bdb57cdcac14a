// Inbox and dead-letter tables on a fresh Postgres database.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  deadLetterTo,
  eventSubscription,
  idempotentHandler,
  recordDeadLetter,
} from '../../src/index.js';
import { memberRegistered } from '../support/events.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await database.pool.query('CREATE TABLE effect (event_id uuid NOT NULL, consumer text NOT NULL)');
});

afterAll(async () => {
  await database.drop();
});

async function count(sql: string, ...values: unknown[]): Promise<number> {
  const result = await database.pool.query(sql, values);
  return result.rows[0].n;
}

function effectHandler(consumer: string, options: { failFirst?: boolean } = {}) {
  let calls = 0;
  const handler = idempotentHandler({
    db: database.db,
    consumer,
    handle: async (event, tx) => {
      calls += 1;
      await tx.$executeRawUnsafe(
        'INSERT INTO effect (event_id, consumer) VALUES ($1::uuid, $2)',
        event.id,
        consumer,
      );
      if (options.failFirst && calls === 1) throw new Error('effect failed after writing');
    },
  });
  return { handler, calls: () => calls };
}

const effects = (eventId: string, consumer: string) =>
  count(
    'SELECT count(*)::int AS n FROM effect WHERE event_id = $1 AND consumer = $2',
    eventId,
    consumer,
  );

describe('idempotentHandler', () => {
  it('applies the effect once for an event handled twice', async () => {
    const { handler, calls } = effectHandler('sequential');
    const event = memberRegistered();
    await handler(event, { deliveryCount: 1 });
    await handler(event, { deliveryCount: 2 });
    expect(calls()).toBe(1);
    expect(await effects(event.id, 'sequential')).toBe(1);
    expect(
      await count(
        "SELECT count(*)::int AS n FROM inbox_event WHERE consumer = 'sequential' AND event_id = $1 AND type = $2",
        event.id,
        event.type,
      ),
    ).toBe(1);
  });

  it('applies the effect once for concurrent deliveries of the same event', async () => {
    const { handler } = effectHandler('concurrent');
    const event = memberRegistered();
    await Promise.all([1, 2, 3].map((n) => handler(event, { deliveryCount: n })));
    expect(await effects(event.id, 'concurrent')).toBe(1);
  });

  it('records nothing when the effect fails, so the redelivery does the work', async () => {
    const { handler, calls } = effectHandler('retrying', { failFirst: true });
    const event = memberRegistered();
    await expect(handler(event, { deliveryCount: 1 })).rejects.toThrow('effect failed');
    expect(await effects(event.id, 'retrying')).toBe(0);
    await handler(event, { deliveryCount: 2 });
    expect(calls()).toBe(2);
    expect(await effects(event.id, 'retrying')).toBe(1);
  });

  it('keys the inbox by consumer: each consumer applies its own effect', async () => {
    const event = memberRegistered();
    await effectHandler('consumer-a').handler(event, { deliveryCount: 1 });
    await effectHandler('consumer-b').handler(event, { deliveryCount: 1 });
    expect(await effects(event.id, 'consumer-a')).toBe(1);
    expect(await effects(event.id, 'consumer-b')).toBe(1);
  });
});

describe('idempotentHandler with a deadline (an attempt the bus may give up on)', () => {
  const inbox = (eventId: string, consumer: string) =>
    count(
      'SELECT count(*)::int AS n FROM inbox_event WHERE consumer = $1 AND event_id = $2',
      consumer,
      eventId,
    );

  it('does not start for an attempt already given up (e.g. while it waited for a connection)', async () => {
    const { handler, calls } = effectHandler('given-up');
    const event = memberRegistered();
    const controller = new AbortController();
    controller.abort(new Error('deadline passed'));
    await expect(
      handler(event, { deliveryCount: 1, signal: controller.signal, deadline: Date.now() }),
    ).rejects.toThrow('deadline passed');
    expect(calls()).toBe(0);
    expect(await inbox(event.id, 'given-up')).toBe(0);
  });

  it('has the server cancel a statement still running at the deadline, so nothing commits', async () => {
    const consumer = 'stuck-statement';
    const handler = idempotentHandler({
      db: database.db,
      consumer,
      handle: async (event, tx) => {
        await tx.$executeRawUnsafe(
          'INSERT INTO effect (event_id, consumer) VALUES ($1::uuid, $2)',
          event.id,
          consumer,
        );
        await tx.$queryRawUnsafe('SELECT pg_sleep(30)'); // a lock wait, a runaway query…
      },
    });
    const event = memberRegistered();
    const startedAt = Date.now();
    await expect(handler(event, { deliveryCount: 1, deadline: startedAt + 300 })).rejects.toThrow(
      /statement timeout/,
    );
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    expect(await effects(event.id, consumer)).toBe(0);
    expect(await inbox(event.id, consumer)).toBe(0);
  });
});

describe('dead letters', () => {
  it('recordDeadLetter stores the event, the error and the delivery count', async () => {
    const event = memberRegistered();
    await recordDeadLetter(database.db, {
      consumer: 'recorder',
      event,
      error: new Error('boom'),
      deliveryCount: 5,
    });
    const { rows } = await database.pool.query(
      "SELECT * FROM dead_letter WHERE consumer = 'recorder'",
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      event_id: event.id,
      type: event.type,
      payload: event,
      delivery_count: 5,
    });
    expect(rows[0].error).toMatch(/^Error: boom\n\s+at /);
    expect(rows[0].created_at).toBeInstanceOf(Date);
  });

  it('deadLetterTo records for its consumer, even for a malformed event id', async () => {
    const onDeadLetter = deadLetterTo(database.db, 'malformed');
    const event = { ...memberRegistered(), id: 'not-a-uuid' };
    await onDeadLetter(event, 'plain string error', 1);
    const { rows } = await database.pool.query(
      "SELECT event_id, error FROM dead_letter WHERE consumer = 'malformed'",
    );
    expect(rows).toEqual([{ event_id: 'not-a-uuid', error: 'plain string error' }]);
  });
});

describe('eventSubscription', () => {
  it('wires the inbox and the dead letters under its one consumer name', async () => {
    let calls = 0;
    const subscription = eventSubscription({
      db: database.db,
      consumer: 'wired',
      types: ['members.member.registered'],
      handle: async () => {
        calls += 1;
      },
    });
    expect(subscription).toMatchObject({ consumer: 'wired', types: ['members.member.registered'] });

    const event = memberRegistered();
    await subscription.handler(event, { deliveryCount: 1 });
    await subscription.handler(event, { deliveryCount: 2 });
    expect(calls).toBe(1);
    expect(
      await count(
        "SELECT count(*)::int AS n FROM inbox_event WHERE consumer = 'wired' AND event_id = $1",
        event.id,
      ),
    ).toBe(1);

    await subscription.onDeadLetter?.(memberRegistered(), new Error('gave up'), 5);
    expect(await count("SELECT count(*)::int AS n FROM dead_letter WHERE consumer = 'wired'")).toBe(
      1,
    );
  });
});
