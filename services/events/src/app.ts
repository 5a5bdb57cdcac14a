import {
  databaseOptionsOf,
  type RunningService,
  type ServiceStartOptions,
  startService,
} from '@hub/service-kit';
import { connectDatabase } from './db.js';
import { memberErasureSubscription } from './events/member-erasure.js';
import { spaceOperatorsSubscription } from './events/space-operators.js';
import { schema } from './schema/index.js';

export type { RunningService } from '@hub/service-kit';
export {
  type SeedDemoDataOptions,
  type SeedResult,
  seedDemoData,
} from './domain/seed-demo-data.js';
export { ZEventsEnv as envSchema } from './env.js';
export { MEMBER_ERASURE_CONSUMER } from './events/member-erasure.js';
export { SPACE_OPERATORS_CONSUMER } from './events/space-operators.js';

export type EventsServiceOptions = ServiceStartOptions;

/** Starts the events subgraph, its outbox relay and its consumers; the caller owns the bus. */
export function startEventsService(options: EventsServiceOptions): Promise<RunningService> {
  const database = connectDatabase(databaseOptionsOf(options));
  return startService({
    ...options,
    name: 'events',
    schema,
    database,
    context: (base, relay) => ({ ...base, prisma: database.prisma, relay }),
    subscriptions: [
      spaceOperatorsSubscription(database.prisma),
      memberErasureSubscription(database.prisma),
    ],
  });
}
