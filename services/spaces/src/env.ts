import { loadEnvOrExit, ZServiceEnv, zPort } from '@hub/config';

export const ZSpacesEnv = ZServiceEnv.extend({ PORT: zPort.default(4001) });

/** The only place this service reads process.env. */
export function readEnv() {
  return loadEnvOrExit(ZSpacesEnv, process.env);
}
