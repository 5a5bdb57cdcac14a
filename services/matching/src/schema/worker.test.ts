import { randomUUID } from 'node:crypto';
import { createInProcessBus, type EventBus } from '@hub/event-bus';
import type { Identity } from '@hub/service-kit';
import { asAdmin, asMember, asPartner, waitFor } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  countRows,
  silentLogger,
  startTestService,
  type TestService,
} from '../../test/support/matching-service.js';
import { memberRegistered, profileUpdated } from '../../test/support/member-events.js';

// Workers are matching's copy of members' personal data: only the member and hub admins see it.
describe('Worker and DataExport.matching over HTTP (real Postgres, in-process bus)', () => {
  let bus: EventBus;
  let hub: TestService;
  const memberId = randomUUID();
  const otherMemberId = randomUUID();
  // A coordinator of a centre: matching does not know whether the member is registered with
  // it, so a staff role alone must not open a member's data.
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
    ['a partner key', 'FORBIDDEN', asPartner({ scopes: ['members:personal:read'] })],
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

    it.each(refusals)('is refused to %s (%s)', async (_who, code, identity) => {
      const response = await hub.graphql<{ worker: unknown }>(WORKER, { id: memberId }, identity);
      expect(response.errors?.[0]?.extensions?.code).toBe(code);
      expect(response.errors?.[0]?.message).toMatch(/[ぁ-んァ-ヶ一-龠]/);
      expect(response.data?.worker ?? null).toBeNull();
    });
  });

  describe('workers (the whole list)', () => {
    const WORKERS = '{ workers { memberId displayName } }';

    it('is shown to a hub admin', async () => {
      const response = await hub.graphql<{ workers: { memberId: string }[] }>(
        WORKERS,
        undefined,
        asAdmin(),
      );
      expect(response.errors).toBeUndefined();
      expect(response.data!.workers.map((worker) => worker.memberId).sort()).toEqual(
        [memberId, otherMemberId].sort(),
      );
    });

    it.each<[string, string, Identity | null]>([
      ...refusals,
      // Even a member listed in it: the list is everyone's data.
      ['a member in the list', 'FORBIDDEN', asMember(memberId)],
    ])('is refused to %s (%s)', async (_who, code, identity) => {
      const response = await hub.graphql(WORKERS, undefined, identity);
      expect(response.errors?.[0]?.extensions?.code).toBe(code);
      expect(response.data).toBeNull();
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
              skills: [
                { code: 'data-entry', level: 5 },
                { code: 'web-site-building', level: 2 },
              ],
              registeredAt: expect.any(String),
              sourceEventAt: expect.any(String),
              updatedAt: expect.any(String),
            },
            assignments: [],
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

    it.each(refusals)('is refused to %s (%s)', async (_who, code, identity) => {
      const response = await exportOf([memberId], identity);
      expect(response.errors?.[0]?.extensions?.code).toBe(code);
      expect(response.data?._entities[0]?.matching ?? null).toBeNull();
    });

    it('loads the rows of several exports with ONE SQL query', async () => {
      const ids = [memberId, otherMemberId, randomUUID(), 'not-a-uuid'];
      const before = hub.service.queryCount();
      const response = await exportOf(ids, asAdmin());
      expect(hub.service.queryCount() - before).toBe(1);
      expect(response.errors).toBeUndefined();
      expect(
        response.data!._entities.map(
          (entity) =>
            (entity!.matching as { worker: { memberId: string } | null }).worker?.memberId,
        ),
      ).toEqual([memberId, otherMemberId, undefined, undefined]);
    });
  });
});
