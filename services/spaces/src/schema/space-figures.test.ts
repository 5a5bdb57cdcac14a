import { randomUUID } from 'node:crypto';
import { createInProcessBus } from '@hub/event-bus';
import { createLogger } from '@hub/service-kit';
import { asAdmin, asMember, asPartner, startTestService, type TestService } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSpacesService } from '../app.js';

// Municipality.spaceFigures on a real database: exact numbers for spaces of several kinds and
// statuses, leases at the edges of the period, stays either side of a Tokyo midnight (whose UTC
// date is the day before), an erased member's stays and redemptions inside and outside; who
// reads the activity figures; period errors; one statement per figure group for many
// municipalities.

const migrationsDir = new URL('../../prisma/migrations', import.meta.url).pathname;
const bus = createInProcessBus();
let service: TestService;

const SHIOJIRI = '202151';
const MATSUMOTO = '202029';
const operatorA = randomUUID();
const operatorB = randomUUID();
const staffOf = (organizationId: string) =>
  asMember(randomUUID(), { staffOf: [{ organizationId, role: 'staff' }] });

const FIGURES = `spaceFigures(from: $from, to: $to) {
  from to spacesByKind { kind count } spacesByStatus { status count } totalCapacity
  satelliteOfficesLet checkIns uniqueVisitors passRedemptionsHosted }`;
const BOTH = `query ($from: Date!, $to: Date!) { municipalities(prefecture: "長野県") { code ${FIGURES} } }`;

type Figures = Record<string, unknown> & {
  checkIns: number | null;
  uniqueVisitors: number | null;
  passRedemptionsHosted: number | null;
};
type Answer = { municipalities: { code: string; spaceFigures: Figures }[] };

const NOVEMBER = { from: '2026-11-01', to: '2026-11-30' };
const ask = (identity: Parameters<TestService['gql']>[2], period = NOVEMBER, query = BOTH) =>
  service.gql<Answer>(query, period, identity);
const of = (answer: Awaited<ReturnType<typeof ask>>, code: string) =>
  answer.data!.municipalities.find((m) => m.code === code)!.spaceFigures;

async function space(
  code: string,
  kind: string,
  status: string,
  capacity: number | null,
  operatorId: string | null,
) {
  const id = randomUUID();
  await service.sql.query(
    `INSERT INTO space (id, name, kind, status, municipality_code, capacity, operator_id, updated_at)
     VALUES ($1, $2, $3::space_kind, $4::space_status, $5, $6, $7, now())`,
    [id, `${kind} ${status}`, kind, status, code, capacity, operatorId],
  );
  return id;
}

async function room(spaceId: string, kind: string, leases: [string, string | null][]) {
  const id = randomUUID();
  await service.sql.query(
    `INSERT INTO room (id, space_id, name, kind, updated_at) VALUES ($1, $2, $3, $4::room_kind, now())`,
    [id, spaceId, `room ${id.slice(0, 4)}`, kind],
  );
  for (const [startsOn, endsOn] of leases) {
    await service.sql.query(
      `INSERT INTO satellite_lease (id, room_id, tenant_organization_id, starts_on, ends_on)
       VALUES ($1, $2, $3, $4, $5)`,
      [randomUUID(), id, randomUUID(), startsOn, endsOn],
    );
  }
}

/** A finished stay beginning at `at` (with its offset: these are Tokyo wall-clock times). */
async function stay(spaceId: string, memberId: string | null, at: string) {
  await service.sql.query(
    `INSERT INTO visit (id, member_id, space_id, checked_in_at, checked_out_at)
     VALUES ($1, $2, $3, $4::timestamptz AT TIME ZONE 'UTC', ($4::timestamptz + interval '1 hour') AT TIME ZONE 'UTC')`,
    [randomUUID(), memberId, spaceId, at],
  );
}

