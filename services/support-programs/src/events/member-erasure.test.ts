import { connectNatsBus, createEvent, createInProcessBus } from '@hub/event-bus';
import { createLogger } from '@hub/service-kit';
import { describeMemberErasureConsumer } from '@hub/testing';
import { startSupportProgramsService } from '../app.js';
import { MEMBER_ERASURE_CONSUMER } from './member-erasure.js';

describeMemberErasureConsumer({
  serviceName: 'support-programs',
  migrationsDir: new URL('../../prisma/migrations', import.meta.url).pathname,
  start: startSupportProgramsService,
  consumer: MEMBER_ERASURE_CONSUMER,
  eventBus: { connectNatsBus, createEvent, createInProcessBus },
  logger: createLogger({ name: 'support-programs-test', level: 'silent' }),
  dataExport: { field: 'supportPrograms', afterErasure: { applications: [], consultations: [] } },
});
