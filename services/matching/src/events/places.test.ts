import { randomUUID } from 'node:crypto';
import type { EventBus, EventEnvelope } from '@hub/event-bus';
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
  affiliationEnded,
  japanDate,
  memberErased,
  shifted,
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
import { centrePlaces, homeSpacesOn } from '../read-models/places.js';
import { allowedInSatelliteOfficeOf } from '../read-models/satellite-access.js';
import { MEMBER_ERASURE_CONSUMER } from './member-erasure.js';
import { PLACES_CONSUMER } from './places.js';
import { REFERRALS_CONSUMER } from './referrals.js';
import { WORKER_AFFILIATIONS_CONSUMER } from './worker-affiliations.js';

// The read models of spaces' facts are fed by its events only, through real NATS JetStream and
// PostgreSQL: idempotent (the inbox), ordering-safe (source_event_at), erasure-aware.
const nats = buses.find((factory) => factory.name === 'NATS JetStream')!;

describe('place read models fed by spaces events (NATS JetStream)', () => {
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

  const handled = (event: EventEnvelope, consumer = PLACES_CONSUMER) =>
    waitFor(
      async () =>
        (await countRows(hub.sql, 'inbox_event', 'consumer = $1 AND event_id = $2', [
          consumer,
          event.id,
        ])) === 1 || undefined,
      { message: `${event.type} ${event.id} handled by ${consumer}`, timeoutMs: 10_000 },
    );

  async function publish(...events: EventEnvelope[]): Promise<void> {
    for (const event of events) await bus.publish(event);
    for (const event of events) {
      await handled(
        event,
        event.type === 'members.affiliation.changed'
          ? WORKER_AFFILIATIONS_CONSUMER
          : event.type === 'members.member.erased'
            ? MEMBER_ERASURE_CONSUMER
            : event.type === 'members.referral.changed'
              ? REFERRALS_CONSUMER
              : PLACES_CONSUMER,
      );
    }
  }

  async function row(table: string, key: string, id: string) {
    const result = await hub.sql.query(`SELECT * FROM ${table} WHERE ${key} = $1`, [id]);
    return result.rows[0] as Record<string, unknown> | undefined;
  }

  /** The ranking notes written for a member so far. */
  const notes = (memberId: string) =>
    countRows(hub.sql, 'ranking_change', 'member_id = $1', [memberId]);

  it('keeps a space: the newest event wins, a redelivery has no second effect', async () => {
    const registered = spaceRegistered();
    const space = registered.data;
    const home = membershipStarted({ spaceId: space.spaceId });
    await publish(registered, home);
    expect(await row('space', 'space_id', space.spaceId)).toMatchObject({
      name: space.name,
      kind: 'telework-centre',
      status: 'open',
      municipality_code: '012157',
      operator_id: space.operatorId,
      latitude: 43.33,
      longitude: 141.85,
    });
    const notesBefore = await notes(home.data.memberId);

    const moved = spaceUpdated(space, { municipalityCode: '011002', latitude: 43.06 }, [
      'municipality',
      'location',
    ]);
    await publish(moved);
    expect(await row('space', 'space_id', space.spaceId)).toMatchObject({
      municipality_code: '011002',
      latitude: 43.06,
    });
    // Members homed there rank by its place: their ranking facts changed.
    expect(await notes(home.data.memberId)).toBe(notesBefore + 1);

    // Older (a retry that lost the race, a replay): ignored. The same id again: no effect.
    const older = shifted(moved, 60_000, { status: 'closed' });
    await publish(older);
    await new Promise((resolve) => setTimeout(resolve, 150)); // past the duplicate window
    await bus.publish({ ...moved, data: { ...moved.data, name: '二度目' } });
    await publish(spaceRegistered()); // a barrier: the consumer handles events in order
    expect(await row('space', 'space_id', space.spaceId)).toMatchObject({
      name: space.name,
      status: 'open',
      municipality_code: '011002',
    });
    expect(await notes(home.data.memberId)).toBe(notesBefore + 1);
  });

  it('keeps home spaces; an end that overtook its start stays ended', async () => {
    const started = membershipStarted({ plan: 'resident' });
    const ended = membershipEnded(started.data, '2026-11-30');
    // The end is written after the start but delivered first.
    await publish({ ...ended, occurredAt: new Date(Date.now() + 1_000).toISOString() });
    await publish(started);
    expect(await row('home_space', 'membership_id', started.data.membershipId)).toMatchObject({
      member_id: started.data.memberId,
      space_id: started.data.spaceId,
      municipality_code: '012157',
      plan: 'resident',
      starts_on: new Date('2024-04-01T00:00:00Z'),
      ends_on: new Date('2026-11-30T00:00:00Z'),
    });
    expect(await notes(started.data.memberId)).toBe(1);
  });

  it('removes an erased member’s home spaces and keeps late events about them out', async () => {
    const started = membershipStarted();
    const memberId = started.data.memberId;
    const other = membershipStarted({ spaceId: started.data.spaceId });
    await publish(started, other);
    await publish(memberErased(memberId));
    expect(await countRows(hub.sql, 'home_space', 'member_id = $1', [memberId])).toBe(0);
    expect(await countRows(hub.sql, 'home_space', 'member_id = $1', [other.data.memberId])).toBe(1);
    // A late membership of theirs (a replay, a retry) is not added back.
    await publish(membershipStarted({ memberId }));
    expect(await countRows(hub.sql, 'home_space', 'member_id = $1', [memberId])).toBe(0);
  });

  it('replaces a network’s sites with its newest state, noting members homed at either', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const atA = membershipStarted({ spaceId: a });
    const atC = membershipStarted({ spaceId: c });
    await publish(atA, atC);
    const created = networkChanged({ spaceIds: [a, b] });
    await publish(created);
    const sites = async () =>
      (
        await hub.sql.query(
          'SELECT space_id, kind, minimum_plan FROM network_site WHERE network_id = $1 ORDER BY space_id',
          [created.data.networkId],
        )
      ).rows;
    expect(await sites()).toEqual(
      [a, b]
        .sort()
        .map((spaceId) => ({ space_id: spaceId, kind: 'visa', minimum_plan: 'monthly' })),
    );
    const [notesA, notesC] = [await notes(atA.data.memberId), await notes(atC.data.memberId)];

    const changed = networkChanged({
      networkId: created.data.networkId,
      kind: 'common-ticket',
      spaceIds: [b, c],
    });
    await publish(changed);
    expect(await sites()).toEqual(
      [b, c]
        .sort()
        .map((spaceId) => ({ space_id: spaceId, kind: 'common-ticket', minimum_plan: 'monthly' })),
    );
    // A left the network, C joined: both homed members' proximity changed.
    expect(await notes(atA.data.memberId)).toBe(notesA + 1);
    expect(await notes(atC.data.memberId)).toBe(notesC + 1);

    await publish(shifted(created, 60_000));
    expect((await sites()).map((site) => site.space_id)).toEqual([b, c].sort());
  });

  it('lets into a client’s satellite office its affiliates while a lease at an open space covers the day', async () => {
    const space = spaceRegistered({ kind: 'satellite-office' });
    const clientId = randomUUID();
    const affiliate = affiliationChanged({ organizationId: clientId });
    const former = affiliationChanged({ organizationId: clientId });
    const outsider = affiliationChanged();
    await publish(space, affiliate, former, outsider, affiliationEnded(former, japanDate(-1)));
    const allowed = (day = japanDate(0)) =>
      allowedInSatelliteOfficeOf(database.prisma, clientId, day);
    expect(await allowed()).toEqual(new Set());

    const lease = leaseGranted({ spaceId: space.data.spaceId, tenantOrganizationId: clientId });
    await publish(lease);
    expect(await allowed()).toEqual(new Set([affiliate.data.memberId]));
    // The day the former affiliate was still registered, they were allowed too.
    expect(await allowed(japanDate(-1))).toEqual(
      new Set([affiliate.data.memberId, former.data.memberId]),
    );
    // Granting the lease changed who may work there: its affiliates' ranking facts.
    expect(await notes(affiliate.data.memberId)).toBeGreaterThanOrEqual(2);

    // The space closes: nobody enters (as spaces' canEnter). It reopens; the lease ends.
    await publish(spaceUpdated(space.data, { status: 'closed' }, ['status']));
    expect(await allowed()).toEqual(new Set());
    await publish(spaceUpdated(space.data, { status: 'open' }, ['status']));
    expect(await allowed()).toEqual(new Set([affiliate.data.memberId]));
    await publish(leaseEnded(lease.data, japanDate(-1)));
    expect(await allowed()).toEqual(new Set());
    expect(await allowed(japanDate(-1))).toEqual(
      new Set([affiliate.data.memberId, former.data.memberId]),
    );
  });

  it('shows the member their home spaces and referral row in their data export, until erasure', async () => {
    const started = membershipStarted({ plan: 'resident', endsOn: '2026-12-31' });
    const memberId = started.data.memberId;
    const referrerId = randomUUID();
    await publish(started, referralChanged(memberId, referrerId, 'staff'));
    const exportOf = async () => {
      const response = await hub.graphql<{ _entities: { matching: Record<string, unknown> }[] }>(
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on DataExport { matching } } }`,
        { r: [{ __typename: 'DataExport', memberId }] },
        asMember(memberId),
      );
      expect(response.errors).toBeUndefined();
      return response.data!._entities[0]!.matching;
    };
    expect(await exportOf()).toMatchObject({
      homeSpaces: [
        {
          membershipId: started.data.membershipId,
          spaceId: started.data.spaceId,
          municipalityCode: '012157',
          plan: 'resident',
          startsOn: '2024-04-01',
          endsOn: '2026-12-31',
          sourceEventAt: started.occurredAt,
          updatedAt: expect.any(String),
        },
      ],
      referral: {
        referredById: referrerId,
        profileVisibility: 'staff',
        sourceEventAt: expect.any(String),
        updatedAt: expect.any(String),
      },
    });
    await publish(memberErased(memberId));
    expect(await exportOf()).toMatchObject({ homeSpaces: [], referral: null });
  });

  it('answers ranking’s proximity questions: home spaces on a day, the centre’s places and network', async () => {
    const centreId = randomUUID();
    const centre = spaceRegistered({ operatorId: centreId, municipalityCode: '012157' });
    const closed = spaceRegistered({ operatorId: centreId, status: 'closed' });
    const partner = spaceRegistered({ municipalityCode: '011002' });
    const elsewhere = spaceRegistered();
    const network = networkChanged({
      spaceIds: [centre.data.spaceId, partner.data.spaceId],
    });
    const member = randomUUID();
    const current = membershipStarted({ memberId: member, spaceId: partner.data.spaceId });
    const past = membershipStarted({ memberId: member, spaceId: elsewhere.data.spaceId });
    await publish(centre, closed, partner, elsewhere, network, current, past);
    await publish(membershipEnded(past.data, japanDate(-2)));

    expect(await homeSpacesOn(database.prisma, [member, randomUUID()])).toEqual(
      new Map([[member, [partner.data.spaceId]]]),
    );
    expect(await homeSpacesOn(database.prisma, [member], japanDate(-3))).toEqual(
      new Map([[member, [elsewhere.data.spaceId, partner.data.spaceId].sort()]]),
    );
    expect(await centrePlaces(database.prisma, centreId)).toEqual({
      spaceIds: new Set([centre.data.spaceId]),
      municipalityCodes: new Set(['012157']),
      networkSpaceIds: new Set([centre.data.spaceId, partner.data.spaceId]),
    });
    expect(await centrePlaces(database.prisma, randomUUID())).toEqual({
      spaceIds: new Set(),
      municipalityCodes: new Set(),
      networkSpaceIds: new Set(),
    });
  });
});
