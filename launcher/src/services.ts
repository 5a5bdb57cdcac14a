import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { seedDemoData as seedEvents, startEventsService } from '@hub/events';
import { seedDemoData as seedMatching, startMatchingService } from '@hub/matching';
import { seedDemoData as seedMembers, startMembersService } from '@hub/members';
import type { RunningService, ServiceStartOptions } from '@hub/service-kit';
import { seedDemoData as seedSpaces, startSpacesService } from '@hub/spaces';
import {
  seedDemoData as seedSupportPrograms,
  startSupportProgramsService,
} from '@hub/support-programs';
import type { ServiceName } from './env.js';

type ServiceEntry = {
  name: ServiceName;
  preferredPort: number;
  /** Package folder (holds prisma/ with the migrations). */
  packageDir: string;
  start(options: ServiceStartOptions): Promise<RunningService>;
  seed(options: { databaseUrl: string }): Promise<unknown>;
};

const require = createRequire(import.meta.url);
// The package entry is <package>/dist/app.js.
const packageDirOf = (name: string) => dirname(dirname(require.resolve(name)));

/** The five subgraphs, in the order they start (providers of events before their consumers). */
export const SERVICES: ServiceEntry[] = [
  {
    name: 'spaces',
    preferredPort: 4001,
    packageDir: packageDirOf('@hub/spaces'),
    start: startSpacesService,
    seed: seedSpaces,
  },
  {
    name: 'members',
    preferredPort: 4002,
    packageDir: packageDirOf('@hub/members'),
    start: startMembersService,
    seed: seedMembers,
  },
  {
    name: 'events',
    preferredPort: 4003,
    packageDir: packageDirOf('@hub/events'),
    start: startEventsService,
    seed: seedEvents,
  },
  {
    name: 'matching',
    preferredPort: 4004,
    packageDir: packageDirOf('@hub/matching'),
    start: startMatchingService,
    seed: seedMatching,
  },
  {
    name: 'support-programs',
    preferredPort: 4005,
    packageDir: packageDirOf('@hub/support-programs'),
    start: startSupportProgramsService,
    seed: seedSupportPrograms,
  },
];
