import { randomUUID } from 'node:crypto';
import { todayInJapan } from '@hub/contracts';
import { createInProcessBus, type EventBus, type EventEnvelope } from '@hub/event-bus';
import type { Identity } from '@hub/service-kit';
import { asAdmin, asMember, asPartner, waitFor } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  buses,
  countRows,
  silentLogger,
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

// Workers are matching's copy of members' personal data: display name and kind are public as on
// Member; the rest is for the member, hub admins, staff of an organisation the member is
// registered with (tested below) and consenting partners (src/authorization/worker-matrix.test.ts).

/** What a refused caller gets: the worker's public fields, each other field null with `code`. */
function expectRefused(
  response: {
    data?: { worker?: unknown } | null;
    errors?: {
      path?: readonly (string | number)[];
      extensions?: Record<string, unknown>;
      message: string;
    }[];
  },
  code: string,
  fields: readonly string[],
) {
  const worker = response.data?.worker as Record<string, unknown> | null | undefined;
  expect(worker).toBeTruthy();
  for (const field of fields) {
    expect(worker![field]).toBeNull();
    const error = response.errors?.find(
      (candidate) => JSON.stringify(candidate.path) === JSON.stringify(['worker', field]),
    );
    expect(error?.extensions?.code).toBe(code);
    expect(error?.message).toMatch(/[ぁ-んァ-ヶ一-龠]/);
  }
  expect(response.errors).toHaveLength(fields.length);
}
describe('Worker and DataExport.matching over HTTP (real Postgres, in-process bus)', () => {
  let bus: EventBus;
  let hub: TestService;
  const memberId = randomUUID();
  const otherMemberId = randomUUID();
  // A coordinator of a centre the member is not registered with: a staff role alone must not
  // open a member's data.
  const centreStaff = asMember(randomUUID(), {
    staffOf: [{ organizationId: randomUUID(), role: 'coordinator' }],
  });

  beforeAll(async () => {
    bus = createInProcessBus({ logger: silentLogger });
    hub = await startTestService(bus);
    // Created in this order, so the update is the newer event.
    const registered = memberRegistered({ memberId, displayName: '本人 花子' });
    const update = profileUpdated(memberId, { availableHoursPerWeek: 12 });
    await bus.publish(registered);
    await bus.publish(update);
    await bus.publish(memberRegistered({ memberId: otherMemberId }));
    await waitFor(
      async () =>
        (await countRows(hub.sql, 'inbox_event', 'event_id = $1', [update.id])) === 1 &&
        (await countRows(hub.sql, 'worker', 'member_id = $1', [otherMemberId])) === 1,
      { message: 'the workers in the read model' },
    );
  });

  afterAll(async () => {
    await hub?.close();
    await bus?.close();
  });

  const WORKER = `query ($id: ID!) {
    worker(memberId: $id) { memberId displayName kind availableHoursPerWeek skills { code level } }
  }`;
  const refusals: [string, string, Identity | null][] = [
    ['an anonymous caller', 'UNAUTHENTICATED', null],
    ['another member', 'FORBIDDEN', asMember(otherMemberId)],
    ['staff of an organisation', 'FORBIDDEN', centreStaff],
    ['a partner key without the scope', 'FORBIDDEN', asPartner({ scopes: ['public:read'] })],
    // Matching knows consents (members.consent.*): this key declares no purpose to consent to.
    [
      'a partner key without a purpose',
      'CONSENT_REQUIRED',
      asPartner({ scopes: ['members:personal:read'] }),
    ],
  ];

  describe('worker(memberId)', () => {
    it.each<[string, Identity]>([
      ['the member themself', asMember(memberId)],
      ['a hub admin', asAdmin()],
    ])('is shown to %s', async (_who, identity) => {
      const response = await hub.graphql<{ worker: unknown }>(WORKER, { id: memberId }, identity);
      expect(response.errors).toBeUndefined();
      expect(response.data!.worker).toEqual({
        memberId,
        displayName: '佐藤 美咲 (更新)',
        kind: 'FREELANCER',
        availableHoursPerWeek: 12,
        skills: [
          { code: 'data-entry', level: 5 },
          { code: 'web-site-building', level: 2 },
        ],
      });
    });

    it.each(refusals)(
      'shows %s only its public fields (%s for the others)',
      async (_who, code, identity) => {
        const response = await hub.graphql<{ worker: unknown }>(WORKER, { id: memberId }, identity);
        expectRefused(response, code, ['availableHoursPerWeek', 'skills']);
        expect(response.data!.worker).toMatchObject({
          memberId,
          displayName: '佐藤 美咲 (更新)',
          kind: 'FREELANCER',
        });
      },
    );

    it('answers null, without an error, for a member matching does not know', async () => {
      const response = await hub.graphql<{ worker: unknown }>(WORKER, { id: randomUUID() });
      expect(response.errors).toBeUndefined();
      expect(response.data!.worker).toBeNull();
    });
  });

  describe('workers (the whole list)', () => {
    const WORKERS = '{ workers { nodes { memberId displayName } } }';

    it('is shown to a hub admin', async () => {
      const response = await hub.graphql<{ workers: { nodes: { memberId: string }[] } }>(
        WORKERS,
        undefined,
        asAdmin(),
      );
      expect(response.errors).toBeUndefined();
      expect(response.data!.workers.nodes.map((worker) => worker.memberId).sort()).toEqual(
        [memberId, otherMemberId].sort(),
      );
    });

    it.each<[string, string, Identity | null]>([
      ...refusals.filter(([, , identity]) => identity !== centreStaff),
      // Even a member listed in it: the list is everyone's data.
      ['a member in the list', 'FORBIDDEN', asMember(memberId)],
    ])('is refused to %s (%s)', async (_who, code, identity) => {
      const response = await hub.graphql(WORKERS, undefined, identity);
      expect(response.errors?.[0]?.extensions?.code).toBe(code);
      expect(response.data).toBeNull();
    });

    it.each<[string, Identity]>([
      ['staff of an organisation nobody in it is registered with', centreStaff],
      [
        'a partner key nobody consented to',
        asPartner({ scopes: ['members:personal:read'], purpose: 'work-matching' }),
      ],
    ])('is empty for %s', async (_who, identity) => {
      const response = await hub.graphql<{ workers: { nodes: unknown[] } }>(
        WORKERS,
        undefined,
        identity,
      );
      expect(response.errors).toBeUndefined();
      expect(response.data!.workers.nodes).toEqual([]);
    });
  });

  describe('DataExport.matching', () => {
    const EXPORT = `query ($r: [_Any!]!) {
      _entities(representations: $r) { ... on DataExport { memberId matching } }
    }`;
    const exportOf = (ids: string[], identity: Identity | null) =>
      hub.graphql<{ _entities: ({ memberId: string; matching: unknown } | null)[] }>(
        EXPORT,
        { r: ids.map((id) => ({ __typename: 'DataExport', memberId: id })) },
        identity,
      );

    it.each<[string, Identity]>([
      ['the member themself', asMember(memberId)],
      ['a hub admin', asAdmin()],
    ])('gives %s the whole worker row', async (_who, identity) => {
      const response = await exportOf([memberId], identity);
      expect(response.errors).toBeUndefined();
      expect(response.data!._entities).toEqual([
        {
          memberId,
          matching: {
            worker: {
              memberId,
              displayName: '佐藤 美咲 (更新)',
              kind: 'FREELANCER',
              municipalityCode: '011002',
              availableHoursPerWeek: 12,
              // Whether staff verified each skill, as the profile update said.
              skills: [
                { code: 'data-entry', level: 5, isVerified: true },
                { code: 'web-site-building', level: 2, isVerified: false },
              ],
              profileVisibility: null,
              registeredAt: expect.any(String),
              sourceEventAt: expect.any(String),
              updatedAt: expect.any(String),
            },
            consents: [],
            assignments: [],
            homeSpaces: [],
            referral: null,
            helpRequests: [],
            introductions: [],
            note: expect.stringMatching(/^マッチングサービス.*\(/),
          },
        },
      ]);
    });

    it('answers a member matching knows nothing about with worker: null', async () => {
      const stranger = randomUUID();
      const response = await exportOf([stranger], asMember(stranger));
      expect(response.errors).toBeUndefined();
      expect(response.data!._entities[0]!.matching).toMatchObject({ worker: null });
    });

    // The export is the member's and admins' only: partner keys are refused whatever they hold.
    it.each(
      refusals.map(([who, code, identity]) => [
        who,
        code === 'CONSENT_REQUIRED' ? 'FORBIDDEN' : code,
        identity,
      ]) as [string, string, Identity | null][],
    )('is refused to %s (%s)', async (_who, code, identity) => {
      const response = await exportOf([memberId], identity);
      expect(response.errors?.[0]?.extensions?.code).toBe(code);
      expect(response.data?._entities[0]?.matching ?? null).toBeNull();
    });

    it('loads the rows of several exports with one SQL query per kind (workers, consents, home spaces, referrals, assignments, help requests and their skills, introductions)', async () => {
      const ids = [memberId, otherMemberId, randomUUID(), 'not-a-uuid'];
      const before = hub.service.queryCount();
      const response = await exportOf(ids, asAdmin());
      expect(hub.service.queryCount() - before).toBe(8);
      expect(response.errors).toBeUndefined();
      // A key that cannot be a member id names no export at all.
      expect(
        response.data!._entities.map(
          (entity) =>
            entity && (entity.matching as { worker: { memberId: string } | null }).worker?.memberId,
        ),
      ).toEqual([memberId, otherMemberId, undefined, null]);
    });
  });
});

// The hub's rule for personal data, as matching applies it from members.affiliation.changed:
// staff (staff, coordinator, admin — the token's staffOf) of an organisation where the worker
// has an active affiliation today, which members announces only once the member confirmed it.
describe.each(buses)(
  'Worker for staff of the organisations a worker is registered with ($name)',
  (factory) => {
    let bus: EventBus;
    let cleanupBus: () => Promise<void>;
    let hub: TestService;

    const centreId = randomUUID();
    const otherOrganizationId = randomUUID();
    const staffOf = (...entries: [string, 'staff' | 'coordinator' | 'admin'][]) =>
      asMember(randomUUID(), {
        staffOf: entries.map(([organizationId, role]) => ({ organizationId, role })),
      });
    const coordinator = staffOf([centreId, 'coordinator']);
    const otherStaff = staffOf([otherOrganizationId, 'staff']);
    const staffOfBoth = staffOf([centreId, 'admin'], [otherOrganizationId, 'staff']);

    // Named so the list's order is known whatever the database's collation.
    const workers = {
      registered: { memberId: randomUUID(), name: 'A 登録中' },
      lastDay: { memberId: randomUUID(), name: 'B 今日まで' },
      both: { memberId: randomUUID(), name: 'C 両方に登録' },
      early: { memberId: randomUUID(), name: 'D 所属が先に届いた' },
      elsewhere: { memberId: randomUUID(), name: 'E 他の組織' },
      left: { memberId: randomUUID(), name: 'F 退所済み' },
      upcoming: { memberId: randomUUID(), name: 'G 明日から' },
      unregistered: { memberId: randomUUID(), name: 'H 所属なし' },
    };
    const at = (organizationId: string, worker: { memberId: string }, more = {}) =>
      affiliationChanged({ memberId: worker.memberId, organizationId, ...more });

    const inboxRows = (events: EventEnvelope[]) =>
      countRows(hub.sql, 'inbox_event', 'event_id = ANY($1::uuid[])', [events.map((e) => e.id)]);
    /** Publishes in order and waits until each was handled (one consumer per type). */
    async function publishAll(events: EventEnvelope[]) {
      for (const event of events) await bus.publish(event);
      await waitFor(async () => (await inboxRows(events)) === events.length || undefined, {
        message: 'the events handled',
        timeoutMs: 10_000,
      });
    }

    beforeAll(async () => {
      ({ bus, cleanup: cleanupBus } = await factory.connect());
      hub = await startTestService(bus);
      const { registered, lastDay, both, early, elsewhere, left, upcoming } = workers;
      const leftStarted = at(centreId, left);
      await publishAll([
        // Announced before the member's registration reached matching: kept, and it counts once
        // the worker appears.
        at(centreId, early, { role: 'contact' }),
        ...Object.values(workers).map(({ memberId, name }) =>
          memberRegistered({
            memberId,
            displayName: name,
            municipalityCode: memberId === registered.memberId ? '011002' : '012157',
          }),
        ),
        at(centreId, registered),
        at(centreId, lastDay, { endsOn: todayInJapan() }),
        at(centreId, both),
        at(otherOrganizationId, both, { role: 'staff' }),
        at(otherOrganizationId, elsewhere),
        leftStarted,
        affiliationEnded(leftStarted, japanDate(-1)),
        at(centreId, upcoming, { startsOn: japanDate(1) }),
        // H 所属なし: no affiliation anywhere
      ]);
    });

    afterAll(async () => {
      await hub?.close();
      await cleanupBus?.();
    });

    const WORKER = `query ($id: ID!) {
    worker(memberId: $id) { memberId displayName availableHoursPerWeek skills { code level } }
  }`;
    const PERSONAL = ['availableHoursPerWeek', 'skills'];
    const workerAs = (identity: Identity | null, memberId: string) =>
      hub.graphql<{ worker: { memberId: string; displayName: string } | null }>(
        WORKER,
        { id: memberId },
        identity,
      );
    const WORKERS = `query ($filter: WorkerFilter) {
    workers(filter: $filter) { nodes { memberId displayName kind municipalityCode } }
  }`;
    const workersAs = async (identity: Identity | null, filter?: Record<string, string>) => {
      const response = await hub.graphql<{ workers: { nodes: { displayName: string }[] } }>(
        WORKERS,
        { filter },
        identity,
      );
      expect(response.errors).toBeUndefined();
      return response.data!.workers.nodes.map((worker) => worker.displayName);
    };

    describe('worker(memberId)', () => {
      it.each([
        ['registered with the centre', 'registered'],
        ['whose affiliation ends today (its last day counts)', 'lastDay'],
        ['registered with the centre and another organisation', 'both'],
        ['whose affiliation arrived before the worker', 'early'],
      ] as const)('is shown to the centre’s coordinator for a worker %s', async (_case, key) => {
        const { memberId, name } = workers[key];
        const response = await workerAs(coordinator, memberId);
        expect(response.errors).toBeUndefined();
        expect(response.data!.worker).toMatchObject({ memberId, displayName: name });
      });

      it.each([
        ['registered with another organisation only', 'elsewhere'],
        ['whose affiliation ended yesterday', 'left'],
        ['whose affiliation starts tomorrow', 'upcoming'],
        ['registered nowhere', 'unregistered'],
      ] as const)(
        'is refused (FORBIDDEN) to the centre’s coordinator for a worker %s',
        async (_case, key) => {
          const response = await workerAs(coordinator, workers[key].memberId);
          expectRefused(response, 'FORBIDDEN', PERSONAL);
        },
      );

      it.each<[string, string, Identity | null]>([
        ['staff of another organisation', 'FORBIDDEN', otherStaff],
        ['an anonymous caller', 'UNAUTHENTICATED', null],
        ['another member', 'FORBIDDEN', asMember(randomUUID())],
        // Registered with the centre says nothing to a partner: only the member's consent does.
        [
          'a partner key the member did not consent to',
          'CONSENT_REQUIRED',
          asPartner({ scopes: ['members:personal:read'], purpose: 'work-matching' }),
        ],
      ])('is refused to %s (%s) for a worker of the centre', async (_who, code, identity) => {
        const response = await workerAs(identity, workers.registered.memberId);
        expectRefused(response, code, PERSONAL);
      });

      it('is refused once the affiliation ended, and to no one else', async () => {
        const organizationId = randomUUID();
        const staff = staffOf([organizationId, 'coordinator']);
        const registered = memberRegistered({ displayName: '退所予定' });
        const started = affiliationChanged({ memberId: registered.subject, organizationId });
        await publishAll([registered, started]);
        expect((await workerAs(staff, registered.subject)).data!.worker).toMatchObject({
          memberId: registered.subject,
        });
        expect(await workersAs(staff)).toEqual(['退所予定']);

        await publishAll([affiliationEnded(started, japanDate(-1))]);
        const response = await workerAs(staff, registered.subject);
        expectRefused(response, 'FORBIDDEN', PERSONAL);
        expect(await workersAs(staff)).toEqual([]);
        // The member themself still reads it.
        expect(
          (await workerAs(asMember(registered.subject), registered.subject)).errors,
        ).toBeUndefined();
      });

      it('is refused to staff once the member is erased', async () => {
        const organizationId = randomUUID();
        const staff = staffOf([organizationId, 'staff']);
        const registered = memberRegistered();
        await publishAll([
          registered,
          affiliationChanged({ memberId: registered.subject, organizationId }),
        ]);
        expect((await workerAs(staff, registered.subject)).errors).toBeUndefined();
        await publishAll([memberErased(registered.subject)]);
        // The worker is gone: nothing of theirs, to staff or anyone.
        const response = await workerAs(staff, registered.subject);
        expect(response.errors).toBeUndefined();
        expect(response.data!.worker).toBeNull();
        expect(await workersAs(staff)).toEqual([]);
      });
    });

    describe('workers (the list)', () => {
      it('shows staff only the workers registered with their organisations today', async () => {
        expect(await workersAs(coordinator)).toEqual([
          'A 登録中',
          'B 今日まで',
          'C 両方に登録',
          'D 所属が先に届いた',
        ]);
        expect(await workersAs(otherStaff)).toEqual(['C 両方に登録', 'E 他の組織']);
        // Registered with both of the caller's organisations: listed once.
        expect(await workersAs(staffOfBoth)).toEqual([
          'A 登録中',
          'B 今日まで',
          'C 両方に登録',
          'D 所属が先に届いた',
          'E 他の組織',
        ]);
      });

      it('applies the filter within the staff’s workers', async () => {
        expect(await workersAs(coordinator, { municipalityCode: '011002' })).toEqual(['A 登録中']);
        expect(await workersAs(otherStaff, { municipalityCode: '011002' })).toEqual([]);
        expect(await workersAs(coordinator, { skill: 'data-entry' })).toHaveLength(4);
        expect(await workersAs(coordinator, { skill: 'no-such-skill' })).toEqual([]);
      });

      type TPage = {
        totalCount: number;
        edges: { cursor: string; node: { memberId: string } }[];
        pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
      };
      const PAGE = `query ($first: Int, $last: Int, $after: String, $before: String, $filter: WorkerFilter) {
        workers(first: $first, last: $last, after: $after, before: $before, filter: $filter) {
          totalCount edges { cursor node { memberId } }
          pageInfo { hasNextPage hasPreviousPage endCursor }
        }
      }`;
      const pageAs = async (identity: Identity, variables: Record<string, unknown>) => {
        const response = await hub.graphql<{ workers: TPage }>(PAGE, variables, identity);
        expect(response.errors).toBeUndefined();
        return response.data!.workers;
      };

      it('pages a staff member’s workers in the database’s order, forwards and backwards', async () => {
        const { rows } = await hub.sql.query<{ member_id: string }>(
          'SELECT member_id FROM worker WHERE member_id = ANY($1::uuid[]) ORDER BY display_name, member_id',
          [
            [workers.registered, workers.lastDay, workers.both, workers.early].map(
              (w) => w.memberId,
            ),
          ],
        );
        const expected = rows.map((row) => row.member_id);
        const forwards: string[] = [];
        let after: string | null = null;
        for (let pages = 0; pages < 10; pages += 1) {
          const page: TPage = await pageAs(coordinator, { first: 3, after });
          expect(page.totalCount).toBe(4);
          forwards.push(...page.edges.map((edge) => edge.node.memberId));
          expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
          if (!page.pageInfo.hasNextPage) break;
          after = page.pageInfo.endCursor;
        }
        expect(forwards).toEqual(expected);

        const last = await pageAs(coordinator, { last: 3 });
        expect(last.edges.map((edge) => edge.node.memberId)).toEqual(expected.slice(1));
        expect(last.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
        const before = await pageAs(coordinator, { last: 3, before: last.edges[0]!.cursor });
        expect(before.edges.map((edge) => edge.node.memberId)).toEqual(expected.slice(0, 1));
      });

      it('counts under a filter only the readable workers that match it', async () => {
        const filtered = await pageAs(coordinator, { first: 1, filter: { skill: 'data-entry' } });
        expect(filtered.totalCount).toBe(4);
        expect(filtered.edges).toHaveLength(1);
        expect(
          (await pageAs(otherStaff, { filter: { municipalityCode: '011002' } })).totalCount,
        ).toBe(0);
        const admin = await pageAs(asAdmin(), { first: 0 });
        expect(admin.totalCount).toBe(await countRows(hub.sql, 'worker'));
        expect(admin.edges).toEqual([]);
      });

      it('shows a hub admin every worker', async () => {
        const names = await workersAs(asAdmin());
        expect(names).toEqual(expect.arrayContaining(Object.values(workers).map((w) => w.name)));
      });

      it('returns the same fields to staff as to an admin', async () => {
        const response = await hub.graphql<{ workers: { nodes: unknown[] } }>(
          WORKERS,
          { filter: { municipalityCode: '011002' } },
          coordinator,
        );
        expect(response.data!.workers.nodes).toEqual([
          {
            memberId: workers.registered.memberId,
            displayName: 'A 登録中',
            kind: 'TELEWORKER',
            municipalityCode: '011002',
          },
        ]);
      });
    });

    describe('SQL statements per request (no N+1)', () => {
      const statements = async (
        query: string,
        identity: Identity,
        variables?: Record<string, unknown>,
      ) => {
        const before = hub.service.queryCount();
        const response = await hub.graphql(query, variables, identity);
        expect(response.errors).toBeUndefined();
        return hub.service.queryCount() - before;
      };

      it('a staff member’s list: the list, then ONE affiliation query for all its workers', async () => {
        const personal = '{ workers { nodes { memberId municipalityCode } } }';
        expect(await statements(personal, staffOfBoth)).toBe(2);
        expect(await statements(personal, asAdmin())).toBe(1);
        // Public fields need no affiliation.
        expect(
          await statements('{ workers { nodes { memberId displayName kind } } }', staffOfBoth),
        ).toBe(1);
      });

      it('several workers looked up by staff: one affiliation query, one worker query', async () => {
        const ids = [workers.registered, workers.lastDay, workers.both].map((w) => w.memberId);
        const query = `query ($a: ID!, $b: ID!, $c: ID!) {
        a: worker(memberId: $a) { availableHoursPerWeek }
        b: worker(memberId: $b) { availableHoursPerWeek }
        c: worker(memberId: $c) { availableHoursPerWeek }
      }`;
        expect(await statements(query, coordinator, { a: ids[0], b: ids[1], c: ids[2] })).toBe(2);
        // The member themself and admins need no affiliation lookup.
        expect(await statements(WORKER, asMember(ids[0]!), { id: ids[0] })).toBe(1);
        expect(await statements(query, asAdmin(), { a: ids[0], b: ids[1], c: ids[2] })).toBe(1);
      });
    });
  },
);
