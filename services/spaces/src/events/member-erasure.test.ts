import { connectNatsBus, createEvent, createInProcessBus } from '@hub/event-bus';
import { createLogger, memberErasureConsumer } from '@hub/service-kit';
import { describeMemberErasureConsumer } from '@hub/testing';
import { startSpacesService } from '../app.js';

describeMemberErasureConsumer({
  serviceName: 'spaces',
  migrationsDir: new URL('../../prisma/migrations', import.meta.url).pathname,
  start: startSpacesService,
  consumer: memberErasureConsumer('spaces'),
  eventBus: { connectNatsBus, createEvent, createInProcessBus },
  logger: createLogger({ name: 'spaces-test', level: 'silent' }),
  dataExport: {
    field: 'spaces',
    afterErasure: {
      bookings: [],
      checkIns: [],
      checkInOverrides: [],
      memberships: [],
      passes: [],
      patrolRequests: [],
      patrolVisits: [],
    },
  },
});
