import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { connectNatsBus, createInProcessBus, type EventBus, streamFor } from '@hub/event-bus';
import { seedDemoData as seedEvents, startEventsService } from '@hub/events';
import {
  type GatewayOptions,
  type RunningGateway,
  SUBGRAPH_NAMES,
  type SubgraphName,
  startGateway,
} from '@hub/gateway';
import { seedDemoData as seedMatching, startMatchingService } from '@hub/matching';
import { seedDemoData as seedMembers, startMembersService } from '@hub/members';
import { createLogger, type Logger } from '@hub/service-kit';
import { seedDemoData as seedSpaces, startSpacesService } from '@hub/spaces';
import {
  seedDemoData as seedSupportPrograms,
  startSupportProgramsService,
} from '@hub/support-programs';
import {
  type ServiceDefinition,
  type ServiceStartOptions,
  type Stack,
  startStack,
  TEST_GATEWAY_SECRET,
} from '@hub/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

// The gateway's list is the one list of subgraphs.
export const SERVICE_NAMES = SUBGRAPH_NAMES;
export type ServiceName = SubgraphName;

const require = createRequire(import.meta.url);
const migrationsOf = (pkg: string) =>
  join(dirname(dirname(require.resolve(pkg))), 'prisma', 'migrations');

// Every service's start also takes `debugErrors` (HUB_DEBUG: internal messages in responses).
type HubServiceDefinition = Omit<ServiceDefinition<EventBus>, 'start'> & {
  start(
    options: ServiceStartOptions<EventBus> & { debugErrors?: boolean },
  ): ReturnType<ServiceDefinition<EventBus>['start']>;
};

const DEFINITIONS: Record<ServiceName, HubServiceDefinition> = {
  spaces: { name: 'spaces', migrationsDir: migrationsOf('@hub/spaces'), start: startSpacesService },
  members: {
    name: 'members',
    migrationsDir: migrationsOf('@hub/members'),
    start: startMembersService,
  },
  events: { name: 'events', migrationsDir: migrationsOf('@hub/events'), start: startEventsService },
  matching: {
    name: 'matching',
    migrationsDir: migrationsOf('@hub/matching'),
    start: startMatchingService,
  },
  'support-programs': {
    name: 'support-programs',
    migrationsDir: migrationsOf('@hub/support-programs'),
    start: startSupportProgramsService,
  },
};

const SEEDS: Record<ServiceName, (options: { databaseUrl: string }) => Promise<unknown>> = {
  spaces: seedSpaces,
  members: seedMembers,
  events: seedEvents,
  matching: seedMatching,
  'support-programs': seedSupportPrograms,
};

export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
export const logger: Logger = createLogger({
  name: 'integration',
  level: process.env.LOG_LEVEL ?? 'silent',
});

export type HubStack = Stack & { bus: EventBus; namespace: string };

/**
 * Starts the chosen subgraphs (default: all five) on fresh databases behind the real gateway,
 * with a real NATS JetStream bus (or the in-process bus when asked). The NATS streams are the
 * run's own (it<random>.hub.…), so tests never meet a developer's running hub, and are deleted
 * on stop.
 */
export async function startHub(
  options: {
    services?: readonly ServiceName[];
    bus?: 'nats' | 'in-process';
    gateway?: boolean;
    /** Passed to startGateway (e.g. `{ identity: { apiKeyCacheTtlMs: 200 } }`). */
    gatewayOptions?: Record<string, unknown>;
    /**
     * Starts the subgraphs as `HUB_DEBUG=1` does: internal messages in error responses (the
     * gateway's own flag is `gatewayOptions.debugErrors`). Default: the services' default (off).
     */
    debugErrors?: boolean;
  } = {},
): Promise<HubStack> {
  const namespace = `it${randomBytes(4).toString('hex')}`;
  const isNats = options.bus !== 'in-process';
  const bus = isNats
    ? await connectNatsBus({
        url: NATS_URL,
        name: 'integration',
        streams: [...SERVICE_NAMES],
        logger,
        namespace,
      })
    : createInProcessBus({ logger });
  const cleanUp = async () => {
    await bus.close();
    if (isNats) await deleteStreams(namespace);
  };
  try {
    const stack = await startStack<EventBus>({
      services: (options.services ?? SERVICE_NAMES).map((name) => {
        const definition = DEFINITIONS[name];
        const { debugErrors } = options;
        if (debugErrors === undefined) return definition;
        return { ...definition, start: (o) => definition.start({ ...o, debugErrors }) };
      }),
      bus,
      logger,
      gateway:
        options.gateway === false
          ? undefined
          : {
              start: startGateway,
              subgraphNames: [...SERVICE_NAMES],
              options: options.gatewayOptions,
            },
    });
    const stopStack = stack.stop;
    return Object.assign(stack, {
      bus,
      namespace,
      async stop() {
        await stopStack();
        await cleanUp();
      },
    });
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** Loads every started service's demo data (the seeds `npm start` runs on first start). */
export async function loadDemoData(hub: HubStack): Promise<void> {
  for (const [name, seed] of Object.entries(SEEDS)) {
    const service = hub.services[name];
    if (service) await seed({ databaseUrl: service.databaseUrl });
  }
}

/**
 * Another gateway over the hub's subgraphs, configured otherwise (a low rate limit, strict
 * trusted documents, …); the caller stops it before the hub.
 */
export function startGatewayOverHub(
  hub: HubStack,
  options: Omit<GatewayOptions, 'port' | 'gatewaySecret' | 'subgraphUrls'> = {},
): Promise<RunningGateway> {
  return startGateway({
    port: 0,
    gatewaySecret: TEST_GATEWAY_SECRET,
    // A subgraph the hub did not start points where nothing listens (port 9), as in the stack.
    subgraphUrls: Object.fromEntries(
      SERVICE_NAMES.map((name) => [name, hub.services[name]?.url ?? 'http://127.0.0.1:9/graphql']),
    ) as GatewayOptions['subgraphUrls'],
    logger,
    ...options,
  });
}

async function deleteStreams(namespace: string): Promise<void> {
  const nats = await connect({ servers: NATS_URL });
  try {
    const manager = await jetstreamManager(nats);
    for (const name of SERVICE_NAMES) {
      await manager.streams.delete(streamFor(name, namespace).name).catch(() => false);
    }
  } finally {
    await nats.close();
  }
}
