import { loadEnvOrExit, ZServiceEnv, zPort } from '@hub/config';

export const ZMatchingEnv = ZServiceEnv.extend({ PORT: zPort.default(4004) });

/** The only place this service reads process.env. */
export function readEnv() {
  return loadEnvOrExit(ZMatchingEnv, process.env);
}
