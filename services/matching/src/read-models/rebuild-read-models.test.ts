import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { connectNatsBus, type EventBus, type EventEnvelope } from '@hub/event-bus';
import {
  asMember,
  deleteNamespaceStreams,
  randomNamespace,
  TEST_NATS_URL,
  waitFor,
} from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  countRows,
  silentLogger,
  startTestService,
  type TestService,
} from '../../test/support/matching-service.js';
import {
  affiliationChanged,
  affiliationEnded,
  consentGranted,
  japanDate,
  memberErased,
  memberRegistered,
  organizationCreated,
  profileUpdated,
} from '../../test/support/member-events.js';
import {
  leaseEnded,
  leaseGranted,
  membershipEnded,
  membershipStarted,
  networkChanged,
  referralChanged,
  spaceRegistered,
  spaceUpdated,
} from '../../test/support/place-events.js';
import { connectDatabase, type Database } from '../db.js';
import {
  READ_MODEL_CONSUMERS,
  READ_MODEL_TABLES,
  rebuildReadModels,
} from './rebuild-read-models.js';
import { allowedInSatelliteOfficeOf } from './satellite-access.js';
import { trustDistancesFrom } from './trust.js';

const run = promisify(execFile);
const packageDir = new URL('../..', import.meta.url).pathname;

const CANDIDATES = `query ($id: ID!) {
  workOrder(id: $id) { candidates { rank score member { id } parts { factor points facts } } }
}`;

