import { readFileSync } from 'node:fs';
import type { EventBus, EventEnvelope } from '@hub/event-bus';
import { asMember, waitFor } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  buses,
  countRows,
  startTestService,
  type TestService,
} from '../../../test/support/matching-service.js';
import {
  affiliationChanged,
  memberRegistered,
  profileUpdated,
} from '../../../test/support/member-events.js';
import { seedDemoData } from '../../app.js';

// The demo's flow of work, loaded through matching's operations on real Postgres and NATS: the
// demo people reach matching as members' events (from members' own seed file), then the seed
// posts the orders, delegates part of the Shiojiri order to Knower(s), and its leader and the
// centres offer, accept and complete work.

type DemoMember = {
  id: string;
  key: string;
  municipalityCode: string;
  availableHoursPerWeek?: number;
  skills: { code: string; level: number; isVerified: boolean }[];
};
type DemoAffiliation = {
  memberId: string;
  organizationId: string;
  role: string;
  startsOn: string;
  endsOn: string | null;
};
const members = JSON.parse(
  readFileSync(new URL('../../../../members/seed/demo.json', import.meta.url), 'utf8'),
) as { members: DemoMember[]; affiliations: DemoAffiliation[] };
const matching = JSON.parse(
  readFileSync(new URL('../../../seed/demo.json', import.meta.url), 'utf8'),
) as { workOrders: { id: string; key: string; receivingCentreId: string }[] };

const memberId = (key: string) => members.members.find((m) => m.key === key)!.id;
const orderOf = (key: string) => matching.workOrders.find((o) => o.key === key)!;

const ORDER = `query ($id: ID!) {
  workOrder(id: $id) {
    id status volume remainingVolume
    progress { volume delegated allocated accepted delivered }
    treeProgress { workOrder { id status leader { id } } allocated accepted delivered }
    openRoles { role count filled offered open }
    candidates(first: 10) {
      rank score member { id }
      parts { factor points explanation explanationEn }
    }
  }
}`;
type Totals = { allocated: number; accepted: number; delivered: number };
type OrderAnswer = {
  workOrder: {
    id: string;
    status: string;
    volume: number;
    remainingVolume: number;
    progress: Totals & { volume: number; delegated: number };
    treeProgress: (Totals & {
      workOrder: { id: string; status: string; leader: { id: string } | null };
    })[];
    openRoles: { role: string; count: number; filled: number; offered: number; open: number }[];
    candidates:
      | {
          rank: number;
          score: number;
          member: { id: string };
          parts: { factor: string; points: number; explanation: string; explanationEn: string }[];
        }[]
      | null;
  } | null;
};

const nats = buses.find((factory) => factory.name === 'NATS JetStream')!;

