import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { checkEventData, type EventType } from '@hub/contracts';
import { createInProcessBus, type EventEnvelope, parseEvent } from '@hub/event-bus';
import { createLogger } from '@hub/service-kit';
import { asAdmin, startTestService, type TestService } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSpacesService } from '../app.js';

// What spaces announces about a space: others (events, for venues) keep who operates it from
// spaces.space.registered / updated, so every space is announced and every change of a fact
// they keep is too — in the transaction of the change, through the outbox.

const migrationsDir = new URL('../../prisma/migrations', import.meta.url).pathname;
const bus = createInProcessBus();
let service: TestService;

beforeAll(async () => {
  service = await startTestService({
    name: 'spaces-events',
    migrationsDir,
    start: startSpacesService,
    bus,
    logger: createLogger({ name: 'spaces-events-test', level: 'silent' }),
  });
  await service.sql.query(
    "INSERT INTO municipality (code, name, prefecture) VALUES ('011002', '札幌市', '北海道')",
  );
});

afterAll(async () => {
  await service?.stop();
  await bus.close();
});

const admin = asAdmin();

/** The events written about a space, oldest first, as a consumer would parse them. */
async function announced(spaceId: string): Promise<EventEnvelope[]> {
  const { rows } = await service.sql.query<{ payload: unknown }>(
    'SELECT payload FROM outbox_event WHERE subject = $1 ORDER BY created_at, id',
    [spaceId],
  );
  return rows.map((row) => parseEvent(row.payload));
}

async function create(input: Record<string, unknown>): Promise<string> {
  const response = await service.gql<{ createSpace: { space: { id: string } } }>(
    'mutation ($input: CreateSpaceInput!) { createSpace(input: $input) { ... on CreateSpaceSuccess { space { id } } } }',
    { input: { name: 'Garage labs', kind: 'COWORKING', municipalityCode: '011002', ...input } },
    admin,
  );
  expect(response.errors).toBeUndefined();
  return response.data!.createSpace.space.id;
}

async function update(id: string, input: Record<string, unknown>) {
  const response = await service.gql<{ updateSpace: { __typename: string } }>(
    'mutation ($input: UpdateSpaceInput!) { updateSpace(input: $input) { __typename } }',
    { input: { id, ...input } },
    admin,
  );
  expect(response.errors).toBeUndefined();
  expect(response.data!.updateSpace.__typename).toBe('UpdateSpaceSuccess');
}

describe('a new space', () => {
  it('is registered with its operator whatever its status; a planned one is not opened', async () => {
    const operatorId = randomUUID();
    const id = await create({ status: 'PLANNED', operatorId });
    expect(await announced(id)).toEqual([
      expect.objectContaining({
        type: 'spaces.space.registered',
        source: 'spaces',
        subject: id,
        data: {
          spaceId: id,
          name: 'Garage labs',
          kind: 'coworking',
          status: 'planned',
          municipalityCode: '011002',
          operatorId,
          latitude: null,
          longitude: null,
        },
      }),
    ]);
  });

  it('is registered, then opened, when it opens at once', async () => {
    const id = await create({ operatorId: null });
    const events = await announced(id);
    expect(events.map((event) => event.type)).toEqual([
      'spaces.space.registered',
      'spaces.space.opened',
    ]);
    expect(events[0]!.data).toMatchObject({ status: 'open', operatorId: null });
  });
});

