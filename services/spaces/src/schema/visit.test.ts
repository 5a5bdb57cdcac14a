import { randomUUID } from 'node:crypto';
import { todayInJapan } from '@hub/contracts';
import { createEvent, createInProcessBus, type EventEnvelope } from '@hub/event-bus';
import { createLogger } from '@hub/service-kit';
import {
  asAdmin,
  asMember,
  asPartner,
  handledBy,
  startTestService,
  type TestService,
  waitFor,
} from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSpacesService } from '../app.js';
import { connectDatabase, type Database } from '../db.js';
import { checkOutAtClosing } from '../domain/presence.js';

// Check-in and check-out on a real database through the subgraph: refusals typed and nothing
// written, the staff override recorded with who and why, capacity holding under concurrent
// check-ins, live occupancy as a count for staff and partners only, the events, and the
// closing-time job checking out whoever is still inside.

const migrationsDir = new URL('../../prisma/migrations', import.meta.url).pathname;
const bus = createInProcessBus();
let service: TestService;
let database: Database;

const admin = asAdmin();
const operatorId = randomUUID();
const tenantId = randomUUID();
const staffId = randomUUID();
const staff = asMember(staffId, { staffOf: [{ organizationId: operatorId, role: 'staff' }] });

const ERROR_FIELDS = '... on Error { __typename code message messageEn field }';
type Payload = Record<string, unknown> & { __typename: string; code?: string; field?: string };

let spaceId: string;
let roomId: string;
let officeId: string;
const received: EventEnvelope[] = [];

const CHECK_IN = `mutation ($input: CheckInInput!) { checkIn(input: $input) {
  __typename ... on CheckInSuccess { visit { id memberId checkedInAt checkedOutAt automatic overriddenBy overrideReason room { id } space { id } } }
  ${ERROR_FIELDS} } }`;
const CHECK_OUT = `mutation ($input: CheckOutInput!) { checkOut(input: $input) {
  __typename ... on CheckOutSuccess { visit { id checkedOutAt automatic } } ${ERROR_FIELDS} } }`;

const checkIn = (input: Record<string, unknown>, identity: Parameters<TestService['gql']>[2]) =>
  service.gql<{ checkIn: Payload & { visit?: Record<string, unknown> } }>(
    CHECK_IN,
    { input: { spaceId, ...input } },
    identity,
  );
const checkOut = (input: Record<string, unknown>, identity: Parameters<TestService['gql']>[2]) =>
  service.gql<{ checkOut: Payload & { visit?: Record<string, unknown> } }>(
    CHECK_OUT,
    { input: { spaceId, ...input } },
    identity,
  );

async function newMember() {
  const memberId = randomUUID();
  await service.sql.query(
    `INSERT INTO space_membership (id, member_id, space_id, plan, starts_on, updated_at)
     VALUES ($1, $2, $3, 'monthly', '2020-01-01', now())`,
    [randomUUID(), memberId, spaceId],
  );
  return memberId;
}

const openVisits = async () =>
  Number(
    (await service.sql.query('SELECT count(*) FROM visit WHERE checked_out_at IS NULL')).rows[0]
      .count,
  );

async function occupancy(identity: Parameters<TestService['gql']>[2]) {
  return service.gql<{
    space: { occupancy: number | null; rooms: { occupancy: number | null }[] };
  }>(
    'query ($id: ID!) { space(id: $id) { occupancy rooms { occupancy } } }',
    { id: spaceId },
    identity,
  );
}

beforeAll(async () => {
  service = await startTestService({
    name: 'spaces-presence',
    migrationsDir,
    start: startSpacesService,
    bus,
    logger: createLogger({ name: 'spaces-presence-test', level: 'silent' }),
  });
  database = connectDatabase({ url: service.databaseUrl, poolMax: 2 });
  await bus.subscribe({
    consumer: `presence-listener-${randomUUID().slice(0, 8)}`,
    types: ['spaces.presence.checked-in', 'spaces.presence.checked-out'],
    handler: async (event) => {
      received.push(event);
    },
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
  // Open 09:00–18:00 every day (Tokyo), so the closing-time job has a closing time.
  const day = [{ opens: '09:00', closes: '18:00' }];
  const week = Object.fromEntries(
    ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'].map((d) => [
      d,
      day,
    ]),
  );
  await service.sql.query('UPDATE space SET capacity = 10, weekly_hours = $2 WHERE id = $1', [
    spaceId,
    JSON.stringify(week),
  ]);
  const room = await service.gql<{ createRoom: { room: { id: string } } }>(
    'mutation ($input: CreateRoomInput!) { createRoom(input: $input) { ... on CreateRoomSuccess { room { id } } } }',
    { input: { spaceId, name: '会議室', kind: 'MEETING_ROOM', capacity: 2 } },
    admin,
  );
  roomId = room.data!.createRoom.room.id;
  const office = await service.gql<{ createRoom: { room: { id: string } } }>(
    'mutation ($input: CreateRoomInput!) { createRoom(input: $input) { ... on CreateRoomSuccess { room { id } } } }',
    { input: { spaceId, name: 'サテライト A', kind: 'SATELLITE_OFFICE' } },
    admin,
  );
  officeId = office.data!.createRoom.room.id;
  await service.gql(
    'mutation ($input: LeaseSatelliteOfficeInput!) { leaseSatelliteOffice(input: $input) { __typename } }',
    { input: { roomId: officeId, tenantOrganizationId: tenantId, startsOn: '2020-01-01' } },
    admin,
  );
});