describe('the demo flow of work (real Postgres, NATS JetStream)', () => {
  let bus: EventBus;
  let cleanupBus: () => Promise<void>;
  let hub: TestService;
  const seeded: unknown[] = [];

  /** The demo people as members announces them: registered, profile (hours, verified skills), affiliations. */
  function demoPeopleEvents(): EventEnvelope[] {
    const events: EventEnvelope[] = [];
    for (const member of members.members) {
      events.push(
        memberRegistered({ memberId: member.id, municipalityCode: member.municipalityCode }),
        profileUpdated(member.id, {
          municipalityCode: member.municipalityCode,
          availableHoursPerWeek: member.availableHoursPerWeek ?? null,
          skills: member.skills,
        }),
      );
    }
    for (const affiliation of members.affiliations) {
      events.push(
        affiliationChanged({
          memberId: affiliation.memberId,
          organizationId: affiliation.organizationId,
          role: affiliation.role.toLowerCase() as never,
          startsOn: affiliation.startsOn,
          endsOn: affiliation.endsOn,
        }),
      );
    }
    return events;
  }

  beforeAll(async () => {
    ({ bus, cleanup: cleanupBus } = await nats.connect());
    hub = await startTestService(bus);
    const events = demoPeopleEvents();
    for (const event of events) await bus.publish(event);
    await waitFor(
      async () =>
        (await countRows(hub.sql, 'inbox_event', 'event_id = ANY($1::uuid[])', [
          events.map((event) => event.id),
        ])) === events.length,
      { message: 'the demo people known to matching', timeoutMs: 30_000 },
    );
    const database = { databaseUrl: hub.database.url };
    // Two loads at once (instances starting together), then one more.
    seeded.push(
      await Promise.all([seedDemoData(database), seedDemoData(database)]),
      await seedDemoData(database),
    );
  }, 60_000);

  afterAll(async () => {
    await hub?.close();
    await cleanupBus?.();
  });

  const shiojiriStaff = () =>
    asMember(memberId('makoto'), {
      staffOf: [{ organizationId: orderOf('shiojiri-web').receivingCentreId, role: 'staff' }],
    });

  it('loads the orders and every step once, also by two loads at once; a third changes nothing', () => {
    type Seeded = {
      workOrders: { created: number };
      helpRequests: { created: number };
      demoFlow: { steps: number; pending: number };
    };
    const [a, b] = seeded[0] as [Seeded, Seeded];
    expect(a.workOrders.created + b.workOrders.created).toBe(4);
    expect(a.helpRequests.created + b.helpRequests.created).toBe(1);
    // 1 delegation; naoko offer+accept; mai offer+accept+start+complete; daiki offer+accept;
    // misaki offer+accept+start; takuya offer+accept.
    expect(a.demoFlow.steps + b.demoFlow.steps).toBe(14);
    expect([a.demoFlow.pending, b.demoFlow.pending]).toEqual([0, 0]);
    expect(seeded[1]).toEqual({
      workOrders: { created: 0, updated: 4 },
      helpRequests: { created: 0, updated: 1 },
      demoFlow: { steps: 0, pending: 0 },
    });
  });

  it('publishes the flow as events: delegated, offered, accepted, completed', async () => {
    const count = (type: string) => countRows(hub.sql, 'outbox_event', 'type = $1', [type]);
    expect(await count('matching.work-order.posted')).toBe(5); // 4 orders and Knower(s)' part
    expect(await count('matching.work-order.delegated')).toBe(1);
    expect(await count('matching.assignment.offered')).toBe(5);
    expect(await count('matching.assignment.accepted')).toBe(5);
    expect(await count('matching.assignment.completed')).toBe(1);
  });

  it('shows the Shiojiri order’s tree: Knower(s)’ part with its leader, progress per branch', async () => {
    const response = await hub.graphql<OrderAnswer>(
      ORDER,
      { id: orderOf('shiojiri-web').id },
      shiojiriStaff(),
    );
    expect(response.errors).toBeUndefined();
    const order = response.data!.workOrder!;
    expect(order).toMatchObject({
      status: 'IN_PROGRESS',
      volume: 120,
      remainingVolume: 40,
      progress: { volume: 120, delegated: 60, allocated: 20, accepted: 20, delivered: 0 },
    });
    expect(order.treeProgress).toEqual([
      {
        workOrder: {
          id: expect.any(String),
          status: 'IN_PROGRESS',
          leader: { id: memberId('ryo') },
        },
        allocated: 50,
        accepted: 50,
        delivered: 30,
      },
    ]);
  });

  it('leaves the cooperative’s team order with its roles to fill', async () => {
    const response = await hub.graphql<OrderAnswer>(
      `query ($id: ID!) { workOrder(id: $id) { status openRoles { role count filled offered open } } }`,
      { id: orderOf('bcc-team-translation').id },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.workOrder).toEqual({
      status: 'IN_PROGRESS',
      openRoles: [
        { role: 'LEADER', count: 1, filled: 1, offered: 0, open: 0 },
        { role: 'WORKER', count: 2, filled: 0, offered: 0, open: 2 },
        { role: 'REVIEWER', count: 1, filled: 0, offered: 0, open: 1 },
      ],
    });
  });

  it('ranks the Shiojiri centre’s workers for its order, each score explained', async () => {
    const response = await hub.graphql<OrderAnswer>(
      ORDER,
      { id: orderOf('shiojiri-web').id },
      shiojiriStaff(),
    );
    expect(response.errors).toBeUndefined();
    const candidates = response.data!.workOrder!.candidates!;
    // Registered with the centre today: 中村 直子 (a worker; web-building 3). 伊藤 誠 and
    // 渡部 さくら are its staff and coordinator, registered too.
    expect(candidates.map((c) => c.member.id)).toContain(memberId('naoko'));
    for (const candidate of candidates) {
      expect(candidate.parts.reduce((sum, part) => sum + part.points, 0)).toBe(candidate.score);
      for (const part of candidate.parts) {
        expect(part.explanation).not.toBe('');
        expect(part.explanationEn).not.toBe('');
      }
    }
  });
});
