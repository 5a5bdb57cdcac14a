// A real Prisma 6 client (generated from the same messaging.prisma, pg driver adapter) is used
// as `Database` as is: the type assignment below is checked by `pnpm typecheck`, and the SQL
// is run through Prisma's raw-query parameter handling, which is stricter than plain pg.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../src/generated/prisma-client/client.js';
import {
  commit,
  createInProcessBus,
  type Database,
  type EventEnvelope,
  idempotentHandler,
  OutboxRelay,
  recordDeadLetter,
  type SqlClient,
  writeOutbox,
} from '../../src/index.js';
import { memberRegistered } from '../support/events.js';
import { silentLogger } from '../support/nats.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';

let database: TestDatabase;
let prisma: PrismaClient;

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.url }) });
});

afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
});

describe('a Prisma 6 PrismaClient as Database', () => {
  it('is assignable without an adapter', () => {
    const db: Database = prisma;
    const tx: (client: Parameters<Parameters<PrismaClient['$transaction']>[0]>[0]) => SqlClient = (
      client,
    ) => client;
    expect(db).toBe(prisma);
    expect(typeof tx).toBe('function');
  });

  it('writes the outbox in a Prisma transaction with a domain row, and the relay publishes it', async () => {
    const event = memberRegistered();
    await prisma.$transaction(async (tx) => {
      // The domain write and the event commit together.
      await tx.inboxEvent.create({
        data: { consumer: 'domain-stand-in', eventId: event.id, type: 'domain' },
      });
      await writeOutbox(tx, [event]);
    });
    const stored = await prisma.outboxEvent.findUniqueOrThrow({ where: { id: event.id } });
    expect(stored.payload).toEqual(event);
    expect(stored.occurredAt.toISOString()).toBe(event.occurredAt);

    const bus = createInProcessBus({ logger: silentLogger });
    const received: EventEnvelope[] = [];
    await bus.subscribe({
      consumer: 'prisma-read-model',
      types: ['members.member.registered'],
      handler: async (e) => {
        received.push(e);
      },
    });
    const relay = new OutboxRelay({ db: prisma, bus, logger: silentLogger });
    expect(await relay.drainOnce()).toBe(1);
    await waitFor(() => received.length === 1, { message: 'delivery' });
    expect(received[0]).toEqual(event);
    const sent = await prisma.outboxEvent.findUniqueOrThrow({ where: { id: event.id } });
    expect(sent.sentAt).toBeInstanceOf(Date);
    await bus.close();
  });

  it('commits typed Prisma writes with their events through commit', async () => {
    let kicks = 0;
    const relay = {
      kick: () => {
        kicks += 1;
      },
    };
    const memberId = '0190a6f2-8c3e-7b1a-9d4f-2a6b8c0d1e2f';
    const id = await commit({ prisma, relay }, async (tx, emit) => {
      // `tx` is Prisma's transaction client: typed models, same transaction as the events.
      const row = await tx.inboxEvent.create({
        data: { consumer: 'commit-domain-stand-in', eventId: memberId, type: 'domain' },
      });
      emit('members.member.erased', {
        subject: memberId,
        data: { memberId, erasedAt: new Date().toISOString(), requestedBy: 'member' },
      });
      return row.eventId;
    });
    expect(id).toBe(memberId);
    expect(kicks).toBe(1);
    const stored = await prisma.outboxEvent.findFirstOrThrow({ where: { subject: memberId } });
    expect(stored).toMatchObject({ type: 'members.member.erased', sentAt: null });
    // The next tests drain the outbox: they must find only their own rows.
    await prisma.outboxEvent.delete({ where: { id: stored.id } });
  });

  it('records failed publishes through Prisma', async () => {
    const event = memberRegistered();
    await prisma.$transaction((tx) => writeOutbox(tx, [event]));
    const failing = {
      async publish() {
        throw new Error('broker down');
      },
    };
    const relay = new OutboxRelay({
      db: prisma,
      bus: failing,
      maxAttempts: 1,
      logger: silentLogger,
    });
    await relay.drainOnce();
    const row = await prisma.outboxEvent.findUniqueOrThrow({ where: { id: event.id } });
    expect(row).toMatchObject({ attempts: 1, lastError: 'broker down', sentAt: null });
    expect(row.abandonedAt).toBeInstanceOf(Date);
  });

  it('runs idempotentHandler and recordDeadLetter', async () => {
    const event = memberRegistered();
    let effects = 0;
    const handler = idempotentHandler({
      db: prisma,
      consumer: 'prisma-consumer',
      // `tx` is inferred as Prisma's transaction client: typed models, same transaction.
      handle: async (e, tx) => {
        effects += 1;
        await tx.deadLetter.create({
          data: {
            consumer: 'effect',
            eventId: e.id,
            type: e.type,
            payload: {},
            error: '',
            deliveryCount: 0,
          },
        });
      },
    });
    await handler(event, { deliveryCount: 1 });
    await handler(event, { deliveryCount: 2 });
    expect(effects).toBe(1);
    expect(
      await prisma.inboxEvent.count({ where: { consumer: 'prisma-consumer', eventId: event.id } }),
    ).toBe(1);

    await recordDeadLetter(prisma, {
      consumer: 'prisma-consumer',
      event,
      error: new Error('poison'),
      deliveryCount: 5,
    });
    expect(
      await prisma.deadLetter.count({ where: { consumer: 'effect', eventId: event.id } }),
    ).toBe(1);
    const letter = await prisma.deadLetter.findFirstOrThrow({
      where: { consumer: 'prisma-consumer' },
    });
    expect(letter).toMatchObject({ eventId: event.id, deliveryCount: 5, payload: event });
  });

  it('ends an idempotentHandler transaction at the attempt deadline, running or idle', async () => {
    const handlerFor = (consumer: string, stall: (tx: unknown) => Promise<unknown>) =>
      idempotentHandler({
        db: prisma,
        consumer,
        handle: async (_event, tx) => {
          await stall(tx);
        },
      });
    const stuckQuery = handlerFor('prisma-stuck-query', (tx) =>
      (tx as SqlClient).$queryRawUnsafe('SELECT pg_sleep(30)'),
    );
    const event = memberRegistered();
    await expect(
      stuckQuery(event, { deliveryCount: 1, deadline: Date.now() + 300 }),
    ).rejects.toThrow(/statement timeout/);

    // Idle in the transaction (awaiting something else): Prisma's timeout, set to the deadline,
    // rolls it back, so a redelivery does not wait behind its inbox row.
    const idle = handlerFor(
      'prisma-idle',
      () => new Promise((resolve) => setTimeout(resolve, 1_500)),
    );
    const attempt = idle(event, { deliveryCount: 1, deadline: Date.now() + 300 });
    await new Promise((resolve) => setTimeout(resolve, 700));
    const redelivery = await database.pool.connect();
    try {
      await redelivery.query("SET lock_timeout = '200ms'");
      const inserted = await redelivery.query(
        `INSERT INTO inbox_event (consumer, event_id, type) VALUES ('prisma-idle', $1, $2)
         ON CONFLICT DO NOTHING`,
        [event.id, event.type],
      );
      expect(inserted.rowCount).toBe(1);
    } finally {
      redelivery.release(true);
    }
    await expect(attempt).rejects.toThrow();
  });
});