afterAll(async () => {
  await database?.close();
  await service?.stop();
});

describe('checkIn / checkOut', () => {
  it('checks a member in and out, and announces both', async () => {
    const memberId = await newMember();
    const self = asMember(memberId);
    const inside = await checkIn({ memberId }, self);
    expect(inside.data!.checkIn).toMatchObject({
      __typename: 'CheckInSuccess',
      visit: {
        memberId,
        checkedOutAt: null,
        automatic: false,
        overriddenBy: null,
        room: null,
        space: { id: spaceId },
      },
    });
    const again = await checkIn({ memberId }, self);
    expect(again.data!.checkIn).toMatchObject({
      __typename: 'ConflictError',
      code: 'ALREADY_CHECKED_IN',
    });
    const out = await checkOut({ memberId }, self);
    expect(out.data!.checkOut).toMatchObject({
      __typename: 'CheckOutSuccess',
      visit: { automatic: false },
    });
    expect(out.data!.checkOut.visit!.checkedOutAt).not.toBeNull();
    const visitId = inside.data!.checkIn.visit!.id;
    await waitFor(
      () => received.filter((event) => event.subject === visitId).length === 2 || undefined,
      {
        message: 'checked-in and checked-out received',
      },
    );
    expect(
      received.filter((event) => event.subject === visitId).map((event) => event.type),
    ).toEqual(['spaces.presence.checked-in', 'spaces.presence.checked-out']);
  });

  it('refuses a check-out without a check-in and a stranger checking someone in', async () => {
    const memberId = await newMember();
    const out = await checkOut({ memberId }, asMember(memberId));
    expect(out.data!.checkOut).toMatchObject({
      __typename: 'ConflictError',
      code: 'NOT_CHECKED_IN',
      field: 'input.memberId',
    });
    const stranger = await checkIn({ memberId }, asMember(randomUUID()));
    expect(stranger.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await openVisits()).toBe(0);
  });

  it('refuses entry canEnter refuses, unless staff override it with a reason', async () => {
    const outsider = randomUUID();
    const before = await openVisits();
    const refused = await checkIn({ memberId: outsider }, asMember(outsider));
    expect(refused.data!.checkIn).toMatchObject({
      __typename: 'ConflictError',
      code: 'ENTRY_REFUSED',
      messageEn: 'neither a membership of this space nor a pass redeemed here for the day',
    });
    const office = await checkIn({ memberId: await newMember(), roomId: officeId }, staff);
    expect(office.data!.checkIn).toMatchObject({ code: 'ENTRY_REFUSED' });
    const selfOverride = await checkIn(
      { memberId: outsider, overrideReason: '急ぎ' },
      asMember(outsider),
    );
    expect(selfOverride.data!.checkIn).toMatchObject({
      code: 'ENTRY_REFUSED',
      field: 'input.overrideReason',
    });
    expect(await openVisits()).toBe(before);
    const overridden = await checkIn(
      { memberId: outsider, overrideReason: '見学 (a tour)' },
      staff,
    );
    expect(overridden.data!.checkIn).toMatchObject({
      __typename: 'CheckInSuccess',
      visit: { overriddenBy: staffId, overrideReason: '見学 (a tour)' },
    });
    // The staff member's own export holds the entry they let through; the member's, who did.
    const exportOf = async (memberId: string) =>
      (
        await service.gql<{ _entities: { spaces: Record<string, unknown[]> }[] }>(
          'query ($r: [_Any!]!) { _entities(representations: $r) { ... on DataExport { spaces } } }',
          { r: [{ __typename: 'DataExport', memberId }] },
          admin,
        )
      ).data!._entities[0]!.spaces;
    expect((await exportOf(staffId)).checkInOverrides).toEqual([
      {
        visitId: overridden.data!.checkIn.visit!.id,
        spaceId,
        checkedInAt: overridden.data!.checkIn.visit!.checkedInAt,
        reason: '見学 (a tour)',
      },
    ]);
    expect((await exportOf(outsider)).checkIns).toEqual([
      expect.objectContaining({ overriddenBy: staffId, overrideReason: '見学 (a tour)' }),
    ]);
    await checkOut({ memberId: outsider }, staff);
  });

  it('lets exactly as many in as the room holds when 6 arrive at once', async () => {
    const members = await Promise.all(Array.from({ length: 6 }, () => newMember()));
    const results = await Promise.all(
      members.map((memberId) => checkIn({ memberId, roomId }, staff)),
    );
    const kinds = results.map(
      (result) => result.data!.checkIn.code ?? result.data!.checkIn.__typename,
    );
    expect(kinds.filter((kind) => kind === 'CheckInSuccess')).toHaveLength(2);
    expect(kinds.filter((kind) => kind === 'OVER_CAPACITY')).toHaveLength(4);
    const seen = await occupancy(staff);
    expect(seen.data!.space.occupancy).toBe(2);
    expect(seen.data!.space.rooms.map((room) => room.occupancy).sort()).toEqual([0, 2]);
    expect((await occupancy(asPartner())).data!.space.occupancy).toBe(2);
    const anonymous = await occupancy(asMember(randomUUID()));
    expect(anonymous.data!.space.occupancy).toBeNull();
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    for (const memberId of members) await checkOut({ memberId }, staff);
  });
});

