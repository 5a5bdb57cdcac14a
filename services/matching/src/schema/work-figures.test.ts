import { randomUUID } from 'node:crypto';
import { createInProcessBus, type EventBus, type EventEnvelope } from '@hub/event-bus';
import { municipalityCheckDigit } from '@hub/jp-codes';
import type { Identity } from '@hub/service-kit';
import { asAdmin, asMember, asPartner, waitFor } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  countRows,
  silentLogger,
  startTestService,
  type TestService,
} from '../../test/support/matching-service.js';
import { memberErased, organizationCreated } from '../../test/support/member-events.js';
import { MEMBER_ERASURE_CONSUMER } from '../events/member-erasure.js';
import { ORGANIZATIONS_CONSUMER } from '../events/organizations.js';

// Municipality.workFigures over HTTP on a real Postgres: orders located by the organisations'
// places (members.organization.created), exact counts, volumes and pay at the period's Tokyo
// midnights, FIXED pay pro rata, an erased worker's work, and who reads the figures from
// assignments.

let bus: EventBus;
let hub: TestService;

beforeAll(async () => {
  bus = createInProcessBus({ logger: silentLogger });
  hub = await startTestService(bus);
});

afterAll(async () => {
  await hub?.close();
  await bus?.close();
});

async function publish(event: EventEnvelope, consumer: string): Promise<void> {
  await bus.publish(event);
  await waitFor(
    async () =>
      (await countRows(hub.sql, 'inbox_event', 'consumer = $1 AND event_id = $2', [
        consumer,
        event.id,
      ])) === 1 || undefined,
    { message: `${event.type} handled by ${consumer}`, timeoutMs: 10_000 },
  );
}

