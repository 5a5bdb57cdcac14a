// A consumer in a process of its own, as a service runs it (Prisma client, eventSubscription),
// for tests that kill it with SIGKILL mid-stream. Each effect records the delivery that made it.
// Env: NATS_URL, NATS_NAMESPACE, DATABASE_URL, CONSUMER, HANDLER_DELAY_MS, BATCH ('false': one
// transaction per event). Prints 'handling' as each effect starts.
import { PrismaPg } from '@prisma/adapter-pg';
import { destination, pino } from 'pino';
import { PrismaClient } from '../../src/generated/prisma-client/client.js';
import { connectNatsBus, eventSubscription } from '../../src/index.js';

const env = process.env;
const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: env.DATABASE_URL }) });
const bus = await connectNatsBus({
  url: env.NATS_URL ?? 'nats://127.0.0.1:4222',
  name: 'consumer-process',
  streams: ['members'],
  namespace: env.NATS_NAMESPACE,
  logger: pino({ level: 'warn' }, destination(2)),
});
const delayMs = Number(env.HANDLER_DELAY_MS ?? 0);
await bus.subscribe(
  eventSubscription({
    db,
    consumer: env.CONSUMER ?? 'consumer-process',
    types: ['members.member.registered'],
    batch: env.BATCH !== 'false',
    handle: async (event, tx, delivery) => {
      process.stdout.write('handling\n');
      await tx.$executeRawUnsafe(
        'INSERT INTO effect (event_id, pid, delivery_count) VALUES ($1::uuid, $2::int, $3::int)',
        event.id,
        process.pid,
        delivery.deliveryCount,
      );
      // Work that takes a while, so a kill finds events in flight.
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    },
  }),
);
process.stdout.write('subscribed\n');

process.once('SIGTERM', () => {
  void (async () => {
    await bus.close();
    await db.$disconnect();
    process.exit(0);
  })();
});
