import { loadEnvOrExit, ZServiceEnv, zPort } from '@hub/config';

export const ZSupportProgramsEnv = ZServiceEnv.extend({ PORT: zPort.default(4005) });

/** The only place this service reads process.env. */
export function readEnv() {
  return loadEnvOrExit(ZSupportProgramsEnv, process.env);
}
