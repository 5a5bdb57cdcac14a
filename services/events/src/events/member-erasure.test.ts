import { connectNatsBus, createEvent, createInProcessBus } from '@hub/event-bus';
import { createLogger } from '@hub/service-kit';
import { describeMemberErasureConsumer } from '@hub/testing';
import { startEventsService } from '../app.js';
import { MEMBER_ERASURE_CONSUMER } from './member-erasure.js';

describeMemberErasureConsumer({
  serviceName: 'events',
  migrationsDir: new URL('../../prisma/migrations', import.meta.url).pathname,
  start: startEventsService,
  consumer: MEMBER_ERASURE_CONSUMER,
  eventBus: { connectNatsBus, createEvent, createInProcessBus },
  logger: createLogger({ name: 'events-test', level: 'silent' }),
  dataExport: { field: 'events', afterErasure: { registrations: [], attendance: [] } },
});