beforeAll(async () => {
  service = await startTestService({
    name: 'spaces-figures',
    migrationsDir,
    start: startSpacesService,
    bus,
    logger: createLogger({ name: 'spaces-figures-test', level: 'silent' }),
  });
  await service.sql.query(
    `INSERT INTO municipality (code, name, prefecture) VALUES
     ('${SHIOJIRI}', '塩尻市', '長野県'), ('${MATSUMOTO}', '松本市', '長野県')`,
  );
  // 塩尻市: every space run by operator A. Capacity counts open spaces only (20 + 30; one open
  // space has none).
  const coworking = await space(SHIOJIRI, 'coworking', 'open', 20, operatorA);
  const telework = await space(SHIOJIRI, 'telework-centre', 'open', 30, operatorA);
  await space(SHIOJIRI, 'telework-centre', 'open', null, operatorA);
  await space(SHIOJIRI, 'satellite-office', 'planned', 10, operatorA);
  await space(SHIOJIRI, 'coworking', 'closed', 15, operatorA);
  // 松本市: operators A and B.
  const matsumotoB = await space(MATSUMOTO, 'coworking', 'open', 5, operatorB);
  await space(MATSUMOTO, 'incubator', 'open', 8, operatorA);

  // Let in November: a lease from its last day, one ending on its first day (and the same room
  // again mid-month: still one room). Not: October only, from December.
  await room(telework, 'satellite-office', [['2026-10-01', '2026-10-31']]);
  await room(telework, 'satellite-office', [['2026-11-30', null]]);
  await room(telework, 'satellite-office', [
    ['2026-10-01', '2026-11-01'],
    ['2026-11-10', '2026-11-20'],
  ]);
  await room(telework, 'satellite-office', [['2026-12-01', null]]);
  await room(telework, 'meeting-room', []);

  const [m1, m2, m3] = [randomUUID(), randomUUID(), randomUUID()];
  await stay(coworking, m1, '2026-10-31T23:30:00+09:00'); // October in Tokyo
  await stay(coworking, m1, '2026-11-01T00:30:00+09:00'); // November in Tokyo, Oct 31 in UTC
  await stay(telework, m1, '2026-11-15T10:00:00+09:00');
  await stay(coworking, m2, '2026-11-30T23:30:00+09:00');
  await stay(coworking, m2, '2026-12-01T00:30:00+09:00'); // December in Tokyo, Nov 30 in UTC
  await stay(coworking, m3, '2026-11-10T09:00:00+09:00');
  await stay(coworking, m3, '2026-11-11T09:00:00+09:00');
  // An erased member's stays: nobody's now, each one unknown visitor.
  await stay(telework, null, '2026-11-05T10:00:00+09:00');
  await stay(telework, null, '2026-11-06T10:00:00+09:00');
  await stay(telework, null, '2026-10-06T10:00:00+09:00');
  await stay(matsumotoB, m1, '2026-11-05T10:00:00+09:00');

  const networkId = randomUUID();
  const membershipId = randomUUID();
  const passId = randomUUID();
  await service.sql.query(
    "INSERT INTO space_network (id, name, kind, updated_at) VALUES ($1, 'visa', 'visa', now())",
    [networkId],
  );
  await service.sql.query(
    `INSERT INTO space_membership (id, member_id, space_id, plan, starts_on, updated_at)
     VALUES ($1, $2, $3, 'monthly', '2026-01-01', now())`,
    [membershipId, m1, coworking],
  );
  await service.sql.query(
    `INSERT INTO pass (id, network_id, member_id, membership_id, valid_from, valid_until)
     VALUES ($1, $2, $3, $4, '2026-01-01', '2026-12-31')`,
    [passId, networkId, m1, membershipId],
  );
  for (const [host, date] of [
    [telework, '2026-10-31'],
    [telework, '2026-11-01'],
    [telework, '2026-11-30'],
    [telework, '2026-12-01'],
    [matsumotoB, '2026-11-02'],
  ] as const) {
    await service.sql.query(
      'INSERT INTO pass_redemption (id, pass_id, host_space_id, date) VALUES ($1, $2, $3, $4)',
      [randomUUID(), passId, host, date],
    );
  }
});

afterAll(async () => {
  await service?.stop();
});

