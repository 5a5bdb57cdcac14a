import { type GraphQLResponse, sendGraphQL, TEST_GATEWAY_SECRET } from './graphql.js';
import { startTestService, type TestService } from './test-service.js';

/** What a started subgraph offers a test (the service kit's RunningService fits). */
export type StartedService = {
  url: string;
  port: number;
  queryCount(): number;
  stop(): Promise<void>;
};

export type ServiceStartOptions<Bus> = {
  port: number;
  host: string;
  databaseUrl: string;
  databasePoolMax: number;
  gatewaySecret: string;
  bus: Bus;
  // biome-ignore lint/suspicious/noExplicitAny: any pino-compatible logger
  logger: any;
};

/** How to start one service; injected so this package never imports a service. */
export type ServiceDefinition<Bus> = {
  name: string;
  migrationsDir: string;
  start(options: ServiceStartOptions<Bus>): Promise<StartedService>;
};

export type GatewayStarter = (options: {
  port: number;
  host: string;
  gatewaySecret: string;
  subgraphUrls: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: any pino-compatible logger
  logger: any;
}) => Promise<{ url: string; stop(): Promise<void> }>;

export type Stack = {
  services: Record<string, StartedService & { databaseUrl: string }>;
  gatewayUrl: string | null;
  /** Sends an operation through the gateway, as a client would (e.g. with a bearer token). */
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /** Stops one subgraph (and drops its database), e.g. to test partial results. */
  stopService(name: string): Promise<void>;
  stop(): Promise<void>;
};

// Subgraphs not started in a stack point here: nothing listens on port 9 (discard) locally.
const UNSTARTED_URL = 'http://127.0.0.1:9/graphql';

/**
 * Starts the given services on free ports, each on a fresh database with its migrations, and
 * optionally the gateway in front of them. `stop()` stops everything and drops the databases.
 */
export async function startStack<Bus>(options: {
  services: ServiceDefinition<Bus>[];
  bus: Bus;
  /** `options` are passed to the gateway as they are (e.g. short cache lifetimes for tests). */
  gateway?: { start: GatewayStarter; subgraphNames: string[]; options?: Record<string, unknown> };
  // biome-ignore lint/suspicious/noExplicitAny: any pino-compatible logger
  logger: any;
}): Promise<Stack> {
  const services: Record<string, TestService> = {};
  const stopped = new Set<string>();
  let gateway: { url: string; stop(): Promise<void> } | null = null;
  // Services stop (and drop their databases) side by side: one after another, five drops that
  // each wait for closing connections outlast a hook's timeout on a loaded two-core machine.
  const stop = async () => {
    await gateway?.stop();
    await Promise.all(
      Object.entries(services)
        .filter(([name]) => !stopped.has(name))
        .map(([, service]) => service.stop()),
    );
  };
  try {
    const started = await Promise.allSettled(
      options.services.map(async (definition) => {
        services[definition.name] = await startTestService({
          ...definition,
          bus: options.bus,
          logger: options.logger,
        });
      }),
    );
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
    if (options.gateway) {
      gateway = await options.gateway.start({
        port: 0,
        host: '127.0.0.1',
        gatewaySecret: TEST_GATEWAY_SECRET,
        subgraphUrls: Object.fromEntries(
          options.gateway.subgraphNames.map((name) => [name, services[name]?.url ?? UNSTARTED_URL]),
        ),
        logger: options.logger,
        ...options.gateway.options,
      });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    services,
    gatewayUrl: gateway?.url ?? null,
    query: (query, variables, headers) => {
      if (!gateway) throw new Error('this stack has no gateway');
      return sendGraphQL(gateway.url, query, { variables, headers });
    },
    async stopService(name) {
      if (stopped.has(name)) return;
      stopped.add(name);
      await services[name]?.stop();
    },
    stop,
  };
}
