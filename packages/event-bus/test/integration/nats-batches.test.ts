// Events that pile up while a consumer is busy commit together (eventSubscription's
// batchHandler on the NATS bus): one transaction for many events, the same effects as one by
// one — in order, each once, a failing event retried and dead-lettered on its own.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import {
  connectNatsBus,
  type Database,
  type EventBus,
  type EventEnvelope,
  eventSubscription,
} from '../../src/index.js';
import { memberRegistered } from '../support/events.js';
import { deleteNamespaceStreams, natsUrl, randomNamespace, silentLogger } from '../support/nats.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';

let database: TestDatabase;
const buses: EventBus[] = [];
const namespaces: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await database.pool.query(
    `CREATE TABLE batch_effect (seq serial PRIMARY KEY, consumer text NOT NULL,
                                event_id uuid NOT NULL, display_name text NOT NULL)`,
  );
});

afterAll(async () => {
  await database.drop();
});

afterEach(async () => {
  await Promise.all(buses.splice(0).map((bus) => bus.close()));
  await Promise.all(namespaces.splice(0).map((namespace) => deleteNamespaceStreams(namespace)));
});

async function natsBus(): Promise<EventBus> {
  const namespace = randomNamespace();
  namespaces.push(namespace);
  const bus = await connectNatsBus({
    url: natsUrl,
    name: 'event-bus-batch-test',
    streams: ['members'],
    namespace,
    logger: silentLogger,
  });
  buses.push(bus);
  return bus;
}

/** The test database, counting the transactions opened through it. */
function countingTransactions(db: Database): { db: Database; count: () => number } {
  let count = 0;
  return {
    count: () => count,
    db: {
      $executeRawUnsafe: (query, ...values) => db.$executeRawUnsafe(query, ...values),
      $queryRawUnsafe: (query, ...values) => db.$queryRawUnsafe(query, ...values),
      $transaction: (fn, options) => {
        count += 1;
        return db.$transaction(fn, options);
      },
    },
  };
}

function published(n: number, name = (i: number) => `member-${i}`): EventEnvelope[] {
  return Array.from({ length: n }, (_, i) => memberRegistered(name(i)));
}

async function effects(consumer: string): Promise<{ event_id: string; display_name: string }[]> {
  const result = await database.pool.query(
    'SELECT event_id::text, display_name FROM batch_effect WHERE consumer = $1 ORDER BY seq',
    [consumer],
  );
  return result.rows;
}

async function count(sql: string, consumer: string): Promise<number> {
  const result = await database.pool.query(sql, [consumer]);
  return result.rows[0].n;
}

function subscriptionFor(
  consumer: string,
  db: Database,
  options: { failOn?: string; batch?: boolean } = {},
) {
  return eventSubscription({
    db,
    consumer,
    types: ['members.member.registered'],
    maxDeliver: 2,
    backoffMs: [10],
    batch: options.batch,
    handle: async (event, tx) => {
      const { displayName } = event.data as { displayName: string };
      if (displayName === options.failOn) throw new Error(`cannot handle ${displayName}`);
      await tx.$executeRawUnsafe(
        'INSERT INTO batch_effect (consumer, event_id, display_name) VALUES ($1, $2::uuid, $3)',
        consumer,
        event.id,
        displayName,
      );
    },
  });
}

describe('a NATS consumer with events waiting', () => {
  it('commits them together: every effect once, in the order published, in few transactions', async () => {
    const bus = await natsBus();
    const events = published(60);
    for (const event of events) await bus.publish(event);
    const consumer = 'batch-order';
    const counting = countingTransactions(database.db);

    await bus.subscribe(subscriptionFor(consumer, counting.db));

    await waitFor(async () => (await effects(consumer)).length === 60, { message: '60 effects' });
    expect((await effects(consumer)).map((row) => row.event_id)).toEqual(
      events.map((event) => event.id),
    );
    const inbox = 'SELECT count(*)::int AS n FROM inbox_event WHERE consumer = $1';
    expect(await count(inbox, consumer)).toBe(60);
    // Sixty single deliveries would be sixty transactions; waiting events go in batches.
    expect(counting.count()).toBeLessThanOrEqual(10);
  });

  it('one event failing: the others get their effect once and in order, it alone is dead-lettered', async () => {
    const bus = await natsBus();
    const events = published(20);
    for (const event of events) await bus.publish(event);
    const consumer = 'batch-poison';

    await bus.subscribe(subscriptionFor(consumer, database.db, { failOn: 'member-7' }));

    const deadLetters = 'SELECT count(*)::int AS n FROM dead_letter WHERE consumer = $1';
    await waitFor(async () => (await count(deadLetters, consumer)) === 1, {
      message: 'the failing event dead-lettered',
    });
    await waitFor(async () => (await effects(consumer)).length === 19, { message: '19 effects' });
    expect((await effects(consumer)).map((row) => row.display_name)).toEqual(
      events.map((_, i) => `member-${i}`).filter((name) => name !== 'member-7'),
    );
    const dead = await database.pool.query(
      'SELECT event_id, delivery_count FROM dead_letter WHERE consumer = $1',
      [consumer],
    );
    expect(dead.rows).toEqual([{ event_id: events[7]?.id, delivery_count: 2 }]);
    const inbox = 'SELECT count(*)::int AS n FROM inbox_event WHERE consumer = $1';
    expect(await count(inbox, consumer)).toBe(19);
  });

  it('an event already in the inbox (handled before a crash lost its ack) has no second effect', async () => {
    const bus = await natsBus();
    const events = published(12);
    const consumer = 'batch-inbox';
    const handledBefore = events[4] as EventEnvelope;
    await database.pool.query(
      'INSERT INTO inbox_event (consumer, event_id, type) VALUES ($1, $2::uuid, $3)',
      [consumer, handledBefore.id, handledBefore.type],
    );
    for (const event of events) await bus.publish(event);

    await bus.subscribe(subscriptionFor(consumer, database.db));

    await waitFor(async () => (await effects(consumer)).length === 11, { message: '11 effects' });
    // Nothing else arrives later: the settled inbox shows all twelve.
    await waitFor(
      async () =>
        (await count(
          'SELECT count(*)::int AS n FROM inbox_event WHERE consumer = $1',
          consumer,
        )) === 12,
      { message: 'twelve inbox rows' },
    );
    expect((await effects(consumer)).map((row) => row.event_id)).toEqual(
      events.filter((event) => event !== handledBefore).map((event) => event.id),
    );
  });

  it('batch: false keeps one transaction per event', async () => {
    const bus = await natsBus();
    const events = published(15);
    for (const event of events) await bus.publish(event);
    const consumer = 'batch-off';
    const counting = countingTransactions(database.db);

    await bus.subscribe(subscriptionFor(consumer, counting.db, { batch: false }));

    await waitFor(async () => (await effects(consumer)).length === 15, { message: '15 effects' });
    expect(counting.count()).toBe(15);
  });
});
