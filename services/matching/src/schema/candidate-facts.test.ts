import { randomUUID } from 'node:crypto';
import type { EventBus, EventEnvelope } from '@hub/event-bus';
import type { Identity } from '@hub/service-kit';
import { asMember, waitFor } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  buses,
  countRows,
  startTestService,
  type TestService,
} from '../../test/support/matching-service.js';
import {
  affiliationChanged,
  japanDate,
  memberRegistered,
  profileUpdated,
} from '../../test/support/member-events.js';
import {
  leaseEnded,
  leaseGranted,
  membershipStarted,
  networkChanged,
  referralChanged,
  spaceRegistered,
} from '../../test/support/place-events.js';

// WorkOrder.candidates over matching's read models, on real Postgres and NATS: proximity from
// spaces' home spaces and networks, fair spread, capacity and track record from assignments,
// the confidential filter from satellite leases, trust from referrals under the link-visibility
// rule. Every test gets its own centre, so the tests share no rows that matter.

type Part = { factor: string; weight: number; points: number; facts: Record<string, unknown> };
type Candidate = { rank: number; score: number; member: { id: string }; parts: Part[] };
type CandidatesAnswer = { workOrder: { candidates: Candidate[] | null } | null };

const CANDIDATES = `query ($id: ID!) {
  workOrder(id: $id) {
    candidates(first: 50) {
      rank score member { id }
      parts { factor weight points facts }
    }
  }
}`;

const nats = buses.find((factory) => factory.name === 'NATS JetStream')!;

const partOf = (candidate: Candidate, factor: string) =>
  candidate.parts.find((part) => part.factor === factor)!;

