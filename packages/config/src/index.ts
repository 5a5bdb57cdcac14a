import { z } from 'zod';

/** A bad or missing environment variable; the message names every offending variable. */
export class EnvError extends Error {
  constructor(readonly issues: { variable: string; message: string }[]) {
    super(`Invalid environment:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

type EnvSource = Record<string, string | undefined>;

/** Parses `source` with `schema`; throws EnvError naming each bad variable. */
export function parseEnv<S extends z.ZodType>(schema: S, source: EnvSource): z.infer<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((issue) => ({
      variable: issue.path.join('.') || '(environment)',
      message: issue.message,
    })),
  );
}

/** For a process's main(): a bad environment stops the process with a readable message. */
export function loadEnvOrExit<S extends z.ZodType>(schema: S, source: EnvSource): z.infer<S> {
  try {
    return parseEnv(schema, source);
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

/** Names of the variables a schema cannot do without (no default, not optional). */
export function requiredVariables(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => !(field as z.ZodType).safeParse(undefined).success)
    .map(([name]) => name);
}

export const zPort = z.coerce.number().int().min(0).max(65535);
export const zUrl = z.url();
export const zPostgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL');
export const zNatsUrl = z.string().regex(/^(nats|tls|ws|wss):\/\//, 'must be a nats:// URL');
export const zSecret = z.string().min(16, 'must be at least 16 characters');
/**
 * Prefix of a hub's NATS subjects and stream names (`<ns>.hub.…`, `<NS>_<SERVICE>`): hubs on
 * one NATS server with different namespaces share no stream and no durable consumer. It is
 * part of subject and stream names, hence the narrow alphabet.
 */
export const zNatsNamespace = z
  .string()
  .regex(
    /^[A-Za-z0-9_-]+$/,
    'letters, digits, - and _ only (part of NATS subject and stream names)',
  );
export const zLogLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info');
/** Error output does not depend on it (see zDebug); kept for the libraries that read it. */
export const zNodeEnv = z.enum(['development', 'production', 'test']).default('development');
export const zBoolean = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

/**
 * `HUB_DEBUG=1`: error responses carry internal messages and stack traces. Read by every
 * server, and refused by each unless it listens on loopback only (isLoopbackHost).
 */
export const zDebug = zBoolean.default(false);

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Whether a listen address is reachable from this machine only. Debug error output is refused
 * beyond it: stack traces and internal messages would reach whoever can connect.
 */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.trim().toLowerCase());
}

const zMilliseconds = (min: number, defaultMs: number) =>
  z.coerce.number().int().min(min).max(3_600_000).default(defaultMs);

/**
 * How long a service's database may keep it waiting (milliseconds; the service kit's
 * DEFAULT_DATABASE_TIMEOUTS hold the same defaults, and README's environment table says why).
 * The server-side ones accept 0 for "no limit".
 */
export const ZDatabaseLimits = z.object({
  /** Waiting for a pooled connection; beyond it a request answers SERVICE_UNAVAILABLE. */
  DATABASE_POOL_TIMEOUT_MS: zMilliseconds(100, 2_000),
  /** PostgreSQL `statement_timeout` of the service's connections. */
  DATABASE_STATEMENT_TIMEOUT_MS: zMilliseconds(0, 10_000),
  /** PostgreSQL `lock_timeout`. */
  DATABASE_LOCK_TIMEOUT_MS: zMilliseconds(0, 5_000),
  /** PostgreSQL `idle_in_transaction_session_timeout`: ends a transaction left open. */
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: zMilliseconds(0, 15_000),
  /** Prisma's interactive-transaction timeout. */
  DATABASE_TRANSACTION_TIMEOUT_MS: zMilliseconds(100, 5_000),
});
export type TDatabaseLimits = z.infer<typeof ZDatabaseLimits>;

/** What every subgraph reads: its port, its own database, the bus, the gateway credential. */
export const ZServiceEnv = z.object({
  PORT: zPort,
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: zPostgresUrl,
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  ...ZDatabaseLimits.shape,
  NATS_URL: zNatsUrl,
  /** Unset: subjects `hub.…`, streams `HUB_<SERVICE>` (compose, one hub per NATS). */
  HUB_NATS_NAMESPACE: zNatsNamespace.optional(),
  HUB_GATEWAY_SECRET: zSecret,
  LOG_LEVEL: zLogLevel,
  NODE_ENV: zNodeEnv,
  HUB_DEBUG: zDebug,
});
export type TServiceEnv = z.infer<typeof ZServiceEnv>;
