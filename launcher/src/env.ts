import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import {
  isLoopbackHost,
  loadEnvOrExit,
  ZDatabaseLimits,
  zBoolean,
  zDebug,
  zLogLevel,
  zNatsNamespace,
  zNatsUrl,
  zPort,
  zPostgresUrl,
} from '@hub/config';
import {
  LOCAL_DEVELOPMENT_ORIGINS,
  SUBGRAPH_NAMES,
  type SubgraphName,
  zCorsAllowedOrigins,
} from '@hub/gateway';
import { z } from 'zod';

// The gateway's list is the one list of subgraphs.
export const SERVICE_NAMES = SUBGRAPH_NAMES;
export type ServiceName = SubgraphName;

/** `support-programs` → `SUPPORT_PROGRAMS_DATABASE_URL` */
export const databaseUrlVariable = (name: ServiceName) =>
  `${name.toUpperCase().replaceAll('-', '_')}_DATABASE_URL` as
    | 'SPACES_DATABASE_URL'
    | 'MEMBERS_DATABASE_URL'
    | 'EVENTS_DATABASE_URL'
    | 'MATCHING_DATABASE_URL'
    | 'SUPPORT_PROGRAMS_DATABASE_URL';

export const ZLauncherEnv = z.object({
  /** Where embedded Postgres, a spawned NATS and run markers keep their data (git-ignored). */
  HUB_DATA_DIR: z.string().default('.hub-data'),
  GATEWAY_PORT: zPort.default(4000),
  HOST: z.string().default('127.0.0.1'),
  /** A Postgres server on which the launcher creates hub_<service> databases itself. */
  POSTGRES_URL: zPostgresUrl.optional(),
  /** Names of the databases created on POSTGRES_URL: <prefix>_<service>. */
  HUB_DATABASE_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/)
    .default('hub'),
  SPACES_DATABASE_URL: zPostgresUrl.optional(),
  MEMBERS_DATABASE_URL: zPostgresUrl.optional(),
  EVENTS_DATABASE_URL: zPostgresUrl.optional(),
  MATCHING_DATABASE_URL: zPostgresUrl.optional(),
  SUPPORT_PROGRAMS_DATABASE_URL: zPostgresUrl.optional(),
  /** The services' pool, statement, lock and transaction limits (as each service reads them). */
  ...ZDatabaseLimits.shape,
  NATS_URL: zNatsUrl.optional(),
  /** auto: NATS if reachable or startable, else the in-process bus. */
  HUB_BUS: z.enum(['auto', 'nats', 'in-process']).default('auto'),
  /** Prefix of this hub's NATS subjects and streams (default: an id kept in the data dir). */
  HUB_NATS_NAMESPACE: zNatsNamespace.optional(),
  /** A fresh secret per run unless given: the subgraphs only listen to this gateway. */
  HUB_GATEWAY_SECRET: z
    .string()
    .min(16)
    .default(() => randomBytes(24).toString('hex')),
  /** Gateway request limits per minute (see the gateway's README); the bench lifts them. */
  GATEWAY_ANONYMOUS_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(300),
  GATEWAY_MEMBER_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
  /**
   * Origins whose web pages may call the gateway (comma-separated; `scheme://host:*` = any port).
   * Default: this machine's pages on any port, so a front end's dev server needs no setup.
   */
  CORS_ALLOWED_ORIGINS: zCorsAllowedOrigins.default([...LOCAL_DEVELOPMENT_ORIGINS]),
  /** In-flight merging of identical subgraph fetches in the gateway (docs/gateway-cache.md). */
  GATEWAY_DEDUP_SUBGRAPH_FETCHES: zBoolean.default(true),
  /** The gateway's response cache for anonymous queries, and its TTL (docs/gateway-cache.md). */
  GATEWAY_RESPONSE_CACHE: zBoolean.default(true),
  GATEWAY_RESPONSE_CACHE_TTL_MS: z.coerce.number().int().min(1).max(60_000).default(5_000),
  /** Load the demo data on first run. */
  HUB_DEMO_DATA: zBoolean.default(true),
  LOG_LEVEL: zLogLevel.default('warn'),
  /** Internal messages and stack traces in error responses; only on a loopback HOST. */
  HUB_DEBUG: zDebug,
});
export type TLauncherEnv = z.infer<typeof ZLauncherEnv>;

export function readEnv(): TLauncherEnv {
  const env = loadEnvOrExit(ZLauncherEnv, process.env);
  return { ...env, HUB_DATA_DIR: resolve(env.HUB_DATA_DIR) };
}

/**
 * Whether the servers show error details: only when asked for (`HUB_DEBUG`) and listening on
 * loopback. Each server refuses it beyond loopback too; the launcher decides once so it can say so
 * once.
 */
export function debugErrorsOf(env: Pick<TLauncherEnv, 'HUB_DEBUG' | 'HOST'>): {
  debugErrors: boolean;
  isRefused: boolean;
} {
  const debugErrors = env.HUB_DEBUG && isLoopbackHost(env.HOST);
  return { debugErrors, isRefused: env.HUB_DEBUG && !debugErrors };
}
