import { loadEnvOrExit, ZServiceEnv, zPort } from '@hub/config';

export const ZEventsEnv = ZServiceEnv.extend({ PORT: zPort.default(4003) });

/** The only place this service reads process.env. */
export function readEnv() {
  return loadEnvOrExit(ZEventsEnv, process.env);
}
