import { connectNatsBus, createEvent, createInProcessBus } from '@hub/event-bus';
import { createLogger, memberErasureConsumer } from '@hub/service-kit';
import { describeMemberErasureConsumer } from '@hub/testing';
import { startEventsService } from '../app.js';

describeMemberErasureConsumer({
  serviceName: 'events',
  migrationsDir: new URL('../../prisma/migrations', import.meta.url).pathname,
  start: startEventsService,
  consumer: memberErasureConsumer('events'),
  eventBus: { connectNatsBus, createEvent, createInProcessBus },
  logger: createLogger({ name: 'events-test', level: 'silent' }),
  dataExport: { field: 'events', afterErasure: { registrations: [], attendance: [] } },
});
