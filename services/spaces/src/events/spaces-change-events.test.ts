import { randomUUID } from 'node:crypto';
import { dateColumn, isoDate, todayInJapan } from '@hub/contracts';
import {
  connectNatsBus,
  createInProcessBus,
  type EventBus,
  type EventEnvelope,
} from '@hub/event-bus';
import { createLogger } from '@hub/service-kit';
import {
  asAdmin,
  asMember,
  startTestService,
  type TestService,
  testBuses,
  waitFor,
} from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSpacesService } from '../app.js';

// The events matching and the gateway's cache need from spaces (issue 10), from real mutations
// through the outbox and relay, as a consumer receives them on both buses: a space's change of
// hours and location, a network's full state after each change, a lease granted and ended, a
// pass day redeemed and cancelled.

const logger = createLogger({ name: 'spaces-change-events-test', level: 'silent' });
const buses = testBuses({
  name: 'spaces-change-test',
  streams: ['spaces'],
  logger,
  connectNatsBus,
  createInProcessBus,
});

const TYPES = [
  'spaces.space.updated',
  'spaces.space-network.changed',
  'spaces.satellite-lease.granted',
  'spaces.satellite-lease.ended',
  'spaces.pass.redeemed',
  'spaces.pass.redemption-cancelled',
] as const;

const admin = asAdmin();
const inDays = (days: number) => {
  const date = dateColumn(todayInJapan());
  date.setUTCDate(date.getUTCDate() + days);
  return isoDate(date);
};