describe('a change to a space', () => {
  it('announces a new operator with every fact and what changed', async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    const id = await create({ operatorId: first });
    await update(id, { operatorId: second });
    const events = await announced(id);
    expect(events.map((event) => event.type)).toEqual([
      'spaces.space.registered',
      'spaces.space.opened',
      'spaces.space.updated',
    ]);
    expect(events[2]!.data).toEqual({
      spaceId: id,
      name: 'Garage labs',
      kind: 'coworking',
      status: 'open',
      municipalityCode: '011002',
      operatorId: second,
      latitude: null,
      longitude: null,
      changed: ['operator'],
    });
    // Newer than what it changes: consumers keep the newest event's facts.
    expect(Date.parse(events[2]!.occurredAt)).toBeGreaterThanOrEqual(
      Date.parse(events[0]!.occurredAt),
    );
  });

  it('announces nothing when an update writes what the space already has', async () => {
    const id = await create({
      houseRules: '冷蔵庫に注意',
      facilities: ['WIFI', 'KITCHEN'],
      latitude: 43.06,
      longitude: 141.35,
      openingHours: { weekly: [{ weekday: 'MONDAY', opens: '09:00', closes: '18:00' }] },
    });
    const before = await announced(id);
    await update(id, {
      houseRules: '冷蔵庫に注意',
      operatorId: null,
      name: 'Garage labs',
      facilities: ['WIFI', 'KITCHEN'],
      latitude: 43.06,
      openingHours: { weekly: [{ weekday: 'MONDAY', opens: '09:00', closes: '18:00' }] },
    });
    expect(await announced(id)).toEqual(before);
  });

  it('announces every other change too, naming each kind, with the location', async () => {
    const id = await create({ latitude: 43.06, longitude: 141.35 });
    await update(id, { houseRules: '土足禁止' });
    await update(id, { dropInPriceYen: 500, latitude: 43.07, nameEn: 'Garage labs' });
    await update(id, {
      openingHours: {
        weekly: [{ weekday: 'TUESDAY', opens: '10:00', closes: '17:00' }],
        exceptions: [{ date: '2026-12-31', intervals: [] }],
      },
      capacity: 12,
      admissionPolicy: 'MEMBERS_ONLY',
      facilities: ['WIFI'],
      links: ['https://example.jp/garage'],
      postalCode: '060-0001',
      phone: '011-123-4567',
      openedOn: '2026-04-01',
    });
    const updates = (await announced(id)).filter((event) => event.type === 'spaces.space.updated');
    expect(updates.map((event) => event.data)).toEqual([
      expect.objectContaining({ changed: ['house-rules'], latitude: 43.06, longitude: 141.35 }),
      expect.objectContaining({
        changed: ['other-names', 'location', 'prices'],
        latitude: 43.07,
        longitude: 141.35,
      }),
      expect.objectContaining({
        changed: [
          'address',
          'facilities',
          'capacity',
          'admission',
          'hours',
          'hours-exceptions',
          'contact',
          'links',
          'opened-on',
        ],
      }),
    ]);
  });

  it('opens a planned space: updated (status), then opened', async () => {
    const id = await create({ status: 'PLANNED' });
    await update(id, { status: 'OPEN', name: 'Garage labs 2' });
    const events = await announced(id);
    expect(events.map((event) => event.type)).toEqual([
      'spaces.space.registered',
      'spaces.space.updated',
      'spaces.space.opened',
    ]);
    expect(events[1]!.data).toMatchObject({ status: 'open', changed: ['name', 'status'] });
    // Closing is a change of status, not an opening.
    await update(id, { status: 'CLOSED' });
    expect((await announced(id)).map((event) => event.type).at(-1)).toBe('spaces.space.updated');
  });
});