describe('WorkOrder.candidates over the read models (real Postgres, NATS JetStream)', () => {
  let bus: EventBus;
  let cleanupBus: () => Promise<void>;
  let hub: TestService;

  async function deliver(events: EventEnvelope[]) {
    for (const event of events) await bus.publish(event);
    await waitFor(
      async () =>
        (await countRows(hub.sql, 'inbox_event', 'event_id = ANY($1::uuid[])', [
          events.map((event) => event.id),
        ])) === events.length,
      { message: 'the events applied' },
    );
  }

  /** A worker with data-entry 4 (unverified) and 30 h a week, registered with each organisation. */
  const worker = (memberId: string, organizationIds: string[], municipalityCode = '011002') => [
    memberRegistered({ memberId }),
    profileUpdated(memberId, {
      municipalityCode,
      availableHoursPerWeek: 30,
      skills: [{ code: 'data-entry', level: 4, isVerified: false }],
    }),
    ...organizationIds.map((organizationId) => affiliationChanged({ memberId, organizationId })),
  ];

  /** A confirmed, open 60-hour data-entry order (level 3) received by the centre. */
  async function postOrder(centre: string, client = randomUUID(), requiresOnSite = false) {
    const id = randomUUID();
    await hub.sql.query(
      `INSERT INTO work_order (id, title, category, client_id, receiving_centre_id,
         client_confirmed_at, receiving_centre_confirmed_at, volume, volume_unit, pay_model, rate,
         requires_on_site, status, updated_at)
       VALUES ($1, 'データ入力', 'data-entry', $2, $3, now(), now(), 60, 'hours', 'hourly', 1200,
               $4, 'open', now())`,
      [id, client, centre, requiresOnSite],
    );
    await hub.sql.query(
      `INSERT INTO work_order_skill (work_order_id, skill_code, minimum_level)
       VALUES ($1, 'data-entry', 3)`,
      [id],
    );
    return id;
  }

  /** The ranking, with every candidate's parts checked to add up to its score. */
  async function ranked(identity: Identity, orderId: string): Promise<Candidate[]> {
    const response = await hub.graphql<CandidatesAnswer>(CANDIDATES, { id: orderId }, identity);
    expect(response.errors).toBeUndefined();
    const list = response.data!.workOrder!.candidates!;
    for (const candidate of list) {
      expect(candidate.parts.reduce((sum, part) => sum + part.points, 0)).toBe(candidate.score);
    }
    return list;
  }

  const coordinatorOf = (organizationId: string, memberId = randomUUID()) =>
    asMember(memberId, { staffOf: [{ organizationId, role: 'coordinator' }] });

  beforeAll(async () => {
    ({ bus, cleanup: cleanupBus } = await nats.connect());
    hub = await startTestService(bus);
  });

  afterAll(async () => {
    await hub?.close();
    await cleanupBus?.();
  });

  it('ranks up a home space in the centre’s network and the centre’s municipality, explained', async () => {
    const centre = randomUUID();
    const centreSpace = spaceRegistered({ operatorId: centre, municipalityCode: '202151' });
    const linkedSpace = spaceRegistered({ municipalityCode: '012157' });
    const [nearby, networked, plain] = [randomUUID(), randomUUID(), randomUUID()];
    await deliver([
      centreSpace,
      linkedSpace,
      networkChanged({ spaceIds: [centreSpace.data.spaceId, linkedSpace.data.spaceId] }),
      ...worker(nearby, [centre], '202151'),
      ...worker(networked, [centre]),
      ...worker(plain, [centre]),
      membershipStarted({ memberId: networked, spaceId: linkedSpace.data.spaceId }),
    ]);
    const list = await ranked(coordinatorOf(centre), await postOrder(centre));
    expect(list.map((c) => c.member.id)).toEqual([nearby, networked, plain]);
    const [first, second, third] = list;
    expect(partOf(first!, 'PROXIMITY').facts).toMatchObject({
      sameMunicipality: true,
      centreMunicipalityCodes: ['202151'],
      homeSpacesInNetwork: [],
      grade: 60,
    });
    expect(partOf(second!, 'PROXIMITY').facts).toMatchObject({
      sameMunicipality: false,
      homeSpacesInNetwork: [linkedSpace.data.spaceId],
      grade: 40,
    });
    expect(partOf(third!, 'PROXIMITY').facts).toMatchObject({ grade: 0 });
    // Only proximity tells them apart.
    expect(second!.score - third!.score).toBe(partOf(second!, 'PROXIMITY').points);
  });

  it('counts a centre with spaces in two municipalities as near to workers of either', async () => {
    const centre = randomUUID();
    // Codes chosen so the old rule (the first code only) would have missed the second place.
    const first = spaceRegistered({ operatorId: centre, municipalityCode: '012157' });
    const second = spaceRegistered({ operatorId: centre, municipalityCode: '202151' });
    const [inFirst, inSecond, elsewhere] = [randomUUID(), randomUUID(), randomUUID()];
    await deliver([
      first,
      second,
      ...worker(inFirst, [centre], '012157'),
      ...worker(inSecond, [centre], '202151'),
      ...worker(elsewhere, [centre], '011002'),
    ]);
    const list = await ranked(coordinatorOf(centre), await postOrder(centre));
    const byId = new Map(list.map((c) => [c.member.id, c]));
    for (const near of [inFirst, inSecond]) {
      expect(partOf(byId.get(near)!, 'PROXIMITY').facts).toMatchObject({
        sameMunicipality: true,
        centreMunicipalityCodes: ['012157', '202151'],
        grade: 60,
      });
    }
    expect(partOf(byId.get(elsewhere)!, 'PROXIMITY').facts).toMatchObject({
      sameMunicipality: false,
      grade: 0,
    });
    expect(byId.get(inFirst)!.score).toBe(byId.get(inSecond)!.score);
    expect(byId.get(inSecond)!.score - byId.get(elsewhere)!.score).toBe(
      partOf(byId.get(inSecond)!, 'PROXIMITY').points,
    );
  });

  it('counts assignments: recent hours rank down, open ones take capacity, done ones build a record', async () => {
    const centre = randomUUID();
    const [recent, longAgo, fresh, busy] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await deliver([
      ...worker(recent, [centre]),
      ...worker(longAgo, [centre]),
      ...worker(fresh, [centre]),
      ...worker(busy, [centre]),
    ]);
    const pastOrder = await postOrder(centre);
    const assign = (
      memberId: string,
      status: string,
      hours: number,
      daysAgo: number,
      rating: number | null,
    ) =>
      hub.sql.query(
        `INSERT INTO assignment (id, work_order_id, member_id, role, allocated_volume,
           allocated_hours, status, rating, period_ends_at, created_at, completed_at, updated_at)
         VALUES ($1, $2, $3, 'worker', $4::int, $4::int, $5::text::assignment_status, $6::smallint,
                 now() + interval '28 days', now() - make_interval(days => $7::int),
                 CASE WHEN $5::text = 'done' THEN now() - make_interval(days => $7::int) END, now())`,
        [randomUUID(), pastOrder, memberId, hours, status, rating, daysAgo],
      );
    await assign(recent, 'done', 120, 10, 4);
    await assign(longAgo, 'done', 120, 200, 4);
    await assign(busy, 'offered', 40, 0, null);
    // As the assignment write paths note it (noteRankingChange, in their transaction).
    await hub.sql.query('INSERT INTO ranking_change (member_id) SELECT unnest($1::uuid[])', [
      [recent, longAgo, busy],
    ]);

    const list = await ranked(coordinatorOf(centre), await postOrder(centre));
    const byId = new Map(list.map((c) => [c.member.id, c]));
    const [r, l, f, b] = [recent, longAgo, fresh, busy].map((id) => byId.get(id)!);
    // Equal but for the 120 h of the last 90 days: the recently assigned one ranks below.
    expect(r!.rank).toBeGreaterThan(l!.rank);
    expect(l!.score - r!.score).toBe(
      partOf(l!, 'FAIR_SPREAD').points - partOf(r!, 'FAIR_SPREAD').points,
    );
    expect(partOf(r!, 'FAIR_SPREAD').facts).toMatchObject({ recentAssignedHours: 120, grade: 50 });
    expect(partOf(l!, 'FAIR_SPREAD').facts).toMatchObject({ recentAssignedHours: 0, grade: 100 });
    for (const done of [r!, l!]) {
      expect(partOf(done, 'TRACK_RECORD').facts).toMatchObject({
        completedHours: 120,
        ratingCount: 1,
      });
    }
    expect(partOf(f!, 'TRACK_RECORD').facts).toMatchObject({ completedHours: 0, grade: 0 });
    // 30 h a week × 4 weeks − the 40 h offered.
    expect(partOf(b!, 'CAPACITY').facts).toMatchObject({ capacityHours: 80 });
    expect(partOf(b!, 'FAIR_SPREAD').facts).toMatchObject({ recentAssignedHours: 40 });
    expect(partOf(f!, 'CAPACITY').facts).toMatchObject({ capacityHours: 120 });
  });

  it('ranks for a confidential order only the client’s people, and only while it holds a lease', async () => {
    const centre = randomUUID();
    const client = randomUUID();
    const [affiliate, other] = [randomUUID(), randomUUID()];
    await deliver([...worker(affiliate, [centre, client]), ...worker(other, [centre])]);
    const coordinator = coordinatorOf(centre);
    const orderId = await postOrder(centre, client, true);
    expect(await ranked(coordinator, orderId)).toEqual([]);

    const office = spaceRegistered({ kind: 'satellite-office' });
    const lease = leaseGranted({ spaceId: office.data.spaceId, tenantOrganizationId: client });
    await deliver([office, lease]);
    expect((await ranked(coordinator, orderId)).map((c) => c.member.id)).toEqual([affiliate]);
    // An ordinary order of the same centre still ranks both.
    const open = await ranked(coordinator, await postOrder(centre, client));
    expect(open.map((c) => c.member.id).sort()).toEqual([affiliate, other].sort());

    await deliver([leaseEnded(lease.data, japanDate(-1))]);
    expect(await ranked(coordinator, orderId)).toEqual([]);
  });

  it('measures trust from the coordinator over the referral links they may see only', async () => {
    const centre = randomUUID();
    const coordinatorId = randomUUID();
    const [direct, twoSteps, behindHidden] = [randomUUID(), randomUUID(), randomUUID()];
    const [open, hidden, beyond] = [randomUUID(), randomUUID(), randomUUID()];
    await deliver([
      ...worker(direct, [centre]),
      ...worker(twoSteps, [centre]),
      ...worker(behindHidden, [centre]),
      referralChanged(coordinatorId, null, 'members'),
      referralChanged(direct, coordinatorId),
      referralChanged(open, coordinatorId, 'members'),
      referralChanged(twoSteps, open),
      // `hidden` shows their profile to staff only, and neither they nor `beyond` are
      // registered with the centre: the link beyond ← hidden is not the coordinator's to see.
      referralChanged(hidden, coordinatorId, 'staff'),
      referralChanged(beyond, hidden, 'members'),
      referralChanged(behindHidden, beyond),
    ]);
    const coordinator = coordinatorOf(centre, coordinatorId);
    const orderId = await postOrder(centre);
    const distances = async () =>
      new Map(
        (await ranked(coordinator, orderId)).map((c) => [
          c.member.id,
          partOf(c, 'TRUST').facts.referralDistance,
        ]),
      );
    const list = await ranked(coordinator, orderId);
    expect(list.map((c) => c.member.id)).toEqual([direct, twoSteps, behindHidden]);
    expect(await distances()).toEqual(
      new Map([
        [direct, 1],
        [twoSteps, 2],
        [behindHidden, null],
      ]),
    );

    // Once `hidden` shows their profile to members the link is visible: three steps.
    await deliver([referralChanged(hidden, coordinatorId, 'members')]);
    expect((await distances()).get(behindHidden)).toBe(3);
  });
});
