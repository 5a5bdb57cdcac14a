import { connectNatsBus, createEvent, createInProcessBus } from '@hub/event-bus';
import { createLogger, memberErasureConsumer } from '@hub/service-kit';
import { describeMemberErasureConsumer } from '@hub/testing';
import { startSupportProgramsService } from '../app.js';

describeMemberErasureConsumer({
  serviceName: 'support-programs',
  migrationsDir: new URL('../../prisma/migrations', import.meta.url).pathname,
  start: startSupportProgramsService,
  consumer: memberErasureConsumer('support-programs'),
  eventBus: { connectNatsBus, createEvent, createInProcessBus },
  logger: createLogger({ name: 'support-programs-test', level: 'silent' }),
  dataExport: { field: 'supportPrograms', afterErasure: { applications: [], consultations: [] } },
});
