import { randomUUID } from 'node:crypto';
import type { EventBus, EventEnvelope } from '@hub/event-bus';
import type { Identity } from '@hub/service-kit';
import { asAdmin, asMember, asPartner, waitFor } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  buses,
  countRows,
  startTestService,
  type TestService,
} from '../../test/support/matching-service.js';
import {
  affiliationChanged,
  affiliationEnded,
  japanDate,
  memberErased,
  memberRegistered,
  profileUpdated,
} from '../../test/support/member-events.js';
import { mutate } from '../../test/support/work-orders.js';

// WorkOrder.candidates through the subgraph, on real Postgres and NATS: the index follows the
// read models through ranking_change (an erased worker is gone from the very next ranking),
// who may ask, what they see, and the centre's weights. The scoring itself: ranking/score.test.ts.

type Part = { factor: string; weight: number; points: number; facts: Record<string, unknown> };
type Candidate = { rank: number; score: number; member: { id: string }; parts: Part[] };
type CandidatesAnswer = { workOrder: { candidates: Candidate[] | null } | null };

const CANDIDATES = `query ($id: ID!, $first: Int) {
  workOrder(id: $id) {
    candidates(first: $first) {
      rank score member { id }
      parts { factor weight points facts explanation explanationEn }
    }
  }
}`;

const SET_WEIGHTS = `mutation ($input: SetRankingWeightsInput!) {
  setRankingWeights(input: $input) {
    __typename
    ... on SetRankingWeightsSuccess {
      rankingWeights { skillCoverage capacity fairSpread proximity trackRecord trust isDefault }
    }
    ... on Error { code field message messageEn }
  }
}`;

const ORGANIZATION_WEIGHTS = `query ($r: [_Any!]!) {
  _entities(representations: $r) {
    ... on Organization { id rankingWeights { skillCoverage trust isDefault updatedAt } }
  }
}`;

const nats = buses.find((factory) => factory.name === 'NATS JetStream')!;