// The read models are fed by events only, so replaying the streams into empty tables must give
// the rows the live consumers built — and so the same ranking.
describe('rebuild-read-models (real PostgreSQL and NATS JetStream)', () => {
  const namespace = randomNamespace();
  let bus: EventBus;
  let hub: TestService;
  let database: Database;

  beforeAll(async () => {
    bus = await connectNatsBus({
      url: TEST_NATS_URL,
      name: 'matching-test',
      streams: ['members', 'spaces'],
      namespace,
      duplicateWindowMs: 100,
      logger: silentLogger,
    });
    hub = await startTestService(bus);
    database = connectDatabase({ url: hub.database.url, poolMax: 2 });
  });

  afterAll(async () => {
    await database?.close();
    await hub?.close();
    await bus?.close();
    await deleteNamespaceStreams(namespace);
  });

  /** Publishes, then waits until every consumer that takes each event has handled it. */
  async function publish(events: EventEnvelope[]): Promise<void> {
    for (const event of events) await bus.publish(event);
    for (const event of events) {
      for (const { consumer, types } of READ_MODEL_CONSUMERS) {
        if (!types.includes(event.type)) continue;
        await waitFor(
          async () =>
            (await countRows(hub.sql, 'inbox_event', 'consumer = $1 AND event_id = $2', [
              consumer,
              event.id,
            ])) === 1 || undefined,
          { message: `${event.type} handled by ${consumer}`, timeoutMs: 15_000 },
        );
      }
    }
  }

  /** Every read-model row, every column but updated_at (when it was written), in one order. */
  async function snapshot(): Promise<Record<string, unknown[]>> {
    const tables: Record<string, unknown[]> = {};
    for (const table of READ_MODEL_TABLES) {
      const { rows } = await hub.sql.query(`SELECT * FROM ${table}`);
      tables[table] = rows
        .map(({ updated_at: _updatedAt, ...row }) => row)
        .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    }
    return tables;
  }

  it('replays the members and spaces streams into empty tables: the same rows, trust, access and ranking', async () => {
    const coordinator = memberRegistered();
    const worker = memberRegistered();
    const erased = memberRegistered();
    const clientId = randomUUID();
    const space = spaceRegistered({ kind: 'satellite-office' });
    const homeSpace = spaceRegistered();
    const affiliation = affiliationChanged({ memberId: worker.subject, organizationId: clientId });
    const ended = affiliationChanged({ memberId: coordinator.subject });
    const membership = membershipStarted({
      memberId: worker.subject,
      spaceId: homeSpace.data.spaceId,
    });
    const leftHome = membershipStarted({ memberId: coordinator.subject });
    const network = networkChanged({ spaceIds: [homeSpace.data.spaceId] });
    const lease = leaseGranted({ spaceId: space.data.spaceId, tenantOrganizationId: clientId });
    const oldLease = leaseGranted({ spaceId: space.data.spaceId, tenantOrganizationId: clientId });
    await publish([
      coordinator,
      worker,
      erased,
      profileUpdated(worker.subject, {
        availableHoursPerWeek: 30,
        skills: [{ code: 'data-entry', level: 4, isVerified: true }],
      }),
      referralChanged(coordinator.subject, null, 'members'),
      referralChanged(worker.subject, coordinator.subject, 'staff'),
      referralChanged(erased.subject, worker.subject, 'public'),
      affiliation,
      ended,
      affiliationEnded(ended, japanDate(-10)),
      consentGranted({ memberId: worker.subject, recipientOrganizationId: clientId }),
      space,
      homeSpace,
      spaceUpdated(homeSpace.data, { name: '改名後の拠点' }, ['name']),
      membership,
      leftHome,
      membershipEnded(leftHome.data, japanDate(-3)),
      network,
      networkChanged({
        networkId: network.data.networkId,
        spaceIds: [homeSpace.data.spaceId, space.data.spaceId],
      }),
      lease,
      oldLease,
      leaseEnded(oldLease.data, japanDate(-30)),
      membershipStarted({ memberId: erased.subject }),
      memberErased(erased.subject),
      organizationCreated({ organizationId: clientId }),
    ]);
    const built = await snapshot();
    // Every table has rows to compare; the erased member left none.
    for (const table of READ_MODEL_TABLES) expect(built[table]!.length).toBeGreaterThan(0);
    expect(await countRows(hub.sql, 'worker', 'member_id = $1', [erased.subject])).toBe(0);
    const trustBefore = await trustDistancesFrom(database.prisma, {
      fromMemberId: coordinator.subject,
      viewer: 'everyone',
    });
    expect(trustBefore.get(worker.subject)).toBe(1);
    const accessBefore = await allowedInSatelliteOfficeOf(database.prisma, clientId);
    expect(accessBefore).toEqual(new Set([worker.subject]));
    // An order the client's organisation receives: its workers are the pool, ranked for the
    // coordinator (their staff) with every fact the read models give.
    const orderId = randomUUID();
    await hub.sql.query(
      `INSERT INTO work_order (id, title, category, client_id, receiving_centre_id,
         client_confirmed_at, receiving_centre_confirmed_at, volume, volume_unit, pay_model, rate,
         requires_on_site, status, updated_at)
       VALUES ($1, 'データ入力', 'data-entry', $2, $3, now(), now(), 60, 'hours', 'hourly', 1200,
               false, 'open', now())`,
      [orderId, randomUUID(), clientId],
    );
    await hub.sql.query(
      `INSERT INTO work_order_skill (work_order_id, skill_code, minimum_level)
       VALUES ($1, 'data-entry', 3)`,
      [orderId],
    );
    const asker = asMember(coordinator.subject, {
      staffOf: [{ organizationId: clientId, role: 'coordinator' }],
    });
    const ranking = async () => {
      const response = await hub.graphql<{ workOrder: { candidates: unknown[] } }>(
        CANDIDATES,
        { id: orderId },
        asker,
      );
      expect(response.errors).toBeUndefined();
      return response.data!.workOrder.candidates;
    };
    const rankingBefore = await ranking();
    expect(rankingBefore).toMatchObject([{ rank: 1, member: { id: worker.subject } }]);

    // Drift the tables away from the events, as a lost write or a bad hand edit would.
    await hub.sql.query('DELETE FROM worker WHERE member_id = $1', [worker.subject]);
    await hub.sql.query(`UPDATE space SET status = 'closed' WHERE space_id = $1`, [
      space.data.spaceId,
    ]);
    await hub.sql.query('DELETE FROM network_site');
    const notesOf = (memberId: string) =>
      countRows(hub.sql, 'ranking_change', 'member_id = $1', [memberId]);
    // The index sees the drift once told: the worker's row is gone, so are they from the ranking.
    await hub.sql.query('INSERT INTO ranking_change (member_id) VALUES ($1)', [worker.subject]);
    expect(await ranking()).toEqual([]);
    const notesBefore = [await notesOf(worker.subject), await notesOf(coordinator.subject)];

    // The command, as an operator runs it.
    const { stdout } = await run('pnpm', ['--silent', 'rebuild-read-models'], {
      cwd: packageDir,
      env: {
        ...process.env,
        DATABASE_URL: hub.database.url,
        NATS_URL: TEST_NATS_URL,
        HUB_NATS_NAMESPACE: namespace,
        LOG_LEVEL: 'silent',
      },
    });
    expect(stdout).toContain('home_space');
    expect(await snapshot()).toEqual(built);
    expect(
      await trustDistancesFrom(database.prisma, {
        fromMemberId: coordinator.subject,
        viewer: 'everyone',
      }),
    ).toEqual(trustBefore);
    expect(await allowedInSatelliteOfficeOf(database.prisma, clientId)).toEqual(accessBefore);
    // Each instance's ranking index reloads the members whose rows were rebuilt: the same
    // ranking as before the drift, score and explanation.
    expect(await notesOf(worker.subject)).toBeGreaterThan(notesBefore[0]!);
    expect(await notesOf(coordinator.subject)).toBeGreaterThan(notesBefore[1]!);
    expect(await ranking()).toEqual(rankingBefore);

    // Again, as a function: nothing changes, and it says what it read.
    const summary = await rebuildReadModels(database.prisma, {
      nats: { url: TEST_NATS_URL, namespace },
    });
    expect(await snapshot()).toEqual(built);
    for (const table of READ_MODEL_TABLES) {
      expect(summary.rows[table]).toEqual({
        before: built[table]!.length,
        after: built[table]!.length,
      });
    }
    expect(summary.events).toEqual({ members: 13, spaces: 12 });
    expect(summary.invalid).toBe(0);

    // The inbox was rebuilt with the rows: a redelivery of a replayed event has no effect, and
    // a new event applies on top as usual.
    await new Promise((resolve) => setTimeout(resolve, 150)); // past the duplicate window
    await bus.publish({ ...worker, data: { ...worker.data, displayName: '二度目' } });
    const later = profileUpdated(worker.subject, { displayName: '後の更新' });
    await publish([later]);
    const { rows } = await hub.sql.query('SELECT display_name FROM worker WHERE member_id = $1', [
      worker.subject,
    ]);
    expect(rows).toEqual([{ display_name: '後の更新' }]);
    // Starting the command (pnpm, tsx) takes seconds of its own.
  }, 60_000);
});
