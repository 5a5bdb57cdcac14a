import { randomUUID } from 'node:crypto';
import { type TAffiliationRole, todayInJapan } from '@hub/contracts';
import { createEvent, createInProcessBus } from '@hub/event-bus';
import { createLogger } from '@hub/service-kit';
import { asAdmin, asMember, handledBy, startTestService, type TestService } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSpacesService } from '../app.js';
import { MEMBER_AFFILIATIONS_CONSUMER } from '../events/member-affiliations.js';

// Rooms, satellite-office leases, the affiliation read model and canEnter on a real database
// through the subgraph: every refusal typed and nothing written, a room never let twice for
// overlapping periods (also by 10 concurrent requests), and each reason canEnter gives.

const migrationsDir = new URL('../../prisma/migrations', import.meta.url).pathname;
const bus = createInProcessBus();
let service: TestService;

const admin = asAdmin();
const operatorId = randomUUID();
const tenantId = randomUUID();
const staffMemberId = randomUUID();
const operatorStaff = asMember(staffMemberId, {
  staffOf: [{ organizationId: operatorId, role: 'staff' }],
});

const ERROR_FIELDS = '... on Error { __typename code message messageEn field }';
type Payload = Record<string, unknown> & { __typename: string; code?: string; field?: string };

let spaceId: string;
let commonId: string;
let officeId: string;
let vacantOfficeId: string;

const count = async (table: string) =>
  Number((await service.sql.query(`SELECT count(*) FROM ${table}`)).rows[0].count);

