/**
 * The consumer of the event-rate bench, a process of its own as a consuming service is: an
 * idempotent subscription (eventSubscription: inbox row and effect in one transaction) whose
 * effect is a row in bench_event_effect. It reports to its parent (IPC) when each event's
 * transaction committed, on the machine's wall clock (performance.timeOrigin + now), which the
 * parent shares.
 *   env: NATS_URL, HUB_NATS_NAMESPACE, DATABASE_URL
 */
import { connectNatsBus, eventSubscription } from '@hub/event-bus';
import pg from 'pg';
import { pino } from 'pino';
import { CONSUMER, type ConsumerReport, EVENT_TYPE, wallClockMs } from './consumer-messages.js';
import { PgDatabase } from './pg-database.js';

const send = (report: ConsumerReport) => process.send?.(report);

async function main(): Promise<void> {
  const { NATS_URL, HUB_NATS_NAMESPACE, DATABASE_URL } = process.env;
  if (!NATS_URL || !HUB_NATS_NAMESPACE || !DATABASE_URL) {
    throw new Error('NATS_URL, HUB_NATS_NAMESPACE and DATABASE_URL are required');
  }
  const logger = pino({ name: 'bench-events-consumer', level: 'warn' });
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
  pool.on('error', () => {});
  const db = new PgDatabase(pool);
  const bus = await connectNatsBus({
    url: NATS_URL,
    name: 'bench-consumer',
    streams: ['spaces'],
    namespace: HUB_NATS_NAMESPACE,
    logger,
  });
  const subscription = eventSubscription({
    db,
    consumer: CONSUMER,
    types: [EVENT_TYPE],
    handle: async (event, tx) => {
      await tx.$executeRawUnsafe(
        'INSERT INTO bench_event_effect (subject, event_id) VALUES ($1::uuid, $2::uuid)',
        event.subject,
        event.id,
      );
    },
  });
  // Reported in batches, so telling the parent costs the consumer little.
  let effects: [string, number][] = [];
  let deliveries: string[] = [];
  let handlerMs = 0;
  let transactions = 0;
  const flush = () => {
    if (effects.length === 0 && deliveries.length === 0) return;
    send({ kind: 'effects', effects, deliveries, handlerMs, transactions });
    effects = [];
    deliveries = [];
    handlerMs = 0;
    transactions = 0;
  };
  const timer = setInterval(flush, 20);
  // Events waiting together commit in one transaction (the batchHandler eventSubscription
  // supplies, as in the services); each is reported once its transaction has committed.
  const { batchHandler } = subscription;
  const handle = await bus.subscribe({
    ...subscription,
    handler: async (event, delivery) => {
      deliveries.push(event.subject);
      const started = performance.now();
      await subscription.handler(event, delivery);
      handlerMs += performance.now() - started;
      transactions += 1;
      // The inbox transaction has committed: the effect is visible from now on.
      effects.push([event.subject, wallClockMs()]);
    },
    batchHandler:
      batchHandler &&
      (async (events, delivery) => {
        for (const event of events) deliveries.push(event.subject);
        const started = performance.now();
        await batchHandler(events, delivery);
        handlerMs += performance.now() - started;
        transactions += 1;
        const committedAt = wallClockMs();
        for (const event of events) effects.push([event.subject, committedAt]);
      }),
  });
  send({ kind: 'ready' });
  process.on('message', async (message) => {
    if (message !== 'stop') return;
    await handle.stop();
    clearInterval(timer);
    flush();
    await bus.close();
    await pool.end();
    process.disconnect?.();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench consumer failed: ${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
