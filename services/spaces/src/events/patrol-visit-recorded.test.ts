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

// The path support-programs will take: a recorded patrol visit reaches a durable consumer of
// the spaces stream, through the outbox and the relay, once, with each request's own id — on
// real NATS JetStream and on the in-process bus.

const logger = createLogger({ name: 'spaces-patrol-event-test', level: 'silent' });
const buses = testBuses({
  name: 'spaces-patrol-test',
  streams: ['spaces'],
  logger,
  connectNatsBus,
  createInProcessBus,
});

describe.each(buses)('spaces.patrol-visit.recorded ($name)', (factory) => {
  let bus: EventBus;
  let cleanupBus: () => Promise<void>;
  let service: TestService;
  const received: EventEnvelope[] = [];

  beforeAll(async () => {
    ({ bus, cleanup: cleanupBus } = await factory.connect());
    service = await startTestService({
      name: 'spaces-patrol-event',
      migrationsDir: new URL('../../prisma/migrations', import.meta.url).pathname,
      start: startSpacesService,
      bus,
      logger,
    });
    await service.sql.query(
      "INSERT INTO municipality (code, name, prefecture) VALUES ('011002', '札幌市', '北海道')",
    );
    await bus.subscribe({
      consumer: 'test-patrol-requests',
      types: ['spaces.patrol-visit.recorded'],
      handler: async (event) => {
        received.push(event as EventEnvelope);
      },
    });
  }, 60_000);

  afterAll(async () => {
    await service?.stop();
    await cleanupBus?.();
  });

  it('delivers the visit with one id per request, once', async () => {
    const created = await service.gql<{ createSpace: { space: { id: string } } }>(
      'mutation ($input: CreateSpaceInput!) { createSpace(input: $input) { ... on CreateSpaceSuccess { space { id } } } }',
      { input: { name: 'Garage labs', kind: 'COWORKING', municipalityCode: '011002' } },
      asAdmin(),
    );
    const spaceId = created.data!.createSpace.space.id;
    const supporterId = randomUUID();
    const requesterMemberId = randomUUID();
    const recorded = await service.gql<{
      recordPatrolVisit: { patrolVisit: { id: string; requests: { id: string }[] } };
    }>(
      `mutation ($input: RecordPatrolVisitInput!) {
        recordPatrolVisit(input: $input) {
          ... on RecordPatrolVisitSuccess { patrolVisit { id requests { id } } }
        }
      }`,
      {
        input: {
          spaceId,
          supporterId,
          visitedOn: '2012-08-20',
          visitorIds: [randomUUID()],
          requests: [
            { kind: 'CONSULTATION', subject: '融資の相談', requesterMemberId },
            { kind: 'EXPERT_DISPATCH', subject: '専門家派遣' },
          ],
        },
      },
      asAdmin(),
    );
    const visit = recorded.data!.recordPatrolVisit.patrolVisit;
    await waitFor(() => received.some((event) => event.subject === visit.id) || undefined, {
      message: 'patrol visit delivered',
      timeoutMs: 10_000,
    });
    const delivered = received.filter((event) => event.subject === visit.id);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({
      type: 'spaces.patrol-visit.recorded',
      data: {
        visitId: visit.id,
        spaceId,
        supporterId,
        requests: [
          { requestId: visit.requests[0]!.id, kind: 'consultation', requesterMemberId },
          { requestId: visit.requests[1]!.id, kind: 'expert-dispatch', requesterMemberId: null },
        ],
      },
    });
    // The outbox row is marked sent once the relay published it.
    await waitFor(
      async () =>
        (
          await service.sql.query(
            'SELECT 1 FROM outbox_event WHERE subject = $1 AND sent_at IS NOT NULL',
            [visit.id],
          )
        ).rowCount === 1 || undefined,
      { message: 'outbox row sent', timeoutMs: 10_000 },
    );
  });
});
