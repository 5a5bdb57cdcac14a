import { randomUUID } from 'node:crypto';
import {
  connectNatsBus,
  createInProcessBus,
  type EventBus,
  type EventEnvelope,
} from '@hub/event-bus';
import { createLogger } from '@hub/service-kit';
import { asAdmin, startTestService, type TestService, testBuses, waitFor } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSpacesService } from '../app.js';

// Membership events leave spaces through its outbox and relay and arrive, on both buses, as a
// consumer (matching, later) receives them: started, then ended, for the same membership.

const logger = createLogger({ name: 'spaces-membership-events-test', level: 'silent' });
const buses = testBuses({
  name: 'spaces-membership-test',
  streams: ['spaces'],
  logger,
  connectNatsBus,
  createInProcessBus,
});

describe.each(buses)('spaces.space-membership.* ($name)', (factory) => {
  let bus: EventBus;
  let cleanupBus: () => Promise<void>;
  let service: TestService;
  const received: EventEnvelope[] = [];

  beforeAll(async () => {
    ({ bus, cleanup: cleanupBus } = await factory.connect());
    service = await startTestService({
      name: 'spaces-membership-events',
      migrationsDir: new URL('../../prisma/migrations', import.meta.url).pathname,
      start: startSpacesService,
      bus,
      logger,
    });
    await service.sql.query(
      "INSERT INTO municipality (code, name, prefecture) VALUES ('202151', '塩尻市', '長野県')",
    );
    await bus.subscribe({
      consumer: `membership-listener-${randomUUID().slice(0, 8)}`,
      types: ['spaces.space-membership.started', 'spaces.space-membership.ended'],
      handler: async (event) => {
        received.push(event);
      },
    });
  });

  afterAll(async () => {
    await service?.stop();
    await cleanupBus?.();
  });

  it('publishes started and ended through the relay', async () => {
    const admin = asAdmin();
    const space = await service.gql<{ createSpace: { space: { id: string } } }>(
      'mutation ($input: CreateSpaceInput!) { createSpace(input: $input) { ... on CreateSpaceSuccess { space { id } } } }',
      { input: { name: 'Colabo', kind: 'COWORKING', municipalityCode: '202151' } },
      admin,
    );
    const spaceId = space.data!.createSpace.space.id;
    const memberId = randomUUID();
    const started = await service.gql<{ startSpaceMembership: { membership: { id: string } } }>(
      'mutation ($input: StartSpaceMembershipInput!) { startSpaceMembership(input: $input) { ... on StartSpaceMembershipSuccess { membership { id } } } }',
      { input: { memberId, spaceId, plan: 'RESIDENT', startsOn: '2026-12-01' } },
      admin,
    );
    const membershipId = started.data!.startSpaceMembership.membership.id;
    await service.gql(
      'mutation ($input: EndSpaceMembershipInput!) { endSpaceMembership(input: $input) { __typename } }',
      { input: { id: membershipId, endsOn: '2027-05-31' } },
      admin,
    );
    const events = await waitFor(() => {
      const mine = received.filter((event) => event.subject === membershipId);
      return mine.length === 2 ? mine : undefined;
    });
    expect(
      events.map((event) => [event.type, event.source, (event.data as { endsOn: unknown }).endsOn]),
    ).toEqual([
      ['spaces.space-membership.started', 'spaces', null],
      ['spaces.space-membership.ended', 'spaces', '2027-05-31'],
    ]);
    expect(events[0]!.data).toMatchObject({ memberId, spaceId, plan: 'resident' });
  });
});