const shift = (days: number) => {
  const date = new Date(`${todayInJapan()}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};

async function createRoom(input: Record<string, unknown>, identity = admin) {
  return service.gql<{ createRoom: Payload & { room?: { id: string } } }>(
    `mutation ($input: CreateRoomInput!) { createRoom(input: $input) {
      __typename ... on CreateRoomSuccess { room { id name kind capacity space { id } } } ${ERROR_FIELDS} } }`,
    { input },
    identity,
  );
}

async function lease(input: Record<string, unknown>, identity = admin) {
  return service.gql<{ leaseSatelliteOffice: Payload }>(
    `mutation ($input: LeaseSatelliteOfficeInput!) { leaseSatelliteOffice(input: $input) {
      __typename ... on LeaseSatelliteOfficeSuccess { lease { id startsOn endsOn tenant { id } room { id } } }
      ${ERROR_FIELDS} } }`,
    { input },
    identity,
  );
}

async function affiliation(
  memberId: string,
  organizationId: string,
  role: TAffiliationRole,
  endsOn: string | null = null,
) {
  const event = createEvent('members.affiliation.changed', {
    subject: memberId,
    data: {
      affiliationId: randomUUID(),
      memberId,
      organizationId,
      role,
      startsOn: shift(-30),
      endsOn,
      change: endsOn ? 'ended' : 'started',
    },
  });
  await bus.publish(event);
  await handledBy(service.sql, MEMBER_AFFILIATIONS_CONSUMER, event);
}

const CAN_ENTER = `query ($memberId: ID!, $spaceId: ID!, $roomId: ID) {
  canEnter(memberId: $memberId, spaceId: $spaceId, roomId: $roomId) { allowed reason message }
}`;
async function canEnter(memberId: string, roomId?: string, identity = operatorStaff) {
  const response = await service.gql<{
    canEnter: { allowed: boolean; reason: string; message: string };
  }>(CAN_ENTER, { memberId, spaceId, roomId }, identity);
  expect(response.errors).toBeUndefined();
  return response.data!.canEnter;
}

beforeAll(async () => {
  service = await startTestService({
    name: 'spaces-rooms',
    migrationsDir,
    start: startSpacesService,
    bus,
    logger: createLogger({ name: 'spaces-rooms-test', level: 'silent' }),
  });
  await service.sql.query(
    "INSERT INTO municipality (code, name, prefecture) VALUES ('202151', '塩尻市', '長野県')",
  );
  const space = await service.gql<{ createSpace: { space: { id: string } } }>(
    'mutation ($input: CreateSpaceInput!) { createSpace(input: $input) { ... on CreateSpaceSuccess { space { id } } } }',
    {
      input: {
        name: 'テレワークセンター',
        kind: 'TELEWORK_CENTRE',
        municipalityCode: '202151',
        operatorId,
      },
    },
    admin,
  );
  spaceId = space.data!.createSpace.space.id;
  const common = await createRoom(
    { spaceId, name: 'コワーキング', kind: 'COMMON_AREA', capacity: 30 },
    operatorStaff,
  );
  expect(common.data!.createRoom.__typename).toBe('CreateRoomSuccess');
  commonId = common.data!.createRoom.room!.id;
  officeId = (
    await createRoom({ spaceId, name: 'サテライト A', kind: 'SATELLITE_OFFICE', capacity: 6 })
  ).data!.createRoom.room!.id;
  vacantOfficeId = (await createRoom({ spaceId, name: 'サテライト B', kind: 'SATELLITE_OFFICE' }))
    .data!.createRoom.room!.id;
});

afterAll(async () => {
  await service?.stop();
});

describe('rooms', () => {
  it('lists a space’s rooms by name in the public directory', async () => {
    const response = await service.gql<{ space: { rooms: { name: string; kind: string }[] } }>(
      'query ($id: ID!) { space(id: $id) { rooms { name kind } } }',
      { id: spaceId },
    );
    expect(response.data!.space.rooms).toEqual([
      { name: 'コワーキング', kind: 'COMMON_AREA' },
      { name: 'サテライト A', kind: 'SATELLITE_OFFICE' },
      { name: 'サテライト B', kind: 'SATELLITE_OFFICE' },
    ]);
  });

  it('refuses bad input with a typed error and writes nothing', async () => {
    const before = await count('room');
    const zero = await createRoom({ spaceId, name: 'x', kind: 'MEETING_ROOM', capacity: 0 });
    expect(zero.data!.createRoom).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'input.capacity',
    });
    const unknown = await createRoom({ spaceId: randomUUID(), name: 'x', kind: 'MEETING_ROOM' });
    expect(unknown.data!.createRoom).toMatchObject({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
    });
    const stranger = await createRoom(
      { spaceId, name: 'x', kind: 'MEETING_ROOM' },
      asMember(randomUUID(), { staffOf: [{ organizationId: randomUUID(), role: 'staff' }] }),
    );
    expect(stranger.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await count('room')).toBe(before);
  });
});

describe('satellite leases', () => {
  it('lets a satellite office and refuses an overlapping period', async () => {
    const first = await lease({
      roomId: officeId,
      tenantOrganizationId: tenantId,
      startsOn: shift(-10),
      endsOn: shift(100),
    });
    expect(first.data!.leaseSatelliteOffice).toMatchObject({
      __typename: 'LeaseSatelliteOfficeSuccess',
      lease: {
        startsOn: shift(-10),
        endsOn: shift(100),
        tenant: { id: tenantId },
        room: { id: officeId },
      },
    });
    const before = await count('satellite_lease');
    const overlap = await lease({
      roomId: officeId,
      tenantOrganizationId: randomUUID(),
      startsOn: shift(100),
    });
    expect(overlap.data!.leaseSatelliteOffice).toMatchObject({
      __typename: 'ConflictError',
      code: 'ROOM_ALREADY_LET',
      field: 'input.startsOn',
      messageEn: 'the room is already let for part of that period',
    });
    // The day after the lease ends is free.
    const after = await lease({
      roomId: officeId,
      tenantOrganizationId: randomUUID(),
      startsOn: shift(101),
      endsOn: shift(200),
    });
    expect(after.data!.leaseSatelliteOffice.__typename).toBe('LeaseSatelliteOfficeSuccess');
    expect(await count('satellite_lease')).toBe(before + 1);
  });

  it('refuses a backwards period, a room that is no satellite office and an unknown room', async () => {
    const before = await count('satellite_lease');
    const backwards = await lease({
      roomId: vacantOfficeId,
      tenantOrganizationId: tenantId,
      startsOn: shift(300),
      endsOn: shift(299),
    });
    expect(backwards.data!.leaseSatelliteOffice).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'input.endsOn',
    });
    const common = await lease({
      roomId: commonId,
      tenantOrganizationId: tenantId,
      startsOn: shift(300),
    });
    expect(common.data!.leaseSatelliteOffice).toMatchObject({
      __typename: 'ConflictError',
      field: 'input.roomId',
    });
    const unknown = await lease({
      roomId: randomUUID(),
      tenantOrganizationId: tenantId,
      startsOn: shift(300),
    });
    expect(unknown.data!.leaseSatelliteOffice).toMatchObject({
      __typename: 'NotFoundError',
      field: 'input.roomId',
    });
    expect(await count('satellite_lease')).toBe(before);
  });

  it('lets a room once when 10 overlapping leases arrive at the same time', async () => {
    const room = (await createRoom({ spaceId, name: 'サテライト C', kind: 'SATELLITE_OFFICE' }))
      .data!.createRoom.room!.id;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        lease({
          roomId: room,
          tenantOrganizationId: randomUUID(),
          startsOn: shift(index),
          endsOn: shift(index + 20),
        }),
      ),
    );
    const kinds = results.map((result) => result.data?.leaseSatelliteOffice.__typename);
    expect(kinds.filter((kind) => kind === 'LeaseSatelliteOfficeSuccess')).toHaveLength(1);
    expect(kinds.filter((kind) => kind === 'ConflictError')).toHaveLength(9);
    const { rows } = await service.sql.query(
      'SELECT count(*) FROM satellite_lease WHERE room_id = $1',
      [room],
    );
    expect(Number(rows[0].count)).toBe(1);
  });
});

describe('endSatelliteLease', () => {
  const end = (
    input: Record<string, unknown>,
    identity: Parameters<TestService['gql']>[2] = admin,
  ) =>
    service.gql<{ endSatelliteLease: Payload }>(
      `mutation ($input: EndSatelliteLeaseInput!) { endSatelliteLease(input: $input) {
        __typename ... on EndSatelliteLeaseSuccess { lease { id startsOn endsOn } } ${ERROR_FIELDS} } }`,
      { input },
      identity,
    );

  it('brings the last day forward, frees the rest for a new lease, and never extends', async () => {
    const room = (await createRoom({ spaceId, name: 'サテライト D', kind: 'SATELLITE_OFFICE' }))
      .data!.createRoom.room!.id;
    const granted = await lease({
      roomId: room,
      tenantOrganizationId: tenantId,
      startsOn: shift(-5),
    });
    const leaseId = (granted.data!.leaseSatelliteOffice.lease as { id: string }).id;
    const ended = await end({ leaseId, endsOn: shift(30) }, operatorStaff);
    expect(ended.data!.endSatelliteLease).toEqual({
      __typename: 'EndSatelliteLeaseSuccess',
      lease: { id: leaseId, startsOn: shift(-5), endsOn: shift(30) },
    });
    const next = await lease({
      roomId: room,
      tenantOrganizationId: randomUUID(),
      startsOn: shift(31),
    });
    expect(next.data!.leaseSatelliteOffice.__typename).toBe('LeaseSatelliteOfficeSuccess');
    const outbox = await count('outbox_event');
    for (const [input, typename, code] of [
      [{ leaseId, endsOn: shift(31) }, 'ConflictError', 'CONFLICT'],
      [{ leaseId, endsOn: shift(30) }, 'ConflictError', 'CONFLICT'],
      [{ leaseId, endsOn: shift(-6) }, 'InvalidInputError', 'BAD_USER_INPUT'],
    ] as const) {
      const response = await end(input);
      expect(response.data!.endSatelliteLease).toMatchObject({
        __typename: typename,
        code,
        field: 'input.endsOn',
      });
      expect(response.data!.endSatelliteLease.message).toMatch(/[ぁ-んァ-ン一-龥]/);
    }
    const unknown = await end({ leaseId: randomUUID(), endsOn: shift(1) });
    expect(unknown.data!.endSatelliteLease).toMatchObject({
      __typename: 'NotFoundError',
      field: 'input.leaseId',
    });
    const stranger = await end(
      { leaseId, endsOn: shift(1) },
      asMember(randomUUID(), { staffOf: [{ organizationId: tenantId, role: 'staff' }] }),
    );
    expect(stranger.data).toBeNull();
    expect(stranger.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await count('outbox_event')).toBe(outbox);
    const { rows } = await service.sql.query(
      "SELECT type, payload->'data'->>'endsOn' AS ends_on FROM outbox_event WHERE subject = $1 ORDER BY created_at",
      [leaseId],
    );
    expect(rows).toEqual([
      { type: 'spaces.satellite-lease.granted', ends_on: null },
      { type: 'spaces.satellite-lease.ended', ends_on: shift(30) },
    ]);
  });
});

describe('canEnter', () => {
  it('admits the tenant’s confirmed affiliates to its satellite office and no one else', async () => {
    const affiliate = randomUUID();
    const former = randomUUID();
    const outsider = randomUUID();
    await affiliation(affiliate, tenantId, 'worker');
    await affiliation(former, tenantId, 'worker', shift(-1));
    await affiliation(outsider, randomUUID(), 'staff');
    expect(await canEnter(affiliate, officeId)).toEqual({
      allowed: true,
      reason: 'TENANT_AFFILIATE',
      message: expect.stringContaining('(an affiliate of the tenant of this satellite office)'),
    });
    expect(await canEnter(former, officeId)).toMatchObject({
      allowed: false,
      reason: 'NOT_TENANT_AFFILIATE',
    });
    expect(await canEnter(outsider, officeId)).toMatchObject({
      allowed: false,
      reason: 'NOT_TENANT_AFFILIATE',
    });
    // An affiliate of the tenant is not thereby a member of the space.
    expect(await canEnter(affiliate)).toMatchObject({
      allowed: false,
      reason: 'NO_MEMBERSHIP_OR_PASS',
    });
    expect(await canEnter(affiliate, vacantOfficeId)).toMatchObject({
      allowed: false,
      reason: 'ROOM_NOT_LET',
    });
  });

  it('admits the operator’s staff everywhere', async () => {
    await affiliation(staffMemberId, operatorId, 'staff');
    for (const room of [undefined, officeId, vacantOfficeId]) {
      expect(await canEnter(staffMemberId, room)).toMatchObject({
        allowed: true,
        reason: 'SPACE_STAFF',
      });
    }
    // A worker registered with the operator is no staff.
    const worker = randomUUID();
    await affiliation(worker, operatorId, 'worker');
    expect(await canEnter(worker, vacantOfficeId)).toMatchObject({
      allowed: false,
      reason: 'ROOM_NOT_LET',
    });
  });

  it('admits the space’s members and holders of a pass redeemed here today to the common area', async () => {
    const member = randomUUID();
    const holder = randomUUID();
    const yesterdaysHolder = randomUUID();
    await service.sql.query(
      `INSERT INTO space_membership (id, member_id, space_id, plan, starts_on, updated_at)
       VALUES ($1, $2, $3, 'monthly', $4, now())`,
      [randomUUID(), member, spaceId, shift(-5)],
    );
    const networkId = randomUUID();
    await service.sql.query(
      "INSERT INTO space_network (id, name, kind, updated_at) VALUES ($1, 'visa', 'visa', now())",
      [networkId],
    );
    for (const [memberId, day] of [
      [holder, shift(0)],
      [yesterdaysHolder, shift(-1)],
    ] as const) {
      const membershipId = randomUUID();
      const passId = randomUUID();
      await service.sql.query(
        `INSERT INTO space_membership (id, member_id, space_id, plan, starts_on, updated_at)
         VALUES ($1, $2, $3, 'monthly', $4, now())`,
        [membershipId, memberId, spaceId, shift(400)],
      );
      await service.sql.query(
        `INSERT INTO pass (id, network_id, member_id, membership_id, valid_from, valid_until)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [passId, networkId, memberId, membershipId, shift(-10), shift(10)],
      );
      await service.sql.query(
        'INSERT INTO pass_redemption (id, pass_id, host_space_id, date) VALUES ($1, $2, $3, $4)',
        [randomUUID(), passId, spaceId, day],
      );
    }
    expect(await canEnter(member)).toMatchObject({ allowed: true, reason: 'SPACE_MEMBER' });
    expect(await canEnter(member, commonId)).toMatchObject({
      allowed: true,
      reason: 'SPACE_MEMBER',
    });
    expect(await canEnter(member, officeId)).toMatchObject({
      allowed: false,
      reason: 'NOT_TENANT_AFFILIATE',
    });
    expect(await canEnter(holder)).toMatchObject({ allowed: true, reason: 'PASS_REDEEMED' });
    expect(await canEnter(yesterdaysHolder)).toMatchObject({
      allowed: false,
      reason: 'NO_MEMBERSHIP_OR_PASS',
    });
  });

  it('answers the member and the space’s staff only, and refuses a room of another space', async () => {
    const member = randomUUID();
    expect(await canEnter(member, undefined, asMember(member))).toMatchObject({ allowed: false });
    const other = await service.gql(
      CAN_ENTER,
      { memberId: member, spaceId },
      asMember(randomUUID()),
    );
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const elsewhere = await service.gql(
      CAN_ENTER,
      { memberId: member, spaceId, roomId: randomUUID() },
      admin,
    );
    expect(elsewhere.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('forgets an erased member’s affiliations and records none of them again', async () => {
    const member = randomUUID();
    await affiliation(member, tenantId, 'worker');
    const erased = createEvent('members.member.erased', {
      subject: member,
      data: { memberId: member, erasedAt: new Date().toISOString(), requestedBy: 'member' },
    });
    await bus.publish(erased);
    await handledBy(service.sql, 'spaces-member-erasure', erased);
    await affiliation(member, tenantId, 'worker');
    const { rows } = await service.sql.query(
      'SELECT count(*) FROM member_affiliation WHERE member_id = $1',
      [member],
    );
    expect(Number(rows[0].count)).toBe(0);
    expect(await canEnter(member, officeId)).toMatchObject({
      allowed: false,
      reason: 'NOT_TENANT_AFFILIATE',
    });
  });
});