describe('the migration announce_existing_spaces', () => {
  it('announces every space that existed before spaces announced them, with valid events', async () => {
    const [plain, operated] = [randomUUID(), randomUUID()];
    const operatorId = randomUUID();
    // Rows as an older build left them: no event about them in the outbox.
    await service.sql.query(
      `INSERT INTO space (id, name, kind, status, municipality_code, operator_id, updated_at)
       VALUES ($1, '古い拠点', 'telework-centre', 'planned', '011002', NULL, now()),
              ($2, '古い運営拠点', 'coworking', 'open', '011002', $3, now())`,
      [plain, operated, operatorId],
    );
    const folder = readdirSync(migrationsDir).find((name) =>
      name.endsWith('_announce_existing_spaces'),
    )!;
    // Run again on this database (already migrated): it announces whatever spaces exist.
    await service.sql.query(readFileSync(`${migrationsDir}/${folder}/migration.sql`, 'utf8'));
    const [first] = await announced(plain);
    expect(first).toMatchObject({
      type: 'spaces.space.registered',
      version: 1,
      source: 'spaces',
      subject: plain,
      data: {
        spaceId: plain,
        name: '古い拠点',
        kind: 'telework-centre',
        status: 'planned',
        municipalityCode: '011002',
        operatorId: null,
        latitude: null,
        longitude: null,
      },
    });
    expect(first!.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    // The id's time prefix is its occurredAt (UUID v7), as createEvent makes them.
    expect(Number.parseInt(first!.id.replaceAll('-', '').slice(0, 12), 16)).toBe(
      Date.parse(first!.occurredAt),
    );
    const [second] = await announced(operated);
    expect(second!.data).toMatchObject({ kind: 'coworking', status: 'open', operatorId });
    const { rows } = await service.sql.query(
      'SELECT id, payload->>$2 AS payload_id, occurred_at FROM outbox_event WHERE subject = $1',
      [plain, 'id'],
    );
    expect(rows[0].payload_id).toBe(rows[0].id);
    expect(rows[0].occurred_at.toISOString()).toBe(first!.occurredAt);
  });
});

describe('the migration announce_existing_networks_and_leases', () => {
  it('announces every network (full state) and lease that existed before, with valid events', async () => {
    const [space, other] = [await create({}), await create({})];
    const [network, empty, room, lease] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const tenant = randomUUID();
    // Rows as an older build left them: never announced.
    await service.sql.query(
      `INSERT INTO space_network (id, name, kind, updated_at)
         VALUES ($1, '中信3拠点', 'linked-sites', now()), ($2, '空のネットワーク', 'visa', now())`,
      [network, empty],
    );
    await service.sql.query(
      `INSERT INTO space_network_site (network_id, space_id, free_days_per_month, notice_days, minimum_plan, created_at)
         VALUES ($1, $2, 4, 1, 'monthly', now() - interval '1 day'), ($1, $3, 2, 0, 'drop-in', now())`,
      [network, space, other],
    );
    await service.sql.query(
      `INSERT INTO room (id, space_id, name, kind, updated_at) VALUES ($1, $2, 'A', 'satellite-office', now())`,
      [room, space],
    );
    await service.sql.query(
      `INSERT INTO satellite_lease (id, room_id, tenant_organization_id, starts_on)
         VALUES ($1, $2, $3, '2026-04-01')`,
      [lease, room, tenant],
    );
    const folder = readdirSync(migrationsDir).find((name) =>
      name.endsWith('_announce_existing_networks_and_leases'),
    )!;
    await service.sql.query(readFileSync(`${migrationsDir}/${folder}/migration.sql`, 'utf8'));
    const [changed] = await announced(network);
    expect(changed).toMatchObject({
      type: 'spaces.space-network.changed',
      version: 1,
      source: 'spaces',
      data: {
        networkId: network,
        name: '中信3拠点',
        kind: 'linked-sites',
        sites: [
          {
            spaceId: space,
            freeDaysPerMonth: 4,
            discountPercent: 0,
            noticeDays: 1,
            minimumPlan: 'monthly',
          },
          {
            spaceId: other,
            freeDaysPerMonth: 2,
            discountPercent: 0,
            noticeDays: 0,
            minimumPlan: 'drop-in',
          },
        ],
      },
    });
    expect((await announced(empty))[0]!.data).toMatchObject({ sites: [] });
    const [granted] = await announced(lease);
    expect(granted).toMatchObject({
      type: 'spaces.satellite-lease.granted',
      data: {
        leaseId: lease,
        spaceId: space,
        roomId: room,
        tenantOrganizationId: tenant,
        startsOn: '2026-04-01',
        endsOn: null,
      },
    });
    // Each is a valid event of its contract, as a consumer checks it.
    for (const event of [changed!, granted!]) {
      expect(checkEventData(event.type as EventType, event.data)).toMatchObject({ isValid: true });
    }
  });
});
