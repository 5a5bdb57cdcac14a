import { loadEnvOrExit, ZServiceEnv, zPort } from '@hub/config';

export const ZMatchingEnv = ZServiceEnv.extend({ PORT: zPort.default(4004) });

/** What `pnpm rebuild-read-models` needs: the database and the streams, no server. */
export const ZRebuildEnv = ZServiceEnv.pick({
  DATABASE_URL: true,
  NATS_URL: true,
  HUB_NATS_NAMESPACE: true,
  LOG_LEVEL: true,
});

/** The only place this service reads process.env. */
export function readEnv() {
  return loadEnvOrExit(ZMatchingEnv, process.env);
}

/** The rebuild command's variables (also read here only). */
export function readRebuildEnv() {
  return loadEnvOrExit(ZRebuildEnv, process.env);
}