describe('Municipality.spaceFigures', () => {
  it('counts the spaces, the offices let, the stays in Tokyo days and the redemptions', async () => {
    const answer = await ask(asAdmin());
    expect(answer.errors).toBeUndefined();
    expect(of(answer, SHIOJIRI)).toEqual({
      from: '2026-11-01',
      to: '2026-11-30',
      spacesByKind: [
        { kind: 'COWORKING', count: 2 },
        { kind: 'TELEWORK_CENTRE', count: 2 },
        { kind: 'SATELLITE_OFFICE', count: 1 },
        { kind: 'INCUBATOR', count: 0 },
      ],
      spacesByStatus: [
        { status: 'PLANNED', count: 1 },
        { status: 'OPEN', count: 3 },
        { status: 'CLOSED', count: 1 },
      ],
      totalCapacity: 50,
      satelliteOfficesLet: 2,
      // m1 twice, m2 once, m3 twice, the erased member twice.
      checkIns: 7,
      // m1, m2, m3 and two unknown visitors.
      uniqueVisitors: 5,
      passRedemptionsHosted: 2,
    });
    expect(of(answer, MATSUMOTO)).toMatchObject({
      totalCapacity: 13,
      satelliteOfficesLet: 0,
      checkIns: 1,
      uniqueVisitors: 1,
      passRedemptionsHosted: 1,
    });
  });

  it('counts a period of October on its own, also beside November in one request', async () => {
    const query = `query ($from: Date!, $to: Date!) { municipality(code: "${SHIOJIRI}") {
      november: spaceFigures(from: $from, to: $to) { checkIns satelliteOfficesLet }
      october: spaceFigures(from: "2026-10-01", to: "2026-10-31") { checkIns uniqueVisitors satelliteOfficesLet passRedemptionsHosted } } }`;
    const answer = await service.gql<{ municipality: Record<string, unknown> }>(
      query,
      NOVEMBER,
      asAdmin(),
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.municipality).toEqual({
      november: { checkIns: 7, satelliteOfficesLet: 2 },
      october: { checkIns: 2, uniqueVisitors: 2, satelliteOfficesLet: 2, passRedemptionsHosted: 1 },
    });
  });

  it.each([
    ['a partner key', asPartner()],
    ['staff of the operator of every space there', staffOf(operatorA)],
  ])('gives %s the activity counts', async (_who, identity) => {
    const answer = await ask(identity);
    const shiojiri = of(answer, SHIOJIRI);
    expect([shiojiri.checkIns, shiojiri.uniqueVisitors, shiojiri.passRedemptionsHosted]).toEqual([
      7, 5, 2,
    ]);
  });

  it('refuses the activity counts where another operator runs a space, keeping the rest', async () => {
    // 松本市 minus operator A's own counts would be operator B's, which A's staff may not read.
    const answer = await ask(staffOf(operatorA));
    expect(of(answer, SHIOJIRI).checkIns).toBe(7);
    const matsumoto = of(answer, MATSUMOTO);
    expect(matsumoto).toMatchObject({
      totalCapacity: 13,
      checkIns: null,
      uniqueVisitors: null,
      passRedemptionsHosted: null,
    });
    const index = answer.data!.municipalities.findIndex((m) => m.code === MATSUMOTO);
    expect(
      answer.errors?.map((error) => [error.extensions?.code, error.path?.join('.')]).sort(),
    ).toEqual(
      ['checkIns', 'passRedemptionsHosted', 'uniqueVisitors'].map((field) => [
        'FORBIDDEN',
        `municipalities.${index}.spaceFigures.${field}`,
      ]),
    );
  });

  it.each([
    ['an anonymous caller', 'UNAUTHENTICATED', null],
    ['a member', 'FORBIDDEN', asMember(randomUUID())],
    ['staff of another operator', 'FORBIDDEN', staffOf(operatorB)],
  ])(
    'gives %s the directory figures and %s for the activity counts',
    async (_who, code, identity) => {
      const answer = await ask(identity);
      for (const municipality of [SHIOJIRI, MATSUMOTO]) {
        expect(of(answer, municipality)).toMatchObject({
          checkIns: null,
          uniqueVisitors: null,
          passRedemptionsHosted: null,
        });
      }
      expect(of(answer, SHIOJIRI)).toMatchObject({ totalCapacity: 50, satelliteOfficesLet: 2 });
      expect(answer.errors).toHaveLength(6);
      expect(new Set(answer.errors!.map((error) => error.extensions?.code))).toEqual(
        new Set([code]),
      );
    },
  );

  it.each([
    ['to before from', { from: '2026-11-02', to: '2026-11-01' }],
    ['367 days', { from: '2024-01-01', to: '2025-01-01' }],
  ])('refuses a period with %s (INVALID_PERIOD)', async (_what, period) => {
    const answer = await ask(asAdmin(), period);
    expect(answer.errors).toHaveLength(2);
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_PERIOD', field: 'to' });
    expect(answer.errors?.[0]?.path).toEqual(['municipalities', 0, 'spaceFigures']);
    // The municipalities still arrive, without figures.
    expect(answer.data!.municipalities.map((m) => m.spaceFigures)).toEqual([null, null]);
    expect(answer.errors?.[0]?.message).toMatch(/\(.+\)/);
  });

  it.each([
    ['from', { from: '0001-01-01', to: '0001-01-31' }],
    ['to', { from: '2999-12-01', to: '3000-01-31' }],
  ])(
    'refuses a period beyond the years figures cover (INVALID_PERIOD at %s)',
    async (field, period) => {
      const answer = await ask(asAdmin(), period);
      expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_PERIOD', field });
      expect(answer.data!.municipalities.map((m) => m.spaceFigures)).toEqual([null, null]);
    },
  );

  it('takes a whole leap year and a single day', async () => {
    const year = await ask(asAdmin(), { from: '2026-01-01', to: '2026-12-31' });
    expect(year.errors).toBeUndefined();
    // 366 days of 2028, a leap year.
    const leap = await ask(asAdmin(), { from: '2028-01-01', to: '2028-12-31' });
    expect(leap.errors).toBeUndefined();
    const day = await ask(asAdmin(), { from: '2026-11-01', to: '2026-11-01' });
    expect(of(day, SHIOJIRI)).toMatchObject({ checkIns: 1, passRedemptionsHosted: 1 });
  });

  it('refuses a date that is not one (BAD_USER_INPUT)', async () => {
    const answer = await ask(asAdmin(), { from: '2026-11-31', to: '2026-12-01' });
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('reads each figure group with one statement for all municipalities', async () => {
    const before = service.queryCount();
    const answer = await ask(asAdmin());
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.municipalities).toHaveLength(2);
    // The municipalities, then directory, offices let and activity: one statement each.
    expect(service.queryCount() - before).toBe(4);
  });
});