/** A municipality code (with its check digit) no other test uses. */
function freshCode(): string {
  const firstFive = `9${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
  return `${firstFive}${municipalityCheckDigit(firstFive)}`;
}

/** An organisation located in the municipality, announced as members announces it. */
async function organizationIn(code: string): Promise<string> {
  const event = organizationCreated({ municipalityCode: code });
  await publish(event, ORGANIZATIONS_CONSUMER);
  return event.data.organizationId;
}

type TOrder = {
  clientId: string;
  centreId: string | null;
  createdAt: string;
  volume: number;
  unit?: 'hours' | 'units';
  hoursPerUnit?: number | null;
  payModel?: 'hourly' | 'per-unit' | 'fixed';
  rate?: number;
  status?: string;
  parentId?: string | null;
  isConfirmed?: boolean;
};

async function insertOrder(order: TOrder): Promise<string> {
  const id = randomUUID();
  await hub.sql.query(
    `INSERT INTO work_order (id, title, category, client_id, receiving_centre_id, client_confirmed_at,
       receiving_centre_confirmed_at, volume, volume_unit, pay_model, rate, status, hours_per_unit,
       parent_id, root_id, created_at, updated_at)
     VALUES ($1::uuid, '集計テスト', 'data-entry', $2::uuid, $3::uuid, CASE WHEN $4::boolean THEN now() END,
       CASE WHEN $3::uuid IS NOT NULL THEN now() END, $5, $6::volume_unit, $7::pay_model, $8,
       $9::work_order_status, $10::numeric, $11::uuid, coalesce($11::uuid, $1::uuid), $12::timestamptz, now())`,
    [
      id,
      order.clientId,
      order.centreId,
      order.isConfirmed ?? true,
      order.volume,
      order.unit ?? 'hours',
      order.payModel ?? 'hourly',
      order.rate ?? 1500,
      order.status ?? 'in-progress',
      order.hoursPerUnit ?? null,
      order.parentId ?? null,
      order.createdAt,
    ],
  );
  return id;
}

async function insertWorker(code: string): Promise<string> {
  const memberId = randomUUID();
  await hub.sql.query(
    `INSERT INTO worker (member_id, display_name, kind, municipality_code, skills, registered_at,
       source_event_at)
     VALUES ($1, '集計 ワーカー', 'teleworker', $2, '[]', now(), now())`,
    [memberId, code],
  );
  return memberId;
}

type TAssignment = {
  orderId: string;
  memberId: string;
  status: 'offered' | 'accepted' | 'declined' | 'in-progress' | 'done';
  answeredAt?: string;
  completedAt?: string | null;
  deliveredVolume?: number | null;
};

async function insertAssignment(assignment: TAssignment): Promise<void> {
  await hub.sql.query(
    `INSERT INTO assignment (id, work_order_id, member_id, role, allocated_volume, allocated_hours,
       status, delivered_volume, period_ends_at, answered_at, completed_at, updated_at)
     VALUES ($1, $2, $3, 'worker', 10, 10, $4::assignment_status, $5, '2026-12-31T00:00:00Z',
       $6::timestamptz, $7::timestamptz, now())`,
    [
      randomUUID(),
      assignment.orderId,
      assignment.memberId,
      assignment.status,
      assignment.deliveredVolume ?? null,
      assignment.answeredAt ?? '2026-04-02T10:00:00+09:00',
      assignment.completedAt ?? null,
    ],
  );
}

const FIGURES = `from to ordersPosted ordersReceived volumeHours delegatedVolumeHours
  activeWorkers payDeliveredYen`;

type TFigures = Record<string, number | string | null>;

async function figuresOf(
  codes: string[],
  identity: Identity | null,
  period = { from: '2026-04-01', to: '2026-04-30' },
) {
  const response = await hub.graphql<{ _entities: { workFigures: TFigures | null }[] }>(
    `query ($representations: [_Any!]!, $from: Date!, $to: Date!) {
       _entities(representations: $representations) {
         ... on Municipality { workFigures(from: $from, to: $to) { ${FIGURES} } }
       }
     }`,
    {
      representations: codes.map((code) => ({ __typename: 'Municipality', code })),
      ...period,
    },
    identity,
  );
  return {
    figures: response.data?._entities.map((entity) => entity.workFigures) ?? [],
    codes: (response.errors ?? []).map((error) => error.extensions?.code),
    errors: response.errors ?? [],
  };
}

type TWorld = {
  here: string;
  elsewhere: string;
  centre: string;
  partner: string;
  remoteCentre: string;
};

/**
 * Two municipalities: `here` with a client, a centre and a partner; `elsewhere` with a client and
 * a centre. Orders and work at both Tokyo midnights of April 2026.
 */
async function buildWorld(): Promise<TWorld> {
  const here = freshCode();
  const elsewhere = freshCode();
  const client = await organizationIn(here);
  const centre = await organizationIn(here);
  const partner = await organizationIn(here);
  const remoteClient = await organizationIn(elsewhere);
  const remoteCentre = await organizationIn(elsewhere);

  // Posted here: 100 h placed at the very first instant of the period (Tokyo midnight).
  const root = await insertOrder({
    clientId: client,
    centreId: centre,
    createdAt: '2026-04-01T00:00:00+09:00',
    volume: 100,
  });
  // A millisecond before the period: not counted.
  await insertOrder({
    clientId: client,
    centreId: centre,
    createdAt: '2026-03-31T23:59:59.999+09:00',
    volume: 7,
  });
  // 200 units of half an hour = 100 h, received elsewhere, at the period's last minute.
  const units = await insertOrder({
    clientId: client,
    centreId: remoteCentre,
    createdAt: '2026-04-30T23:59:00+09:00',
    volume: 200,
    unit: 'units',
    hoursPerUnit: 0.5,
    payModel: 'per-unit',
    rate: 30,
  });
  // Drafts and orders the client never confirmed were not placed.
  await insertOrder({
    clientId: client,
    centreId: centre,
    createdAt: '2026-04-05T12:00:00+09:00',
    volume: 5,
    status: 'draft',
  });
  await insertOrder({
    clientId: client,
    centreId: centre,
    createdAt: '2026-04-05T12:00:00+09:00',
    volume: 5,
    isConfirmed: false,
  });
  // The midnight after the period: not counted.
  await insertOrder({
    clientId: client,
    centreId: centre,
    createdAt: '2026-05-01T00:00:00+09:00',
    volume: 9,
  });
  // 40 h of the root delegated to the partner here.
  const share = await insertOrder({
    clientId: client,
    centreId: partner,
    createdAt: '2026-04-10T09:00:00+09:00',
    volume: 40,
    rate: 1200,
    parentId: root,
  });
  // Placed elsewhere, received here: a fixed fee of 100,000 yen for 30 h.
  const fixed = await insertOrder({
    clientId: remoteClient,
    centreId: centre,
    createdAt: '2026-04-15T09:00:00+09:00',
    volume: 30,
    payModel: 'fixed',
    rate: 100_000,
  });

  const done = await insertWorker(here);
  const fixedWorker = await insertWorker(here);
  const erased = await insertWorker(here);
  const ongoing = await insertWorker(here);
  const idle = await insertWorker(here);
  const earlier = await insertWorker(here);
  const remote = await insertWorker(elsewhere);

  // 30 h × 1,500 yen = 45,000.
  await insertAssignment({
    orderId: root,
    memberId: done,
    status: 'done',
    deliveredVolume: 30,
    completedAt: '2026-04-20T17:00:00+09:00',
  });
  // 100,000 × 10 / 30 = 33,333.33… → 33,333, completed in the period's last second.
  await insertAssignment({
    orderId: fixed,
    memberId: fixedWorker,
    status: 'done',
    deliveredVolume: 10,
    completedAt: '2026-04-30T23:59:59+09:00',
  });
  // Completed at the midnight after: active in the period, paid in May.
  await insertAssignment({
    orderId: root,
    memberId: fixedWorker,
    status: 'done',
    deliveredVolume: 20,
    completedAt: '2026-05-01T00:00:00+09:00',
  });
  // 10 h × 1,200 = 12,000, by a member erased afterwards.
  await insertAssignment({
    orderId: share,
    memberId: erased,
    status: 'done',
    deliveredVolume: 10,
    completedAt: '2026-04-12T12:00:00+09:00',
  });
  // Accepted in March, still in progress: active.
  await insertAssignment({
    orderId: units,
    memberId: ongoing,
    status: 'in-progress',
    answeredAt: '2026-03-01T10:00:00+09:00',
  });
  // Offers not taken up, declined ones, and work done before the period count for nothing.
  await insertAssignment({ orderId: root, memberId: idle, status: 'offered' });
  await insertAssignment({ orderId: root, memberId: idle, status: 'declined' });
  await insertAssignment({
    orderId: root,
    memberId: earlier,
    status: 'done',
    deliveredVolume: 5,
    answeredAt: '2026-03-01T10:00:00+09:00',
    completedAt: '2026-03-31T23:59:59+09:00',
  });
  // Elsewhere: 5 h × 1,500 on the order received here.
  await insertAssignment({
    orderId: root,
    memberId: remote,
    status: 'done',
    deliveredVolume: 5,
    completedAt: '2026-04-03T09:00:00+09:00',
  });

  await publish(memberErased(erased), MEMBER_ERASURE_CONSUMER);
  return { here, elsewhere, centre, partner, remoteCentre };
}

describe('Municipality.workFigures', () => {
  let world: TWorld;

  beforeAll(async () => {
    world = await buildWorld();
  });

  it('counts orders, volumes and pay exactly, at the Tokyo midnights, for every municipality of the request', async () => {
    const { figures, errors } = await figuresOf([world.here, world.elsewhere], asAdmin());
    expect(errors).toEqual([]);
    expect(figures).toEqual([
      {
        from: '2026-04-01',
        to: '2026-04-30',
        ordersPosted: 2,
        ordersReceived: 3,
        volumeHours: 200,
        delegatedVolumeHours: 40,
        // The erased member's work is paid, but they are nobody to count.
        activeWorkers: 3,
        payDeliveredYen: 45_000 + 33_333 + 12_000,
      },
      {
        from: '2026-04-01',
        to: '2026-04-30',
        ordersPosted: 1,
        ordersReceived: 1,
        volumeHours: 30,
        delegatedVolumeHours: 0,
        activeWorkers: 1,
        payDeliveredYen: 7_500,
      },
    ]);
    // The erasure left the work with its municipality and nobody named.
    expect(
      await countRows(
        hub.sql,
        'assignment',
        'member_id IS NULL AND erased_member_municipality_code = $1',
        [world.here],
      ),
    ).toBe(1);
  });

  it('reads a one-day period as that Tokyo day', async () => {
    const { figures } = await figuresOf([world.here], asAdmin(), {
      from: '2026-04-01',
      to: '2026-04-01',
    });
    expect(figures[0]).toMatchObject({ ordersPosted: 1, volumeHours: 100, ordersReceived: 1 });
    const may = await figuresOf([world.here], asAdmin(), { from: '2026-05-01', to: '2026-05-01' });
    // The order placed at May's first midnight, and the 20 h × 1,500 paid then.
    expect(may.figures[0]).toMatchObject({
      ordersPosted: 1,
      volumeHours: 9,
      payDeliveredYen: 30_000,
    });
  });

  it('gives a municipality without anything zeros', async () => {
    const { figures } = await figuresOf([freshCode()], asPartner());
    expect(figures[0]).toMatchObject({
      ordersPosted: 0,
      ordersReceived: 0,
      volumeHours: 0,
      delegatedVolumeHours: 0,
      activeWorkers: 0,
      payDeliveredYen: 0,
    });
  });

  it.each<[string, () => Identity | null, string | null]>([
    ['a partner key (counts)', () => asPartner(), null],
    ['an anonymous caller', () => null, 'UNAUTHENTICATED'],
    ['a member', () => asMember(randomUUID()), 'FORBIDDEN'],
    [
      'staff of one of the receiving organisations only',
      () => asMember(randomUUID(), { staffOf: [{ organizationId: world.centre, role: 'staff' }] }),
      'FORBIDDEN',
    ],
    [
      'staff of every receiving organisation of the work counted',
      () =>
        asMember(randomUUID(), {
          staffOf: [world.centre, world.partner, world.remoteCentre].map((organizationId) => ({
            organizationId,
            role: 'coordinator' as const,
          })),
        }),
      null,
    ],
  ])('figures from assignments for %s', async (_name, identity, code) => {
    const { figures, codes } = await figuresOf([world.here], identity());
    // Counts and volumes of orders are for everyone.
    expect(figures[0]).toMatchObject({ ordersPosted: 2, ordersReceived: 3, volumeHours: 200 });
    if (code === null) {
      expect(codes).toEqual([]);
      expect(figures[0]).toMatchObject({ activeWorkers: 3, payDeliveredYen: 90_333 });
    } else {
      expect(codes).toEqual([code, code]);
      expect(figures[0]).toMatchObject({ activeWorkers: null, payDeliveredYen: null });
    }
  });

  it('lets staff of the one centre behind all the work elsewhere read it', async () => {
    const staff = asMember(randomUUID(), {
      staffOf: [{ organizationId: world.centre, role: 'staff' }],
    });
    const { figures, codes } = await figuresOf([world.elsewhere], staff);
    expect(codes).toEqual([]);
    expect(figures[0]).toMatchObject({ activeWorkers: 1, payDeliveredYen: 7_500 });
    // With nothing counted, no staff reads anything (nothing of theirs to read).
    const empty = await figuresOf([freshCode()], staff);
    expect(empty.codes).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  });

  it.each<[string, string, string, string]>([
    ['ends before it starts', '2026-04-30', '2026-04-01', 'to'],
    ['is longer than 366 days', '2025-01-01', '2026-01-02', 'to'],
    ['starts before 1900', '1899-12-31', '1900-01-31', 'from'],
    ['ends after 2999', '2999-12-01', '3000-01-01', 'to'],
  ])('refuses a period that %s with INVALID_PERIOD', async (_name, from, to, field) => {
    const { figures, errors } = await figuresOf([world.here], asAdmin(), { from, to });
    expect(figures).toEqual([null]);
    expect(errors.map((error) => error.extensions)).toEqual([
      expect.objectContaining({ code: 'INVALID_PERIOD', field }),
    ]);
  });

  it('reads every municipality of a request with one statement per group and period', async () => {
    const codes = [world.here, world.elsewhere, freshCode()];
    const count = async (identity: Identity | null) => {
      const before = hub.service.queryCount();
      const { figures } = await figuresOf(codes, identity);
      expect(figures).toHaveLength(3);
      return hub.service.queryCount() - before;
    };
    // Orders, then assignments; an anonymous caller is refused before the assignments are read.
    expect(await count(asAdmin())).toBe(2);
    expect(await count(null)).toBe(1);
  });

  it('takes 366 days', async () => {
    const { figures, errors } = await figuresOf([world.here], asAdmin(), {
      from: '2026-01-01',
      to: '2027-01-01',
    });
    expect(errors).toEqual([]);
    // Also the orders placed a millisecond before April and at May's first midnight, and the work
    // done in March.
    expect(figures[0]).toMatchObject({ ordersPosted: 4, activeWorkers: 4 });
  });
});

describe('the organisations read model', () => {
  it('keeps the first place announced; a redelivery changes nothing', async () => {
    const event = organizationCreated({ municipalityCode: '012157' });
    await publish(event, ORGANIZATIONS_CONSUMER);
    await bus.publish(event);
    const replayed = organizationCreated({
      organizationId: event.data.organizationId,
      municipalityCode: '202151',
    });
    await publish(replayed, ORGANIZATIONS_CONSUMER);
    const { rows } = await hub.sql.query(
      'SELECT municipality_code FROM organization_place WHERE organization_id = $1',
      [event.data.organizationId],
    );
    expect(rows).toEqual([{ municipality_code: '012157' }]);
  });
});
