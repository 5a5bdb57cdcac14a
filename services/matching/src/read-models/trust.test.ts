import { randomUUID } from 'node:crypto';
import type { EventBus, EventEnvelope } from '@hub/event-bus';
import { waitFor } from '@hub/testing';
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
  shifted,
} from '../../test/support/member-events.js';
import { referralChanged } from '../../test/support/place-events.js';
import { connectDatabase, type Database } from '../db.js';
import { MEMBER_ERASURE_CONSUMER } from '../events/member-erasure.js';
import { REFERRALS_CONSUMER } from '../events/referrals.js';
import { WORKER_AFFILIATIONS_CONSUMER } from '../events/worker-affiliations.js';
import { type TrustViewer, trustDistance, trustDistancesFrom } from './trust.js';

// Trust is the referral distance over matching's copy of the graph (members.referral.changed),
// with members' rule for which links a viewer may count (trust-distance.ts there).
const nats = buses.find((factory) => factory.name === 'NATS JetStream')!;

const CONSUMER_OF: Record<string, string> = {
  'members.referral.changed': REFERRALS_CONSUMER,
  'members.affiliation.changed': WORKER_AFFILIATIONS_CONSUMER,
  'members.member.erased': MEMBER_ERASURE_CONSUMER,
};

describe('trust over the referral read model (NATS JetStream)', () => {
  let bus: EventBus;
  let cleanupBus: () => Promise<void>;
  let hub: TestService;
  let database: Database;

  beforeAll(async () => {
    ({ bus, cleanup: cleanupBus } = await nats.connect());
    hub = await startTestService(bus);
    database = connectDatabase({ url: hub.database.url, poolMax: 2 });
  });

  afterAll(async () => {
    await database?.close();
    await hub?.close();
    await cleanupBus?.();
  });

  async function publish(...events: EventEnvelope[]): Promise<void> {
    for (const event of events) await bus.publish(event);
    for (const event of events) {
      const consumer = CONSUMER_OF[event.type]!;
      await waitFor(
        async () =>
          (await countRows(hub.sql, 'inbox_event', 'consumer = $1 AND event_id = $2', [
            consumer,
            event.id,
          ])) === 1 || undefined,
        { message: `${event.type} ${event.id} handled`, timeoutMs: 10_000 },
      );
    }
  }

  const member = (memberId: string): TrustViewer => ({
    memberId,
    staffOrganizationIds: [],
    today: japanDate(0),
  });
  const staffOf = (organizationId: string): TrustViewer => ({
    memberId: randomUUID(),
    staffOrganizationIds: [organizationId],
    today: japanDate(0),
  });
  const distance = (fromMemberId: string, toMemberId: string, viewer: TrustViewer) =>
    trustDistance(database.prisma, { fromMemberId, toMemberId, viewer });

  /** coordinator ← b ← c ← d: each introduced by the one before; b's links hidden. */
  async function chain() {
    const [coordinator, b, c, d] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await publish(
      referralChanged(coordinator, null, 'members'),
      referralChanged(b, coordinator, 'staff'),
      referralChanged(c, b, 'public'),
      referralChanged(d, c, 'members'),
    );
    return { coordinator, b, c, d };
  }

  it('counts every link for everyone; 0 for the same known member, null for an unknown one', async () => {
    const { coordinator, b, c, d } = await chain();
    expect(await distance(coordinator, d, 'everyone')).toBe(3);
    expect(await distance(d, coordinator, 'everyone')).toBe(3);
    expect(await distance(b, b, 'everyone')).toBe(0);
    expect(await distance(randomUUID(), randomUUID(), 'everyone')).toBeNull();
    expect(
      await trustDistancesFrom(database.prisma, { fromMemberId: coordinator, viewer: 'everyone' }),
    ).toEqual(
      new Map([
        [coordinator, 0],
        [b, 1],
        [c, 2],
        [d, 3],
      ]),
    );
    expect(
      await trustDistancesFrom(database.prisma, { fromMemberId: randomUUID(), viewer: 'everyone' }),
    ).toEqual(new Map());
  });

  it('hides a link whose referrer shows the profile to staff only from other members', async () => {
    const { coordinator, b, c, d } = await chain();
    const stranger = randomUUID();
    // b ← c is hidden (b: staff only); coordinator ← b is visible (coordinator: members).
    expect(await distance(coordinator, d, member(stranger))).toBeNull();
    expect(await distance(coordinator, b, member(stranger))).toBe(1);
    expect(await distance(c, d, member(stranger))).toBe(1);
    expect(
      await trustDistancesFrom(database.prisma, {
        fromMemberId: coordinator,
        viewer: member(stranger),
      }),
    ).toEqual(
      new Map([
        [coordinator, 0],
        [b, 1],
      ]),
    );
    // Either side of the hidden link may count it.
    expect(await distance(coordinator, d, member(c))).toBe(3);
    expect(await distance(coordinator, d, member(b))).toBe(3);
  });

  it('counts a hidden link for staff of an organisation either side is affiliated with today', async () => {
    const { coordinator, c, d } = await chain();
    const centre = randomUUID();
    const former = randomUUID();
    const affiliation = affiliationChanged({ memberId: c, organizationId: centre });
    const ended = affiliationChanged({ memberId: c, organizationId: former });
    await publish(affiliation, ended, affiliationEnded(ended, japanDate(-1)));
    expect(await distance(coordinator, d, staffOf(centre))).toBe(3);
    expect(
      (
        await trustDistancesFrom(database.prisma, {
          fromMemberId: coordinator,
          viewer: staffOf(centre),
        })
      ).get(d),
    ).toBe(3);
    // An affiliation that ended yesterday counts no more; another organisation's staff never.
    expect(await distance(coordinator, d, staffOf(former))).toBeNull();
    expect(await distance(coordinator, d, staffOf(randomUUID()))).toBeNull();
  });

  it('keeps the newest referral state: an older event does not undo a newer one', async () => {
    const { coordinator, b, d } = await chain();
    const opened = referralChanged(b, coordinator, 'public');
    await publish(opened);
    expect(await distance(coordinator, d, member(randomUUID()))).toBe(3);
    await publish(shifted(opened, 60_000, { profileVisibility: 'staff' }));
    expect(await distance(coordinator, d, member(randomUUID()))).toBe(3);
  });

  it('drops an erased member’s own link; the links to those they introduced count as staff-only', async () => {
    const { coordinator, b, c, d } = await chain();
    await publish(referralChanged(b, coordinator, 'public'));
    await publish(memberErased(b));
    expect(await countRows(hub.sql, 'referral', 'member_id = $1', [b])).toBe(0);
    // coordinator ← b went with b; b ← c stays (c's), seen by c and their organisations' staff.
    expect(await distance(coordinator, d, 'everyone')).toBeNull();
    expect(await distance(d, b, 'everyone')).toBe(2);
    expect(await distance(d, b, member(randomUUID()))).toBeNull();
    expect(await distance(d, b, member(c))).toBe(2);
    // A late event about the erased member does not bring the link back.
    await publish(referralChanged(b, coordinator, 'public'));
    expect(await countRows(hub.sql, 'referral', 'member_id = $1', [b])).toBe(0);
  });

  it('notes a ranking change for the member, their referrer and those they introduced', async () => {
    const { coordinator, b, c } = await chain();
    const notes = (id: string) => countRows(hub.sql, 'ranking_change', 'member_id = $1', [id]);
    const before = [await notes(coordinator), await notes(b), await notes(c)];
    await publish(referralChanged(b, coordinator, 'members'));
    expect([await notes(coordinator), await notes(b), await notes(c)]).toEqual(
      before.map((count) => count + 1),
    );
  });
});
