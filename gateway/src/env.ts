import { loadEnvOrExit, zLogLevel, zNodeEnv, zPort, zSecret, zUrl } from '@hub/config';
import { z } from 'zod';

/** Everything the standalone gateway reads from its environment (the only reader of it). */
export const ZGatewayEnv = z.object({
  PORT: zPort.default(4000),
  HOST: z.string().default('127.0.0.1'),
  HUB_GATEWAY_SECRET: zSecret,
  SPACES_URL: zUrl,
  MEMBERS_URL: zUrl,
  EVENTS_URL: zUrl,
  MATCHING_URL: zUrl,
  SUPPORT_PROGRAMS_URL: zUrl,
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(1).max(120_000).default(5000),
  SUBGRAPH_MAX_SOCKETS: z.coerce.number().int().min(1).max(1024).default(64),
  LOG_LEVEL: zLogLevel,
  NODE_ENV: zNodeEnv,
});
export type TGatewayEnv = z.infer<typeof ZGatewayEnv>;

/** Parses `process.env`; a bad or missing variable prints its name and exits the process. */
export function loadGatewayEnv(): TGatewayEnv {
  return loadEnvOrExit(ZGatewayEnv, process.env);
}