describe.each(buses)('spaces’ change events ($name)', (factory) => {
  let bus: EventBus;
  let cleanupBus: () => Promise<void>;
  let service: TestService;
  const received: EventEnvelope[] = [];

  /** Runs a mutation as `identity`, expects its success type, returns that payload. */
  async function mutate<T = Record<string, unknown>>(
    name: string,
    input: Record<string, unknown>,
    selection: string,
    identity = admin,
  ): Promise<T> {
    const type = `${name[0]!.toUpperCase()}${name.slice(1)}`;
    const response = await service.gql<Record<string, Record<string, unknown>>>(
      `mutation ($input: ${type}Input!) { ${name}(input: $input) {
        __typename ... on ${type}Success { ${selection} } ... on Error { code field }
      } }`,
      { input },
      identity,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data![name]).toMatchObject({ __typename: `${type}Success` });
    return response.data![name] as T;
  }

  /** The events received about `subject`, once there are `count` of them. */
  const eventsOf = (subject: string, count: number) =>
    waitFor(() => {
      const mine = received.filter((event) => event.subject === subject);
      return mine.length >= count ? mine : undefined;
    });

  const createSpace = async (operatorId: string | null = null) =>
    (
      await mutate<{ space: { id: string } }>(
        'createSpace',
        { name: 'えんぱーく', kind: 'TELEWORK_CENTRE', municipalityCode: '202151', operatorId },
        'space { id }',
      )
    ).space.id;

  beforeAll(async () => {
    ({ bus, cleanup: cleanupBus } = await factory.connect());
    service = await startTestService({
      name: 'spaces-change-events',
      migrationsDir: new URL('../../prisma/migrations', import.meta.url).pathname,
      start: startSpacesService,
      bus,
      logger,
    });
    await service.sql.query(
      "INSERT INTO municipality (code, name, prefecture) VALUES ('202151', '塩尻市', '長野県')",
    );
    await bus.subscribe({
      consumer: `change-listener-${randomUUID().slice(0, 8)}`,
      types: [...TYPES],
      handler: async (event) => {
        received.push(event);
      },
    });
  });

  afterAll(async () => {
    await service?.stop();
    await cleanupBus?.();
  });

  it('publishes a change of hours and location with the location', async () => {
    const spaceId = await createSpace();
    await mutate(
      'updateSpace',
      {
        id: spaceId,
        latitude: 36.1157,
        longitude: 137.9535,
        openingHours: { weekly: [{ weekday: 'MONDAY', opens: '09:00', closes: '21:00' }] },
      },
      'space { id }',
    );
    const [updated] = await eventsOf(spaceId, 1);
    expect(updated).toMatchObject({ type: 'spaces.space.updated', source: 'spaces' });
    expect(updated!.data).toEqual({
      spaceId,
      name: 'えんぱーく',
      kind: 'telework-centre',
      status: 'open',
      municipalityCode: '202151',
      operatorId: null,
      latitude: 36.1157,
      longitude: 137.9535,
      changed: ['location', 'hours'],
    });
  });

  it('publishes a network’s full state after each change', async () => {
    const [first, second] = [await createSpace(), await createSpace()];
    const { network } = await mutate<{ network: { id: string } }>(
      'createSpaceNetwork',
      {
        name: '中信コワーキングビザ',
        kind: 'VISA',
        sites: [{ spaceId: first, freeDaysPerMonth: 2, noticeDays: 1, minimumPlan: 'MONTHLY' }],
      },
      'network { id }',
    );
    const networkId = network.id;
    await mutate(
      'setSpaceNetworkTerms',
      { networkId, spaceId: second, freeDaysPerMonth: 3, discountPercent: 50 },
      'network { id }',
    );
    await mutate('updateSpaceNetwork', { networkId, name: '中信3拠点ビザ' }, 'network { id }');
    await mutate('removeSpaceFromNetwork', { networkId, spaceId: first }, 'network { id }');
    const events = await eventsOf(networkId, 4);
    expect(events.map((event) => event.type)).toEqual(
      Array(4).fill('spaces.space-network.changed'),
    );
    const firstTerms = {
      spaceId: first,
      freeDaysPerMonth: 2,
      discountPercent: 0,
      noticeDays: 1,
      minimumPlan: 'monthly',
    };
    const secondTerms = {
      spaceId: second,
      freeDaysPerMonth: 3,
      discountPercent: 50,
      noticeDays: 0,
      minimumPlan: 'drop-in',
    };
    expect(events.map((event) => event.data)).toEqual([
      { networkId, name: '中信コワーキングビザ', kind: 'visa', sites: [firstTerms] },
      { networkId, name: '中信コワーキングビザ', kind: 'visa', sites: [firstTerms, secondTerms] },
      { networkId, name: '中信3拠点ビザ', kind: 'visa', sites: [firstTerms, secondTerms] },
      { networkId, name: '中信3拠点ビザ', kind: 'visa', sites: [secondTerms] },
    ]);
  });

  it('publishes a satellite lease granted, then ended early', async () => {
    const spaceId = await createSpace();
    const { room } = await mutate<{ room: { id: string } }>(
      'createRoom',
      { spaceId, name: 'サテライト A', kind: 'SATELLITE_OFFICE' },
      'room { id }',
    );
    const tenantOrganizationId = randomUUID();
    const { lease } = await mutate<{ lease: { id: string } }>(
      'leaseSatelliteOffice',
      { roomId: room.id, tenantOrganizationId, startsOn: '2026-12-01' },
      'lease { id }',
    );
    await mutate('endSatelliteLease', { leaseId: lease.id, endsOn: '2027-03-31' }, 'lease { id }');
    const events = await eventsOf(lease.id, 2);
    const facts = {
      leaseId: lease.id,
      spaceId,
      roomId: room.id,
      tenantOrganizationId,
      startsOn: '2026-12-01',
    };
    expect(events.map((event) => [event.type, event.data])).toEqual([
      ['spaces.satellite-lease.granted', { ...facts, endsOn: null }],
      ['spaces.satellite-lease.ended', { ...facts, endsOn: '2027-03-31' }],
    ]);
  });

  it('publishes a pass day redeemed, then cancelled, with ids and the day only', async () => {
    const [home, host] = [await createSpace(), await createSpace()];
    const { network } = await mutate<{ network: { id: string } }>(
      'createSpaceNetwork',
      {
        name: '共通利用券',
        kind: 'COMMON_TICKET',
        sites: [
          { spaceId: home, freeDaysPerMonth: 2 },
          { spaceId: host, freeDaysPerMonth: 2 },
        ],
      },
      'network { id }',
    );
    const memberId = randomUUID();
    const { membership } = await mutate<{ membership: { id: string } }>(
      'startSpaceMembership',
      { memberId, spaceId: home, plan: 'MONTHLY', startsOn: inDays(-10) },
      'membership { id }',
    );
    const { pass } = await mutate<{ pass: { id: string } }>(
      'issuePass',
      {
        networkId: network.id,
        membershipId: membership.id,
        validFrom: inDays(0),
        validUntil: inDays(60),
      },
      'pass { id }',
    );
    const date = inDays(5);
    const { redemption } = await mutate<{ redemption: { id: string } }>(
      'redeemPass',
      { passId: pass.id, hostSpaceId: host, date },
      'redemption { id }',
      asMember(memberId),
    );
    await mutate(
      'cancelPassRedemption',
      { redemptionId: redemption.id },
      'redemption { id }',
      asMember(memberId),
    );
    const events = await eventsOf(redemption.id, 2);
    const data = {
      redemptionId: redemption.id,
      passId: pass.id,
      networkId: network.id,
      memberId,
      hostSpaceId: host,
      date,
    };
    expect(events.map((event) => [event.type, event.data])).toEqual([
      ['spaces.pass.redeemed', data],
      ['spaces.pass.redemption-cancelled', data],
    ]);
  });
});
