// `commit`: domain rows and their events in one transaction, the relay woken only after it
// committed. On a fresh Postgres database (messaging tables from prisma/messaging.prisma plus
// a domain table of the test's own); the relay's wake-up is observed from another connection.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  commit,
  type EventEnvelope,
  type EventPublisher,
  InvalidEventError,
  OutboxRelay,
  type SqlClient,
} from '../../src/index.js';
import { silentLogger } from '../support/nats.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  // `child.parent_id` is checked only at COMMIT (deferred), so a transaction can fail after
  // its work has returned — the moment a premature wake-up would show.
  await database.pool.query(`
    CREATE TABLE program (id uuid PRIMARY KEY, title text NOT NULL);
    CREATE TABLE parent (id int PRIMARY KEY);
    CREATE TABLE child (id int PRIMARY KEY,
      parent_id int REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);`);
});

afterAll(async () => {
  await database.drop();
});

beforeEach(async () => {
  await database.pool.query('TRUNCATE outbox_event, program, child, parent');
});

/** What another connection sees: committed rows only. */
async function visible(): Promise<{ programs: string[]; events: string[] }> {
  const programs = await database.pool.query<{ id: string }>('SELECT id FROM program ORDER BY id');
  const events = await database.pool.query<{ type: string }>(
    'SELECT type FROM outbox_event ORDER BY created_at, id',
  );
  return { programs: programs.rows.map((r) => r.id), events: events.rows.map((r) => r.type) };
}

/** A relay stand-in that records, at each wake-up, what was committed by then. */
function watchingRelay() {
  const wakes: Promise<{ programs: string[]; events: string[] }>[] = [];
  return {
    wakes,
    kick() {
      wakes.push(visible());
    },
  };
}

/** Neither the row nor its events exist, and the relay was never woken. */
async function expectNothingCommitted(relay: ReturnType<typeof watchingRelay>): Promise<void> {
  expect(await visible()).toEqual({ programs: [], events: [] });
  expect(relay.wakes).toHaveLength(0);
}

/** The domain row of the test: a program. */
function insertProgram(tx: SqlClient, id: string): Promise<number> {
  return tx.$executeRawUnsafe('INSERT INTO program (id, title) VALUES ($1::uuid, $2)', id, 't');
}

function published(programId: string) {
  return {
    subject: programId,
    data: { programId, providerId: randomUUID(), title: '創業補助金', kind: 'subsidy' },
  };
}

describe('commit', () => {
  it('writes the domain rows and the events together, then wakes the relay once', async () => {
    const relay = watchingRelay();
    const id = randomUUID();
    const result = await commit({ prisma: database.db, relay }, async (tx, emit) => {
      await insertProgram(tx, id);
      emit('support-programs.program.published', published(id));
      // A draft a domain function decided on earlier is emitted as it is.
      emit({ type: 'support-programs.program.published', ...published(id) });
      // Still inside the transaction: nothing is visible elsewhere, and no wake-up yet.
      expect(await visible()).toEqual({ programs: [], events: [] });
      expect(relay.wakes).toHaveLength(0);
      return 'done';
    });
    expect(result).toBe('done');
    // Woken once, and by then both the row and its events had been committed.
    expect(relay.wakes).toHaveLength(1);
    expect(await relay.wakes[0]).toEqual({
      programs: [id],
      events: ['support-programs.program.published', 'support-programs.program.published'],
    });
    const { rows } = await database.pool.query<{ payload: EventEnvelope }>(
      'SELECT payload FROM outbox_event',
    );
    // The envelope follows from the type: source is the service that owns it.
    expect(rows[0]?.payload).toMatchObject({
      type: 'support-programs.program.published',
      version: 1,
      source: 'support-programs',
      subject: id,
    });
  });

  it.each<[string, (tx: SqlClient) => Promise<unknown>, string | RegExp]>([
    [
      'the work fails',
      () => Promise.reject(new Error('domain rule violated')),
      'domain rule violated',
    ],
    [
      // A foreign key checked only at COMMIT: the work succeeds, the commit does not.
      'the commit itself fails, after the work returned',
      (tx) => tx.$executeRawUnsafe('INSERT INTO child (id, parent_id) VALUES (1, 42)'),
      /foreign key/,
    ],
  ])('writes nothing and wakes no one when %s', async (_case, fail, error) => {
    const relay = watchingRelay();
    const id = randomUUID();
    await expect(
      commit({ prisma: database.db, relay }, async (tx, emit) => {
        await insertProgram(tx, id);
        emit('support-programs.program.published', published(id));
        await fail(tx);
      }),
    ).rejects.toThrow(error);
    await expectNothingCommitted(relay);
  });

  it('refuses an event its contract refuses, and rolls back the rows written before it', async () => {
    const relay = watchingRelay();
    const id = randomUUID();
    const attempt = commit({ prisma: database.db, relay }, async (tx, emit) => {
      await insertProgram(tx, id);
      emit('support-programs.program.published', {
        subject: id,
        data: { ...published(id).data, providerId: 'not-a-uuid' },
      });
    });
    await expect(attempt).rejects.toThrow(InvalidEventError);
    await expect(attempt).rejects.toThrow(/data\.providerId: Invalid UUID/);
    await expectNothingCommitted(relay);
  });

  it('commits a change that announces nothing without waking the relay', async () => {
    const relay = watchingRelay();
    const id = randomUUID();
    await commit({ prisma: database.db, relay }, async (tx) => {
      await insertProgram(tx, id);
    });
    expect(await visible()).toEqual({ programs: [id], events: [] });
    expect(relay.wakes).toHaveLength(0);
  });

  it('refuses an emit after the work has ended (it could never reach the outbox)', async () => {
    let late: (() => void) | undefined;
    await commit({ prisma: database.db, relay: null }, async (_tx, emit) => {
      late = () => emit('support-programs.program.published', published(randomUUID()));
    });
    expect(late).toThrow(/emitted after its transaction's work had ended/);
    expect(await visible()).toEqual({ programs: [], events: [] });
  });

  it('gets the event published at once by a real relay, not at its next poll', async () => {
    const received: EventEnvelope[] = [];
    const bus: EventPublisher = {
      async publish(event) {
        received.push(event);
      },
    };
    // A poll far longer than the test: only the wake-up after the commit can publish in time.
    const relay = new OutboxRelay({
      db: database.db,
      bus,
      logger: silentLogger,
      pollIntervalMs: 60_000,
    });
    relay.start();
    try {
      // Let the relay's first (empty) batch pass, so it is asleep on its 60 s poll.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const id = randomUUID();
      await commit({ prisma: database.db, relay }, async (tx, emit) => {
        await insertProgram(tx, id);
        emit('support-programs.program.published', published(id));
      });
      await waitFor(() => received.length === 1, { timeoutMs: 5_000, message: 'publish' });
      expect(received[0]).toMatchObject({
        type: 'support-programs.program.published',
        subject: id,
      });
    } finally {
      await relay.stop();
    }
  });
});
