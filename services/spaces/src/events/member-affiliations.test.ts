import { randomUUID } from 'node:crypto';
import { connectNatsBus, createEvent, createInProcessBus, type EventBus } from '@hub/event-bus';
import { createLogger } from '@hub/service-kit';
import {
  handledBy,
  shiftedEvent,
  startTestService,
  type TestService,
  testBuses,
} from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSpacesService } from '../app.js';
import { MEMBER_AFFILIATIONS_CONSUMER } from './member-affiliations.js';

// The affiliation read model on both buses: a confirmed affiliation arrives, a redelivery has
// no second effect, an older event never overwrites a newer one, and an 'ended' keeps its end.

const logger = createLogger({ name: 'spaces-affiliations-test', level: 'silent' });
const buses = testBuses({
  name: 'spaces-affiliations-test',
  streams: ['members'],
  logger,
  connectNatsBus,
  createInProcessBus,
});

describe.each(buses)('members.affiliation.changed → member_affiliation ($name)', (factory) => {
  let bus: EventBus;
  let cleanupBus: () => Promise<void>;
  let service: TestService;

  beforeAll(async () => {
    ({ bus, cleanup: cleanupBus } = await factory.connect());
    service = await startTestService({
      name: 'spaces-affiliations',
      migrationsDir: new URL('../../prisma/migrations', import.meta.url).pathname,
      start: startSpacesService,
      bus,
      logger,
    });
  });

  afterAll(async () => {
    await service?.stop();
    await cleanupBus?.();
  });

  const rowOf = async (affiliationId: string) =>
    (
      await service.sql.query(
        "SELECT role, to_char(ends_on, 'YYYY-MM-DD') AS ends_on FROM member_affiliation WHERE affiliation_id = $1",
        [affiliationId],
      )
    ).rows;

  it('records a confirmed affiliation once, and an older event never undoes its end', async () => {
    const affiliationId = randomUUID();
    const memberId = randomUUID();
    const started = createEvent('members.affiliation.changed', {
      subject: memberId,
      data: {
        affiliationId,
        memberId,
        organizationId: randomUUID(),
        role: 'worker',
        startsOn: '2026-04-01',
        endsOn: null,
        change: 'started',
      },
    });
    await bus.publish(started);
    await handledBy(service.sql, MEMBER_AFFILIATIONS_CONSUMER, started);
    expect(await rowOf(affiliationId)).toEqual([{ role: 'worker', ends_on: null }]);

    const ended = shiftedEvent(started, -1000, { endsOn: '2026-11-30', change: 'ended' });
    await bus.publish(ended);
    await handledBy(service.sql, MEMBER_AFFILIATIONS_CONSUMER, ended);
    // The 'started' again, as a replay would deliver it: older, so it changes nothing.
    const replayed = shiftedEvent(started, 0);
    await bus.publish(replayed);
    await handledBy(service.sql, MEMBER_AFFILIATIONS_CONSUMER, replayed);
    expect(await rowOf(affiliationId)).toEqual([{ role: 'worker', ends_on: '2026-11-30' }]);
  });
});
