import { loadEnvOrExit, ZServiceEnv, zPort } from '@hub/config';

export const ZMembersEnv = ZServiceEnv.extend({ PORT: zPort.default(4002) });

/** The only place this service reads process.env. */
export function readEnv() {
  return loadEnvOrExit(ZMembersEnv, process.env);
}
