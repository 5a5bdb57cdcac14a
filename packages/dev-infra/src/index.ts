export {
  type BuildCacheProblem,
  type DryRun,
  type DryRunTask,
  findBuildCacheProblems,
} from './build-cache.js';
export {
  databaseUrl,
  ensureDatabase,
} from './databases.js';
export {
  EMBEDDED_POSTGRES_PORT,
  type EmbeddedPostgres,
  type StartEmbeddedPostgresOptions,
  startEmbeddedPostgres,
} from './embedded-postgres.js';
export type { InfraLogger } from './logger.js';
export { type MigrateDeployOptions, migrateDeploy } from './migrate.js';
export {
  DEFAULT_NATS_URL,
  EMBEDDED_NATS_PORT,
  type FindOrStartNatsOptions,
  findNatsServerBinary,
  findOrStartNats,
  isNatsReachable,
  NATS_INSTALL_HINT,
  type NatsHandle,
} from './nats.js';
export { type FindFreePortOptions, findFreePort, isTcpReachable, RESERVED_PORTS } from './ports.js';
export {
  DEFAULT_POSTGRES_ADMIN_URL,
  type EnsureTestInfraOptions,
  ensureTestInfra,
  type TestInfra,
} from './test-infra.js';