describe('capacity below occupancy', () => {
  it('refuses a room or space capacity below the people inside now, and changes nothing', async () => {
    const members = [await newMember(), await newMember()];
    for (const memberId of members) await checkIn({ memberId, roomId }, staff);
    const room = await service.gql<{ updateRoom: Payload }>(
      `mutation ($input: UpdateRoomInput!) { updateRoom(input: $input) { __typename ... on UpdateRoomSuccess { room { capacity } } ${ERROR_FIELDS} } }`,
      { input: { roomId, capacity: 1 } },
      staff,
    );
    expect(room.data!.updateRoom).toMatchObject({
      __typename: 'ConflictError',
      code: 'CAPACITY_BELOW_OCCUPANCY',
      field: 'input.capacity',
      messageEn: 'capacity 1 is below the 2 people inside now',
    });
    const space = await service.gql<{ updateSpace: Payload }>(
      `mutation ($input: UpdateSpaceInput!) { updateSpace(input: $input) { __typename ${ERROR_FIELDS} } }`,
      { input: { id: spaceId, capacity: 1 } },
      staff,
    );
    expect(space.data!.updateSpace).toMatchObject({
      code: 'CAPACITY_BELOW_OCCUPANCY',
      field: 'input.capacity',
    });
    const { rows } = await service.sql.query(
      'SELECT (SELECT capacity FROM room WHERE id = $1) AS room, (SELECT capacity FROM space WHERE id = $2) AS space',
      [roomId, spaceId],
    );
    expect(rows[0]).toEqual({ room: 2, space: 10 });
    const fits = await service.gql<{ updateRoom: Payload }>(
      `mutation ($input: UpdateRoomInput!) { updateRoom(input: $input) { __typename ... on UpdateRoomSuccess { room { capacity } } } }`,
      { input: { roomId, capacity: 3 } },
      staff,
    );
    expect(fits.data!.updateRoom).toEqual({
      __typename: 'UpdateRoomSuccess',
      room: { capacity: 3 },
    });
    for (const memberId of members) await checkOut({ memberId }, staff);
  });
});

describe('the closing-time job', () => {
  it('checks out whoever is still inside once the space has closed, marked automatic', async () => {
    const members = [await newMember(), await newMember()];
    for (const memberId of members) await checkIn({ memberId }, staff);
    const context = { prisma: database.prisma };
    expect(await checkOutAtClosing(context, new Date(`${todayInJapan()}T12:00:00+09:00`))).toBe(0);
    expect(await openVisits()).toBe(2);
    expect(await checkOutAtClosing(context, new Date(`${todayInJapan()}T20:00:00+09:00`))).toBe(2);
    expect(await openVisits()).toBe(0);
    const { rows } = await service.sql.query(
      'SELECT auto_checked_out FROM visit WHERE member_id = ANY($1::uuid[])',
      [members],
    );
    expect(rows).toEqual([{ auto_checked_out: true }, { auto_checked_out: true }]);
    const late = await checkOut({ memberId: members[0] }, staff);
    expect(late.data!.checkOut).toMatchObject({ code: 'NOT_CHECKED_IN' });
  });
});

describe('erasure', () => {
  it('keeps an erased member’s stays for the figures, as nobody’s', async () => {
    const memberId = await newMember();
    await checkIn({ memberId }, staff);
    await checkOut({ memberId }, staff);
    const exported = async () =>
      (
        await service.gql<{ _entities: { spaces: { checkIns: Record<string, unknown>[] } }[] }>(
          'query ($r: [_Any!]!) { _entities(representations: $r) { ... on DataExport { spaces } } }',
          { r: [{ __typename: 'DataExport', memberId }] },
          asMember(memberId),
        )
      ).data!._entities[0]!.spaces.checkIns;
    expect(await exported()).toEqual([
      expect.objectContaining({
        spaceId,
        roomId: null,
        automatic: false,
        checkedOutAt: expect.any(String),
        overriddenBy: null,
        overrideReason: null,
      }),
    ]);
    const erased = createEvent('members.member.erased', {
      subject: memberId,
      data: { memberId, erasedAt: new Date().toISOString(), requestedBy: 'member' },
    });
    await bus.publish(erased);
    await handledBy(service.sql, 'spaces-member-erasure', erased);
    const { rows } = await service.sql.query(
      'SELECT count(*) FILTER (WHERE member_id = $1) AS named, count(*) FILTER (WHERE member_id IS NULL) AS anonymous FROM visit',
      [memberId],
    );
    expect(rows[0]).toEqual({ named: '0', anonymous: '1' });
    expect(await exported()).toEqual([]);
  });
});
