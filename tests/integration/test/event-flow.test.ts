import { createEvent, OutboxRelay, streamForType, subjectFor, writeOutbox } from '@hub/event-bus';
import { pgDatabase, testPool, waitFor } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import { signUp } from './support/accounts.js';
import { type HubStack, logger, NATS_URL, startHub } from './support/hub.js';

// members → NATS JetStream → matching's worker read model, on real Postgres and NATS.
let hub: HubStack;
let nats: NatsConnection;

beforeAll(async () => {
  hub = await startHub({ services: ['members', 'matching'] });
  nats = await connect({ servers: NATS_URL });
}, 60_000);

afterAll(async () => {
  await nats?.drain();
  await hub?.stop();
});

async function sql<T extends pg.QueryResultRow>(
  service: string,
  text: string,
  values: unknown[] = [],
) {
  const client = new pg.Client({ connectionString: hub.services[service]!.databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

const findWorker = (memberId: string) =>
  sql<{ display_name: string; updated_at: Date }>(
    'matching',
    'SELECT display_name, updated_at FROM worker WHERE member_id = $1',
    [memberId],
  ).then((rows) => rows[0]);

describe('member.registered reaches the matching read model', () => {
  it('signing up through the gateway creates the worker in matching', async () => {
    const memberId = (await signUp(hub, '統合 太郎', { municipalityCode: '202151' })).member.id;
    const worker = await waitFor(() => findWorker(memberId), { message: 'worker row in matching' });
    expect(worker.display_name).toBe('統合 太郎');
  });

  it('a redelivered event (same event id, new broker message) has no second effect', async () => {
    const event = createEvent('members.member.registered', {
      subject: '0194f3a0-0000-7000-8000-000000000001',
      data: {
        memberId: '0194f3a0-0000-7000-8000-000000000001',
        displayName: '再配信 花子',
        displayNameKana: null,
        kind: 'freelancer',
        municipalityCode: null,
        skills: [],
      },
    });
    const js = jetstream(nats);
    await js.publish(subjectFor(event.type, hub.namespace), JSON.stringify(event), {
      msgID: `first-${event.id}`,
    });
    const first = await waitFor(() => findWorker(event.data.memberId), { message: 'first effect' });
    // A different broker message id defeats the broker's dedup, as a real redelivery would.
    const changed = { ...event, data: { ...event.data, displayName: '二回目は無視される' } };
    await js.publish(subjectFor(event.type, hub.namespace), JSON.stringify(changed), {
      msgID: `again-${event.id}`,
    });
    await waitFor(
      async () =>
        (
          await sql<{ n: string }>(
            'matching',
            'SELECT count(*) AS n FROM inbox_event WHERE event_id = $1',
            [event.id],
          )
        )[0]!.n === '1' &&
        (
          await js.consumers
            .get(streamForType(event.type, hub.namespace).name, 'matching-worker-read-model')
            .then((c) => c.info())
        ).num_ack_pending === 0,
      { message: 'second delivery handled' },
    );
    const after = await findWorker(event.data.memberId);
    expect(after).toEqual(first);
  });

  it('an outbox event whose relay crashed before publishing is published after restart', async () => {
    const membersUrl = hub.services.members!.databaseUrl;
    const event = createEvent('members.member.registered', {
      subject: '0194f3a0-0000-7000-8000-000000000002',
      data: {
        memberId: '0194f3a0-0000-7000-8000-000000000002',
        displayName: 'アウトボックス 次郎',
        displayNameKana: null,
        kind: 'student',
        municipalityCode: null,
        skills: [],
      },
    });
    const pool = testPool(membersUrl, 2);
    const db = pgDatabase(pool);
    try {
      await db.$transaction((tx) => writeOutbox(tx, [event]));
      // A relay that dies before its publish reaches the broker: the row must stay unsent.
      const crashing = new OutboxRelay({
        db,
        bus: { publish: () => Promise.reject(new Error('relay process died')) },
        logger,
      });
      await crashing.drainOnce().catch(() => 0);
      await crashing.stop();
      const [row] = await sql<{ sent_at: Date | null }>(
        'members',
        'SELECT sent_at FROM outbox_event WHERE id = $1',
        [event.id],
      );
      expect(row!.sent_at).toBeNull();
      // "After restart": a fresh relay publishes it, and matching sees it.
      const restarted = new OutboxRelay({ db, bus: hub.bus, logger });
      expect(await restarted.drainOnce()).toBeGreaterThanOrEqual(1);
      await restarted.stop();
      await waitFor(() => findWorker(event.data.memberId), {
        message: 'worker from the recovered event',
      });
    } finally {
      await pool.end();
    }
  });
});
