// One contract, two implementations: the NATS JetStream bus (real nats-server) and the
// in-process bus of the embedded mode must behave the same to a service.

import { inboxRows } from '@hub/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { Logger } from 'pino';
import {
  connectNatsBus,
  createInProcessBus,
  deadLetterTo,
  type EventBus,
  type EventEnvelope,
  InvalidEventError,
  idempotentHandler,
} from '../../src/index.js';
import { memberRegistered, organizationCreated } from '../support/events.js';
import { captureLogs } from '../support/logs.js';
import { deleteNamespaceStreams, natsUrl, randomNamespace, silentLogger } from '../support/nats.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { gate, waitFor } from '../support/wait-for.js';

type Harness = { bus: EventBus; cleanup(): Promise<void> };

const implementations: [EventBus['kind'], (logger: Logger) => Promise<Harness>][] = [
  [
    'nats',
    async (logger) => {
      const namespace = randomNamespace();
      const bus = await connectNatsBus({
        url: natsUrl,
        name: 'event-bus-contract-test',
        streams: ['members'],
        namespace,
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
  ],
  [
    'in-process',
    async (logger) => {
      const bus = createInProcessBus({ logger });
      return { bus, cleanup: () => bus.close() };
    },
  ],
];

type Received = { event: EventEnvelope; deliveryCount: number; at: number };

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await database.pool.query(
    'CREATE TABLE effect (event_id uuid NOT NULL, consumer text NOT NULL, delivery_count int)',
  );
});

afterAll(async () => {
  await database.drop();
});

async function effectRows(eventId: string, consumer: string) {
  const result = await database.pool.query(
    'SELECT delivery_count FROM effect WHERE event_id = $1 AND consumer = $2',
    [eventId, consumer],
  );
  return result.rows;
}

describe.each(implementations)('%s bus contract', (kind, makeHarness) => {
  let harness: Harness;
  let bus: EventBus;

  afterEach(async () => {
    await harness?.cleanup();
  });

  async function start(logger: Logger = silentLogger): Promise<EventBus> {
    harness = await makeHarness(logger);
    bus = harness.bus;
    return bus;
  }

  it('delivers a published event, parsed, to the subscribed handler', async () => {
    await start();
    expect(bus.kind).toBe(kind);
    expect(await bus.isReady()).toBe(true);
    const received: Received[] = [];
    await bus.subscribe({
      consumer: 'read-model',
      types: ['members.member.registered'],
      handler: async (event, delivery) => {
        received.push({ event, ...delivery, at: Date.now() });
      },
    });
    const event = memberRegistered();
    await bus.publish(event);

    await waitFor(() => received.length === 1, { message: 'delivery' });
    expect(received[0]?.event).toEqual(event);
    expect(received[0]?.deliveryCount).toBe(1);
  });

  it('replays earlier events to a consumer that subscribes later (durable, from the start)', async () => {
    await start();
    const event = memberRegistered();
    await bus.publish(event);
    const received: EventEnvelope[] = [];
    await bus.subscribe({
      consumer: 'late-read-model',
      types: ['members.member.registered'],
      handler: async (e) => {
        received.push(e);
      },
    });
    await waitFor(() => received.length === 1, { message: 'replayed delivery' });
    expect(received[0]?.id).toBe(event.id);
  });

  it('delivers only the subscribed types', async () => {
    await start();
    const received: EventEnvelope[] = [];
    await bus.subscribe({
      consumer: 'organizations-only',
      types: ['members.organization.created'],
      handler: async (event) => {
        received.push(event);
      },
    });
    const skipped = memberRegistered();
    const wanted = organizationCreated();
    await bus.publish(skipped);
    await bus.publish(wanted);

    // Same stream, published in order: once `wanted` arrives, `skipped` was passed over.
    await waitFor(() => received.some((e) => e.id === wanted.id), { message: 'wanted event' });
    expect(received.map((e) => e.id)).toEqual([wanted.id]);
  });

  it('delivers an event published twice with the same id once', async () => {
    await start();
    const received: EventEnvelope[] = [];
    await bus.subscribe({
      consumer: 'dedup',
      types: ['members.member.registered'],
      handler: async (event) => {
        received.push(event);
      },
    });
    const event = memberRegistered();
    const marker = memberRegistered('marker');
    await bus.publish(event);
    await bus.publish(event);
    await bus.publish(marker);

    // Deliveries keep publish order: when the marker is in, a duplicate would have been too.
    await waitFor(() => received.some((e) => e.id === marker.id), { message: 'marker' });
    expect(received.map((e) => e.id)).toEqual([event.id, marker.id]);
  });

  it('redelivers with backoff after failures, then succeeds', async () => {
    await start();
    const attempts: Received[] = [];
    const deadLetters: unknown[] = [];
    const backoffMs = [60, 150];
    await bus.subscribe({
      consumer: 'flaky',
      types: ['members.member.registered'],
      backoffMs,
      maxDeliver: 5,
      handler: async (event, delivery) => {
        attempts.push({ event, ...delivery, at: Date.now() });
        if (delivery.deliveryCount < 3)
          throw new Error(`transient failure ${delivery.deliveryCount}`);
      },
      onDeadLetter: async (event) => {
        deadLetters.push(event);
      },
    });
    const event = memberRegistered();
    await bus.publish(event);

    await waitFor(() => attempts.length === 3, { message: 'third delivery' });
    expect(attempts.map((a) => a.deliveryCount)).toEqual([1, 2, 3]);
    expect(attempts.every((a) => a.event.id === event.id)).toBe(true);
    const [first, second, third] = attempts as [Received, Received, Received];
    // Lower bounds only (timers may fire late, never early); 5 ms for clock granularity.
    expect(second.at - first.at).toBeGreaterThanOrEqual(backoffMs[0]! - 5);
    expect(third.at - second.at).toBeGreaterThanOrEqual(backoffMs[1]! - 5);
    expect(deadLetters).toEqual([]);
  });

  it('dead-letters an event after maxDeliver failed deliveries and stops redelivering it', async () => {
    await start();
    const poison = memberRegistered('poison');
    const marker = memberRegistered('marker');
    const attempts: number[] = [];
    const handled: string[] = [];
    const deadLetters: { event: EventEnvelope; error: unknown; deliveryCount: number }[] = [];
    await bus.subscribe({
      consumer: 'poisoned',
      types: ['members.member.registered'],
      maxDeliver: 3,
      backoffMs: [20],
      handler: async (event, delivery) => {
        if (event.id === poison.id) {
          attempts.push(delivery.deliveryCount);
          throw new Error('cannot handle this one');
        }
        handled.push(event.id);
      },
      onDeadLetter: async (event, error, deliveryCount) => {
        deadLetters.push({ event, error, deliveryCount });
      },
    });
    await bus.publish(poison);

    await waitFor(() => deadLetters.length === 1, { message: 'dead letter' });
    expect(attempts).toEqual([1, 2, 3]);
    expect(deadLetters[0]?.event).toEqual(poison);
    expect(deadLetters[0]?.deliveryCount).toBe(3);
    expect((deadLetters[0]?.error as Error).message).toBe('cannot handle this one');

    // Another round trip through the consumer: a fourth delivery would have had time to show.
    await bus.publish(marker);
    await waitFor(() => handled.includes(marker.id), { message: 'marker' });
    await new Promise((resolve) => setTimeout(resolve, 60)); // > backoff: a redelivery would be due
    expect(attempts).toEqual([1, 2, 3]);
    expect(deadLetters).toHaveLength(1);
  });

  it('dead-letters an invalid event at once, without calling the handler', async () => {
    await start();
    let handlerCalls = 0;
    const deadLetters: { event: EventEnvelope; error: unknown; deliveryCount: number }[] = [];
    await bus.subscribe({
      consumer: 'validating',
      types: ['members.member.registered'],
      handler: async () => {
        handlerCalls += 1;
      },
      onDeadLetter: async (event, error, deliveryCount) => {
        deadLetters.push({ event, error, deliveryCount });
      },
    });
    const valid = memberRegistered();
    const invalid = { ...valid, data: { ...(valid.data as object), kind: 'pirate' } };
    await bus.publish(invalid);

    await waitFor(() => deadLetters.length === 1, { message: 'dead letter' });
    expect(handlerCalls).toBe(0);
    expect(deadLetters[0]?.deliveryCount).toBe(1);
    expect(deadLetters[0]?.event.id).toBe(valid.id);
    expect(deadLetters[0]?.error).toBeInstanceOf(InvalidEventError);
    expect((deadLetters[0]?.error as Error).message).toMatch(
      /members\.member\.registered.*data\.kind/,
    );
  });

  it('idempotentHandler: an event delivered twice has one effect', async () => {
    await start();
    const consumer = `effects-${kind}`;
    const effect = idempotentHandler({
      db: database.db,
      consumer,
      handle: async (event, tx) => {
        await tx.$executeRawUnsafe(
          'INSERT INTO effect (event_id, consumer) VALUES ($1::uuid, $2)',
          event.id,
          consumer,
        );
      },
    });
    const deliveries: number[] = [];
    await bus.subscribe({
      consumer,
      types: ['members.member.registered'],
      backoffMs: [10],
      handler: async (event, delivery) => {
        deliveries.push(delivery.deliveryCount);
        await effect(event, delivery);
        // The effect committed but the ack is lost (crash): the broker delivers again.
        if (delivery.deliveryCount === 1) throw new Error('crashed before ack');
      },
    });
    const event = memberRegistered();
    await bus.publish(event);

    await waitFor(() => deliveries.length === 2, { message: 'redelivery' });
    const effects = await database.pool.query(
      'SELECT count(*)::int AS n FROM effect WHERE event_id = $1 AND consumer = $2',
      [event.id, consumer],
    );
    const inbox = await database.pool.query(
      'SELECT count(*)::int AS n FROM inbox_event WHERE event_id = $1 AND consumer = $2',
      [event.id, consumer],
    );
    expect(effects.rows[0].n).toBe(1);
    expect(inbox.rows[0].n).toBe(1);
  });

  it('abandons a handler that does not finish in time, says so, and redelivers it after the backoff', async () => {
    const logs = captureLogs();
    await start(logs.logger);
    const attempts: Received[] = [];
    const handled: string[] = [];
    const event = memberRegistered();
    await bus.subscribe({
      consumer: 'hanging',
      types: ['members.member.registered'],
      handlerTimeoutMs: 200,
      backoffMs: [100],
      handler: async (e, delivery) => {
        attempts.push({ event: e, ...delivery, at: Date.now() });
        // The first attempt never finishes, like a handler waiting for a database connection
        // that never comes.
        if (e.id === event.id && delivery.deliveryCount === 1) await new Promise(() => {});
        handled.push(e.id);
      },
    });
    await bus.publish(event);

    await waitFor(() => handled.length === 1, { message: 'second delivery handled' });
    expect(attempts.map((a) => a.deliveryCount)).toEqual([1, 2]);
    const [first, second] = attempts as [Received, Received];
    expect(second.at - first.at).toBeGreaterThanOrEqual(200 + 100 - 5);
    expect(logs.find('did not finish')).toEqual([
      expect.objectContaining({
        level: 40,
        consumer: 'hanging',
        eventId: event.id,
        deliveryCount: 1,
        timeoutMs: 200,
        delayMs: 100,
      }),
    ]);

    // The retry was acked: the next event is the only thing delivered after it.
    const marker = memberRegistered('marker');
    await bus.publish(marker);
    await waitFor(() => handled.includes(marker.id), { message: 'marker' });
    expect(attempts.map((a) => a.deliveryCount)).toEqual([1, 2, 1]);
  });

  it('dead-letters an event whose handler timed out on every delivery (a dead_letter row)', async () => {
    const logs = captureLogs();
    await start(logs.logger);
    const consumer = `always-hanging-${kind}`;
    const attempts: number[] = [];
    await bus.subscribe({
      consumer,
      types: ['members.member.registered'],
      maxDeliver: 2,
      handlerTimeoutMs: 100,
      backoffMs: [20],
      handler: async (_event, delivery) => {
        attempts.push(delivery.deliveryCount);
        await new Promise(() => {});
      },
      onDeadLetter: deadLetterTo(database.db, consumer),
    });
    const event = memberRegistered();
    await bus.publish(event);

    const letter = await waitFor(
      async () =>
        (
          await database.pool.query(
            'SELECT event_id, delivery_count, error FROM dead_letter WHERE consumer = $1',
            [consumer],
          )
        ).rows[0],
      { message: 'dead_letter row' },
    );
    expect(attempts).toEqual([1, 2]);
    expect(letter).toMatchObject({ event_id: event.id, delivery_count: 2 });
    expect(letter.error).toMatch(/^HandlerTimeoutError: handler did not finish within 100 ms/);
    expect(logs.find('did not finish')).toEqual([
      expect.objectContaining({ level: 40, deliveryCount: 1 }),
      expect.objectContaining({ level: 50, deliveryCount: 2 }),
    ]);
  });

  it('an abandoned attempt that finishes later rolls back: the redelivery has the one effect', async () => {
    const logs = captureLogs();
    await start(logs.logger);
    const consumer = `abandoned-${kind}`;
    const release = gate();
    const effect = idempotentHandler({
      db: database.db,
      consumer,
      handle: async (event, tx) => {
        const { deliveryCount } = event.data as { deliveryCount?: number };
        await tx.$executeRawUnsafe(
          'INSERT INTO effect (event_id, consumer, delivery_count) VALUES ($1::uuid, $2, $3::int)',
          event.id,
          consumer,
          deliveryCount,
        );
        // The first attempt's transaction (inbox row and effect written) stalls past its deadline.
        if (deliveryCount === 1) await release.promise;
      },
    });
    const deliveries: number[] = [];
    await bus.subscribe({
      consumer,
      types: ['members.member.registered'],
      handlerTimeoutMs: 300,
      backoffMs: [300],
      handler: async (event, delivery) => {
        deliveries.push(delivery.deliveryCount);
        // Which attempt wrote the effect, carried into the handler through the event.
        const tagged = { ...event, data: { ...(event.data as object), ...delivery } };
        await effect(tagged, delivery);
      },
    });
    const event = memberRegistered();
    await bus.publish(event);
    await waitFor(() => logs.find('did not finish').length === 1, { message: 'abandoned' });
    // Given up on, then it finishes before the redelivery: it must not commit now.
    release.open();

    await waitFor(async () => (await effectRows(event.id, consumer)).length === 1, {
      message: 'effect of the redelivery',
    });
    expect(deliveries).toEqual([1, 2]);
    expect(await effectRows(event.id, consumer)).toEqual([{ delivery_count: 2 }]);
    expect(await inboxRows(database.pool, consumer, event)).toBe(1);
  });

  it('a redelivery waits for an abandoned attempt that commits anyway, and skips the event', async () => {
    await start();
    const consumer = `late-commit-${kind}`;
    const release = gate();
    const effect = idempotentHandler({
      db: database.db,
      consumer,
      handle: async (event, tx) => {
        const { deliveryCount } = event.data as { deliveryCount: number };
        await tx.$executeRawUnsafe(
          'INSERT INTO effect (event_id, consumer, delivery_count) VALUES ($1::uuid, $2, $3::int)',
          event.id,
          consumer,
          deliveryCount,
        );
        if (deliveryCount === 1) await release.promise;
      },
    });
    const deliveries: number[] = [];
    const handled: string[] = [];
    await bus.subscribe({
      consumer,
      types: ['members.member.registered'],
      handlerTimeoutMs: 1_000,
      backoffMs: [50],
      handler: async (event, delivery) => {
        deliveries.push(delivery.deliveryCount);
        const tagged = { ...event, data: { ...(event.data as object), ...delivery } };
        // The first attempt cannot be called back: its COMMIT was already on its way when it
        // was given up (modelled by not passing it the abort signal).
        await effect(tagged, delivery.deliveryCount === 1 ? { deliveryCount: 1 } : delivery);
        handled.push(event.id);
      },
    });
    const event = memberRegistered();
    await bus.publish(event);
    await waitFor(() => deliveries.length === 2, { message: 'redelivery', timeoutMs: 5_000 });
    // The redelivery is now blocked on the first attempt's inbox row; let that one commit.
    await new Promise((resolve) => setTimeout(resolve, 200));
    release.open();

    await waitFor(() => handled.length === 2, { message: 'both attempts finished' });
    expect(await effectRows(event.id, consumer)).toEqual([{ delivery_count: 1 }]);
    expect(await inboxRows(database.pool, consumer, event)).toBe(1);
    // The redelivery succeeded (a no-op): nothing is delivered a third time.
    const marker = memberRegistered('marker');
    await bus.publish(marker);
    await waitFor(() => handled.includes(marker.id), { message: 'marker' });
    expect(deliveries).toEqual([1, 2, 1]);
  });

  it('close() waits for the handler in flight, then delivers nothing more', async () => {
    await start();
    const release = gate();
    const log: string[] = [];
    await bus.subscribe({
      consumer: 'closing',
      types: ['members.member.registered'],
      handler: async (event) => {
        log.push(`start ${event.subject}`);
        await release.promise;
        log.push(`end ${event.subject}`);
      },
    });
    const first = memberRegistered();
    await bus.publish(first);
    await waitFor(() => log.length === 1, { message: 'handler start' });

    const closed = bus.close().then(() => log.push('closed'));
    // Negative check: give a premature close() time to resolve before releasing the handler.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(log).toEqual([`start ${first.subject}`]);
    release.open();
    await closed;
    expect(log).toEqual([`start ${first.subject}`, `end ${first.subject}`, 'closed']);

    expect(await bus.isReady()).toBe(false);
    await expect(bus.publish(memberRegistered())).rejects.toThrow();
    await expect(
      bus.subscribe({
        consumer: 'too-late',
        types: ['members.member.registered'],
        handler: async () => {},
      }),
    ).rejects.toThrow(/closed/);
    expect(log).toHaveLength(3);
  });

  it('close() cancels redeliveries that were waiting for their backoff', async () => {
    await start();
    const attempts: number[] = [];
    await bus.subscribe({
      consumer: 'failing',
      types: ['members.member.registered'],
      backoffMs: [60_000],
      handler: async (_event, delivery) => {
        attempts.push(delivery.deliveryCount);
        throw new Error('always failing');
      },
    });
    await bus.publish(memberRegistered());
    await waitFor(() => attempts.length === 1, { message: 'first delivery' });
    // Resolves promptly (no 60 s timer kept alive) and no second delivery happens.
    await bus.close();
    expect(attempts).toEqual([1]);
  });

  it('stop() ends deliveries to that subscription only, and is idempotent', async () => {
    await start();
    const stopped: EventEnvelope[] = [];
    const running: EventEnvelope[] = [];
    const handle = await bus.subscribe({
      consumer: 'to-stop',
      types: ['members.member.registered'],
      handler: async (event) => {
        stopped.push(event);
      },
    });
    await bus.subscribe({
      consumer: 'keeps-running',
      types: ['members.member.registered'],
      handler: async (event) => {
        running.push(event);
      },
    });
    const before = memberRegistered();
    await bus.publish(before);
    await waitFor(() => stopped.length === 1 && running.length === 1, { message: 'deliveries' });

    await handle.stop();
    await handle.stop();
    const after = memberRegistered();
    await bus.publish(after);
    // The other consumer is served from the same stream: once it has `after`, a delivery to
    // the stopped one would have been due too.
    await waitFor(() => running.length === 2, { message: 'delivery to the running consumer' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped.map((e) => e.id)).toEqual([before.id]);
    expect(running.map((e) => e.id)).toEqual([before.id, after.id]);
    expect(await bus.isReady()).toBe(true);
  });

  it('stop() waits for the handler in flight', async () => {
    await start();
    const release = gate();
    const log: string[] = [];
    const handle = await bus.subscribe({
      consumer: 'stopping-in-flight',
      types: ['members.member.registered'],
      handler: async (event) => {
        log.push(`start ${event.subject}`);
        await release.promise;
        log.push(`end ${event.subject}`);
      },
    });
    const first = memberRegistered();
    await bus.publish(first);
    await waitFor(() => log.length === 1, { message: 'handler start' });

    const stopped = handle.stop().then(() => log.push('stopped'));
    const stoppedAgain = handle.stop().then(() => log.push('stopped again'));
    try {
      // Negative check: give a premature stop() time to resolve before releasing the handler.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(log).toEqual([`start ${first.subject}`]);
    } finally {
      release.open(); // also on failure, so cleanup is not stuck behind the handler
    }
    await Promise.all([stopped, stoppedAgain]);
    expect(log).toEqual([
      `start ${first.subject}`,
      `end ${first.subject}`,
      'stopped',
      'stopped again',
    ]);
  });

  it('a consumer subscribed again after stop() resumes: events published meanwhile, not the handled ones', async () => {
    await start();
    const consumer = 'restarted';
    const types = ['members.member.registered'];
    const firstRun: EventEnvelope[] = [];
    const first = await bus.subscribe({
      consumer,
      types,
      handler: async (event) => {
        firstRun.push(event);
      },
    });
    const handled = memberRegistered('handled');
    await bus.publish(handled);
    await waitFor(() => firstRun.length === 1, { message: 'delivery before stop' });
    await first.stop();

    const meanwhile = [memberRegistered('meanwhile 1'), memberRegistered('meanwhile 2')];
    for (const event of meanwhile) await bus.publish(event);
    const secondRun: EventEnvelope[] = [];
    const second = await bus.subscribe({
      consumer,
      types,
      handler: async (event) => {
        secondRun.push(event);
      },
    });
    const later = memberRegistered('later');
    await bus.publish(later);

    await waitFor(() => secondRun.some((e) => e.id === later.id), { message: 'later event' });
    expect(secondRun.map((e) => e.id)).toEqual([...meanwhile, later].map((e) => e.id));
    expect(firstRun.map((e) => e.id)).toEqual([handled.id]);
    await second.stop();
  });

  it('an event still failing at stop() comes back to the next subscription, its delivery count kept', async () => {
    await start();
    const consumer = 'failing-at-stop';
    const types = ['members.member.registered'];
    const attempts: number[] = [];
    const first = await bus.subscribe({
      consumer,
      types,
      backoffMs: [100],
      handler: async (_event, delivery) => {
        attempts.push(delivery.deliveryCount);
        throw new Error('not yet');
      },
    });
    const event = memberRegistered();
    await bus.publish(event);
    await waitFor(() => attempts.length === 1, { message: 'first delivery' });
    await first.stop();

    const redelivered: number[] = [];
    await bus.subscribe({
      consumer,
      types,
      handler: async (e, delivery) => {
        if (e.id === event.id) redelivered.push(delivery.deliveryCount);
      },
    });
    await waitFor(() => redelivered.length === 1, { message: 'redelivery' });
    expect(redelivered).toEqual([2]);
    expect(attempts).toEqual([1]);
  });

  it('a handle stopped after close() resolves at once', async () => {
    await start();
    const handle = await bus.subscribe({
      consumer: 'closed-under-it',
      types: ['members.member.registered'],
      handler: async () => {},
    });
    await bus.close();
    await handle.stop();
  });

  it('rejects subscriptions it could never serve', async () => {
    await start();
    const handler = async () => {};
    await expect(
      bus.subscribe({ consumer: 'typo', types: ['members.member.registerd'], handler }),
    ).rejects.toThrow(/unknown event type 'members\.member\.registerd'/);
    await expect(
      bus.subscribe({ consumer: 'bad.name', types: ['members.member.registered'], handler }),
    ).rejects.toThrow(/Invalid consumer name/);
    await bus.subscribe({ consumer: 'once', types: ['members.member.registered'], handler });
    await expect(
      bus.subscribe({ consumer: 'once', types: ['members.member.registered'], handler }),
    ).rejects.toThrow(/already subscribed/);
  });
});
