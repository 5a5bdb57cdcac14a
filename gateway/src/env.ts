import {
  loadEnvOrExit,
  zBoolean,
  zDebug,
  zLogLevel,
  zNatsNamespace,
  zNatsUrl,
  zNodeEnv,
  zPort,
  zSecret,
  zUrl,
} from '@hub/config';
import { z } from 'zod';
import { zCorsAllowedOrigins } from './http/cors.js';
import { TRUSTED_DOCUMENTS_MODES } from './trusted-documents/trusted-documents.js';

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
  /** Client address from the first X-Forwarded-For entry (only behind a proxy that sets it). */
  GATEWAY_TRUST_PROXY: zBoolean.default(false),
  GATEWAY_ANONYMOUS_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(300),
  GATEWAY_MEMBER_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
  /**
   * How long members' verdict on an API key is reused: a revocation, or a partner's withdrawn
   * status or lowered ceiling, takes effect within it — so it may not exceed 10 s.
   */
  GATEWAY_API_KEY_CACHE_TTL_MS: z.coerce.number().int().min(0).max(10_000).default(10_000),
  /**
   * Origins whose web pages may call the API, comma-separated: exact origins
   * (`https://app.example.jp`) or `scheme://host:*` for any port. Default: none.
   */
  CORS_ALLOWED_ORIGINS: zCorsAllowedOrigins.default([]),
  /** Deadline of one call to members for a JWKS or an API key lookup. */
  GATEWAY_IDENTITY_TIMEOUT_MS: z.coerce.number().int().min(1).max(30_000).default(2_000),
  /** Merge identical subgraph fetches of queries in flight (docs/gateway-cache.md). */
  GATEWAY_DEDUP_SUBGRAPH_FETCHES: zBoolean.default(true),
  /** The response cache for anonymous queries (docs/gateway-cache.md). */
  GATEWAY_RESPONSE_CACHE: zBoolean.default(true),
  GATEWAY_RESPONSE_CACHE_TTL_MS: z.coerce.number().int().min(1).max(60_000).default(5_000),
  /** The hub's NATS: its domain events purge the response cache. */
  NATS_URL: zNatsUrl.optional(),
  HUB_NATS_NAMESPACE: zNatsNamespace.optional(),
  /**
   * The operation allow-list (docs/trusted-documents.md): a manifest file, or a directory of
   * them with per-partner ones. Required unless TRUSTED_DOCUMENTS_MODE is off.
   */
  TRUSTED_DOCUMENTS: z.string().min(1).optional(),
  TRUSTED_DOCUMENTS_MODE: z.enum(TRUSTED_DOCUMENTS_MODES).default('off'),
  LOG_LEVEL: zLogLevel,
  NODE_ENV: zNodeEnv,
  /** Internal messages, stack traces and query plans in responses; only on a loopback HOST. */
  HUB_DEBUG: zDebug,
});
export type TGatewayEnv = z.infer<typeof ZGatewayEnv>;

/** Parses `process.env`; a bad or missing variable prints its name and exits the process. */
export function loadGatewayEnv(): TGatewayEnv {
  return loadEnvOrExit(ZGatewayEnv, process.env);
}
