import type { TDatabaseLimits, TServiceEnv } from '@hub/config';
import { connectNatsBus, type EventBus } from '@hub/event-bus';
import type { DatabaseOptions, DatabaseTimeouts } from './database.js';
import { withDeadline } from './deadline.js';
import { createLogger, type Logger } from './logger.js';
import type { RunningService } from './service.js';
import { stopOnSignals } from './shutdown.js';

const BUS_CLOSE_TIMEOUT_MS = 5_000;

/** What every service's start function takes (the launcher and tests pass the same). */
export type ServiceStartOptions = {
  port: number;
  host?: string;
  databaseUrl: string;
  databasePoolMax?: number;
  /** Pool, statement, lock and transaction limits; the kit's defaults where not given. */
  databaseTimeouts?: Partial<DatabaseTimeouts>;
  gatewaySecret: string;
  /** Owned by the caller, who closes it after stopping the service. */
  bus: EventBus;
  logger: Logger;
  /** Internal messages in error responses (`HUB_DEBUG`); refused unless `host` is loopback. */
  debugErrors?: boolean;
  /** Deadline of each `/_readiness` check (default 1 s). */
  readinessTimeoutMs?: number;
  /** `stop()` finishes within about this long, whatever is stuck (default 10 s). */
  stopTimeoutMs?: number;
};

/** The database options a service's start function opens its database with. */
export function databaseOptionsOf(options: ServiceStartOptions): DatabaseOptions {
  return {
    url: options.databaseUrl,
    poolMax: options.databasePoolMax ?? 10,
    timeouts: options.databaseTimeouts,
    logger: options.logger,
  };
}

/** The database limits a service's environment sets (`DATABASE_*_MS`, see README). */
export function databaseTimeoutsOf(env: TDatabaseLimits): DatabaseTimeouts {
  return {
    poolTimeoutMs: env.DATABASE_POOL_TIMEOUT_MS,
    statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
    lockTimeoutMs: env.DATABASE_LOCK_TIMEOUT_MS,
    idleInTransactionTimeoutMs: env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    transactionTimeoutMs: env.DATABASE_TRANSACTION_TIMEOUT_MS,
  };
}

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
      databaseTimeouts: databaseTimeoutsOf(env),
      gatewaySecret: env.HUB_GATEWAY_SECRET,
      bus,
      logger,
      debugErrors: env.HUB_DEBUG,
    });
    stopOnSignals(async () => {
      await service.stop();
      // Draining NATS waits for the server: bounded too, so SIGTERM always ends the process.
      await withDeadline(bus.close(), BUS_CLOSE_TIMEOUT_MS, 'closing the event bus');
    }, logger);
  };
  main().catch((error: unknown) => {
    logger.fatal({ err: error }, 'failed to start');
    process.exit(1);
  });
}