describe('WorkOrder.candidates (real Postgres, NATS JetStream)', () => {
  let bus: EventBus;
  let cleanupBus: () => Promise<void>;
  let hub: TestService;
  const centre = randomUUID();
  const elsewhere = randomUUID();
  const coordinator = asMember(randomUUID(), {
    staffOf: [{ organizationId: centre, role: 'coordinator' }],
  });
  const strangerStaff = asMember(randomUUID(), {
    staffOf: [{ organizationId: elsewhere, role: 'coordinator' }],
  });
  // strong: data-entry 5 and 30 h a week; modest: data-entry 3, 10 h; belowMinimum: data-entry
  // 2 (the order needs 3); noHours: never stated hours; outsider: registered elsewhere.
  const strong = randomUUID();
  const modest = randomUUID();
  const belowMinimum = randomUUID();
  const noHours = randomUUID();
  const outsider = randomUUID();
  let orderId: string;
  let confidentialId: string;

  const skills = (level: number) => [{ code: 'data-entry', level, isVerified: false }];

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

  async function postOrder(requiresOnSite: boolean): Promise<string> {
    const id = randomUUID();
    await hub.sql.query(
      `INSERT INTO work_order (id, title, category, client_id, receiving_centre_id,
         client_confirmed_at, receiving_centre_confirmed_at, volume, volume_unit, pay_model, rate,
         requires_on_site, status, updated_at)
       VALUES ($1, 'データ入力', 'data-entry', $2, $3, now(), now(), 60, 'hours', 'hourly', 1200,
               $4, 'open', now())`,
      [id, randomUUID(), centre, requiresOnSite],
    );
    await hub.sql.query(
      `INSERT INTO work_order_skill (work_order_id, skill_code, minimum_level)
       VALUES ($1, 'data-entry', 3)`,
      [id],
    );
    return id;
  }

  async function candidates(identity: Identity | null, id = orderId, first = 10) {
    return hub.graphql<CandidatesAnswer>(CANDIDATES, { id, first }, identity);
  }

  beforeAll(async () => {
    ({ bus, cleanup: cleanupBus } = await nats.connect());
    hub = await startTestService(bus);
    const worker = (
      memberId: string,
      level: number,
      hours: number | null,
      organizationId = centre,
    ) => [
      memberRegistered({ memberId }),
      profileUpdated(memberId, { availableHoursPerWeek: hours, skills: skills(level) }),
      affiliationChanged({ memberId, organizationId }),
    ];
    await deliver([
      ...worker(strong, 5, 30),
      ...worker(modest, 3, 10),
      ...worker(belowMinimum, 2, 30),
      ...worker(noHours, 5, null),
      ...worker(outsider, 5, 30, elsewhere),
    ]);
    orderId = await postOrder(false);
    confidentialId = await postOrder(true);
  });

  afterAll(async () => {
    await hub?.close();
    await cleanupBus?.();
  });

  it('ranks the eligible workers of the centre for its coordinator, every score explained', async () => {
    const response = await candidates(coordinator);
    expect(response.errors).toBeUndefined();
    const list = response.data!.workOrder!.candidates!;
    expect(list.map((c) => c.member.id)).toEqual([strong, modest]);
    expect(list.map((c) => c.rank)).toEqual([1, 2]);
    for (const candidate of list) {
      expect(candidate.parts.reduce((sum, part) => sum + part.points, 0)).toBe(candidate.score);
      expect(candidate.parts).toHaveLength(6);
    }
    const capacity = list[1]!.parts.find((part) => part.factor === 'CAPACITY')!;
    // 10 h a week over the four weeks of an order without a deadline, of the 60 h it needs.
    expect(capacity.facts).toMatchObject({ capacityHours: 40, hoursNeeded: 60, grade: 66 });
  });

  it('shows the same ranking to a hub admin, and only the first ones asked for', async () => {
    const response = await candidates(asAdmin(), orderId, 1);
    expect(response.errors).toBeUndefined();
    expect(response.data!.workOrder!.candidates!.map((c) => c.member.id)).toEqual([strong]);
  });

  it.each<[string, Identity | null, string]>([
    ['an anonymous caller', null, 'UNAUTHENTICATED'],
    ['staff of another organisation', strangerStaff, 'FORBIDDEN'],
    ['a worker of the centre', asMember(modest), 'FORBIDDEN'],
    ['a partner key', asPartner({ scopes: ['members:personal:read'] }), 'FORBIDDEN'],
  ])('refuses %s', async (_who, identity, code) => {
    const response = await candidates(identity);
    expect(response.data?.workOrder?.candidates ?? null).toBeNull();
    expect(response.errors?.[0]?.extensions?.code).toBe(code);
  });

  it('refuses more than 50 candidates', async () => {
    const response = await candidates(coordinator, orderId, 51);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  describe('a delegated part', () => {
    // The centre delegates part of the order to a partner, naming as leader a member registered
    // with the partner who holds no staff role there. The partner's workers are the pool.
    const partner = randomUUID();
    const leader = randomUUID();
    const able = randomUUID();
    const keen = randomUUID();
    const leaderJoined = affiliationChanged({ memberId: leader, organizationId: partner });
    const partnerCoordinator = asMember(randomUUID(), {
      staffOf: [{ organizationId: partner, role: 'coordinator' }],
    });
    let partId: string;

    const ids = (answer: { data?: CandidatesAnswer | null }) =>
      answer.data!.workOrder!.candidates!.map((c) => c.member.id).sort();

    beforeAll(async () => {
      const partnerWorker = (memberId: string, level: number, hours: number) => [
        memberRegistered({ memberId }),
        profileUpdated(memberId, { availableHoursPerWeek: hours, skills: skills(level) }),
        affiliationChanged({ memberId, organizationId: partner }),
      ];
      await deliver([
        memberRegistered({ memberId: leader }),
        profileUpdated(leader, { availableHoursPerWeek: 20, skills: skills(4) }),
        leaderJoined,
        ...partnerWorker(able, 5, 30),
        ...partnerWorker(keen, 3, 10),
      ]);
      const delegated = await mutate<{ workOrder: { id: string } }>(
        hub,
        'delegateWorkOrder',
        {
          workOrderId: orderId,
          partnerOrganizationId: partner,
          volume: 20,
          leaderMemberId: leader,
        },
        asAdmin(),
        'workOrder { id }',
      );
      partId = delegated.payload.workOrder.id;
    });

    it('ranks the partner’s workers, not the centre’s, for the partner’s coordinator', async () => {
      const response = await candidates(partnerCoordinator, partId);
      expect(response.errors).toBeUndefined();
      expect(ids(response)).toEqual([able, keen, leader].sort());
    });

    it('refuses the centre’s coordinator: the part’s pool is the partner’s', async () => {
      const response = await candidates(coordinator, partId);
      expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });

    it('lets the leader ask; without a staff role they see only the workers they may read — themselves', async () => {
      const response = await candidates(asMember(leader), partId);
      expect(response.errors).toBeUndefined();
      expect(ids(response)).toEqual([leader]);
      // With a staff role at the partner, the partner's workers are theirs to read.
      const asStaff = asMember(leader, {
        staffOf: [{ organizationId: partner, role: 'coordinator' }],
      });
      expect(ids(await candidates(asStaff, partId))).toEqual([able, keen, leader].sort());
    });

    it('refuses the leader once their registration with the partner ended', async () => {
      await deliver([affiliationEnded(leaderJoined, japanDate(-1))]);
      const response = await candidates(asMember(leader), partId);
      expect(response.data?.workOrder?.candidates ?? null).toBeNull();
      expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });

  it('ranks nobody for a confidential order while no one is known to be allowed on site', async () => {
    const response = await candidates(coordinator, confidentialId);
    expect(response.errors).toBeUndefined();
    expect(response.data!.workOrder!.candidates).toEqual([]);
  });

  it('follows a profile change from the next ranking on', async () => {
    await deliver([profileUpdated(belowMinimum, { availableHoursPerWeek: 30, skills: skills(4) })]);
    const response = await candidates(coordinator);
    expect(response.data!.workOrder!.candidates!.map((c) => c.member.id)).toContain(belowMinimum);
  });

  it('picks up a change whose transaction committed after a later one was ranked', async () => {
    const ids = async () =>
      (await candidates(coordinator)).data!.workOrder!.candidates!.map((c) => c.member.id);
    expect(await ids()).toContain(modest);
    // A takes its seq first and stays open; B takes the next one and commits; a ranking reads
    // B's seq past A's, which must not be lost.
    const slow = await hub.sql.connect();
    try {
      await slow.query('BEGIN');
      await slow.query('UPDATE worker SET available_hours_per_week = 0 WHERE member_id = $1', [
        modest,
      ]);
      await slow.query('INSERT INTO ranking_change (member_id) VALUES ($1)', [modest]);
      await hub.sql.query('INSERT INTO ranking_change (member_id) VALUES ($1)', [strong]);
      expect(await ids()).toContain(modest);
      await slow.query('COMMIT');
    } finally {
      slow.release();
    }
    expect(await ids()).not.toContain(modest);
  });

  it('drops an erased worker from the very next ranking', async () => {
    const before = await candidates(coordinator);
    expect(before.data!.workOrder!.candidates!.map((c) => c.member.id)).toContain(strong);
    await deliver([memberErased(strong)]);
    const after = await candidates(coordinator);
    expect(after.errors).toBeUndefined();
    expect(after.data!.workOrder!.candidates!.map((c) => c.member.id)).not.toContain(strong);
  });

  describe('the centre’s weights', () => {
    const input = (weights: Record<string, number>) => ({
      input: {
        centreOrganizationId: centre,
        weights: {
          skillCoverage: 40,
          capacity: 15,
          fairSpread: 15,
          proximity: 10,
          trackRecord: 10,
          trust: 10,
          ...weights,
        },
      },
    });

    it.each([
      ['a negative weight', { capacity: -5 }, 'input.weights.capacity'],
      [
        'all zero',
        { skillCoverage: 0, capacity: 0, fairSpread: 0, proximity: 0, trackRecord: 0, trust: 0 },
        'input.weights',
      ],
    ])('refuses %s with INVALID_WEIGHTS and stores nothing', async (_what, weights, field) => {
      const response = await hub.graphql<{ setRankingWeights: Record<string, unknown> }>(
        SET_WEIGHTS,
        input(weights),
        coordinator,
      );
      expect(response.errors).toBeUndefined();
      expect(response.data!.setRankingWeights).toMatchObject({
        __typename: 'InvalidInputError',
        code: 'INVALID_WEIGHTS',
        field,
      });
      expect(response.data!.setRankingWeights.message).toMatch(/[ぁ-んァ-ヶ一-龠]/);
      expect(await countRows(hub.sql, 'ranking_weights')).toBe(0);
    });

    it('refuses staff of another organisation', async () => {
      const response = await hub.graphql(SET_WEIGHTS, input({}), strangerStaff);
      expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(await countRows(hub.sql, 'ranking_weights')).toBe(0);
    });

    it('stores valid weights, shows them on the organisation and ranks with them', async () => {
      const representation = { r: [{ __typename: 'Organization', id: centre }] };
      const defaults = await hub.graphql<{ _entities: { rankingWeights: unknown }[] }>(
        ORGANIZATION_WEIGHTS,
        representation,
        coordinator,
      );
      expect(defaults.data!._entities[0]!.rankingWeights).toMatchObject({
        skillCoverage: 40,
        isDefault: true,
        updatedAt: null,
      });
      const weights = {
        skillCoverage: 0,
        capacity: 1,
        fairSpread: 0,
        proximity: 0,
        trackRecord: 0,
        trust: 0,
      };
      const set = await hub.graphql<{ setRankingWeights: Record<string, unknown> }>(
        SET_WEIGHTS,
        input(weights),
        coordinator,
      );
      expect(set.data!.setRankingWeights).toEqual({
        __typename: 'SetRankingWeightsSuccess',
        rankingWeights: { ...weights, isDefault: false },
      });
      const shown = await hub.graphql<{ _entities: { rankingWeights: unknown }[] }>(
        ORGANIZATION_WEIGHTS,
        representation,
        coordinator,
      );
      expect(shown.data!._entities[0]!.rankingWeights).toMatchObject({
        skillCoverage: 0,
        isDefault: false,
      });
      // Only capacity counts now: the score is the capacity grade, the other parts 0.
      const ranked = (await candidates(coordinator)).data!.workOrder!.candidates!;
      for (const candidate of ranked) {
        const capacity = candidate.parts.find((part) => part.factor === 'CAPACITY')!;
        expect(candidate.score).toBe(capacity.facts.grade);
        expect(
          candidate.parts.filter((part) => part.factor !== 'CAPACITY').every((p) => p.points === 0),
        ).toBe(true);
      }
    });
  });
});
