import type { TServiceEnv } from '@hub/config';
import { connectNatsBus, type EventBus } from '@hub/event-bus';
import { createLogger, type Logger } from './logger.js';
import type { RunningService } from './service.js';
import { stopOnSignals } from './shutdown.js';

/** What every service's start function takes (the launcher and tests pass the same). */
export type ServiceStartOptions = {
  port: number;
  host?: string;
  databaseUrl: string;
  databasePoolMax?: number;
  gatewaySecret: string;
  /** Owned by the caller, who closes it after stopping the service. */
  bus: EventBus;
  logger: Logger;
  /** Internal messages in error responses (`HUB_DEBUG`); refused unless `host` is loopback. */
  debugErrors?: boolean;
};

/**
 * A service's standalone `main()`: its environment → logger → its own NATS connection →
 * start → on SIGINT/SIGTERM stop the service (HTTP, consumers, relay, database), then drain NATS.
 */
export function runServiceMain(options: {
  name: string;
  env: TServiceEnv;
  start: (options: ServiceStartOptions) => Promise<RunningService>;
}): void {
  const { env, name } = options;
  const logger = createLogger({ name, level: env.LOG_LEVEL });
  const main = async () => {
    const bus = await connectNatsBus({
      url: env.NATS_URL,
      namespace: env.HUB_NATS_NAMESPACE,
      name,
      streams: [name],
      logger,
    });
    const service = await options.start({
      port: env.PORT,
      host: env.HOST,
      databaseUrl: env.DATABASE_URL,
      databasePoolMax: env.DATABASE_POOL_MAX,
      gatewaySecret: env.HUB_GATEWAY_SECRET,
      bus,
      logger,
      debugErrors: env.HUB_DEBUG,
    });
    stopOnSignals(async () => {
      await service.stop();
      await bus.close();
    }, logger);
  };
  main().catch((error: unknown) => {
    logger.fatal({ err: error }, 'failed to start');
    process.exit(1);
  });
}
