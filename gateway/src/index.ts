import { createLogger, stopOnSignals } from '@hub/service-kit';
import { startGateway } from './app.js';
import { loadGatewayEnv } from './env.js';

async function main(): Promise<void> {
  const env = loadGatewayEnv();
  const logger = createLogger({ name: 'gateway', level: env.LOG_LEVEL });
  const gateway = await startGateway({
    port: env.PORT,
    host: env.HOST,
    gatewaySecret: env.HUB_GATEWAY_SECRET,
    subgraphUrls: {
      spaces: env.SPACES_URL,
      members: env.MEMBERS_URL,
      events: env.EVENTS_URL,
      matching: env.MATCHING_URL,
      'support-programs': env.SUPPORT_PROGRAMS_URL,
    },
    subgraphTimeoutMs: env.SUBGRAPH_TIMEOUT_MS,
    maxSocketsPerSubgraph: env.SUBGRAPH_MAX_SOCKETS,
    debugErrors: env.HUB_DEBUG,
    trustProxy: env.GATEWAY_TRUST_PROXY,
    rateLimits: {
      anonymousPerMinute: env.GATEWAY_ANONYMOUS_RATE_LIMIT_PER_MINUTE,
      memberPerMinute: env.GATEWAY_MEMBER_RATE_LIMIT_PER_MINUTE,
    },
    identity: {
      apiKeyCacheTtlMs: env.GATEWAY_API_KEY_CACHE_TTL_MS,
      timeoutMs: env.GATEWAY_IDENTITY_TIMEOUT_MS,
    },
    corsAllowedOrigins: env.CORS_ALLOWED_ORIGINS,
    deduplicateSubgraphFetches: env.GATEWAY_DEDUP_SUBGRAPH_FETCHES,
    ...(env.GATEWAY_RESPONSE_CACHE
      ? {
          responseCache: {
            ttlMs: env.GATEWAY_RESPONSE_CACHE_TTL_MS,
            ...(env.NATS_URL
              ? { events: { natsUrl: env.NATS_URL, namespace: env.HUB_NATS_NAMESPACE } }
              : {}),
          },
        }
      : {}),
    trustedDocuments: { mode: env.TRUSTED_DOCUMENTS_MODE, path: env.TRUSTED_DOCUMENTS },
    logger,
  });

  stopOnSignals(() => gateway.stop(), logger);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `gateway failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
