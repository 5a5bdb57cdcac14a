import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from 'pino';
import type { GatewayContext } from '../gateway-context.js';
import { type DomainEventSource, listenForDomainEvents } from './domain-event-listener.js';
import { ResponseCache } from './response-cache.js';
import { createResponseCachePlugin } from './response-cache-plugin.js';

export type ResponseCacheSettings = {
  /** Longest an answer is reused (GATEWAY_RESPONSE_CACHE_TTL_MS). */
  ttlMs: number;
  /** Most answers kept (default 1000). */
  maxEntries?: number;
  /** The hub's domain events, which purge it; without them only the TTL and own mutations do. */
  events?: DomainEventSource;
};

export type RunningResponseCache = {
  plugin: ApolloServerPlugin<GatewayContext>;
  stop(): Promise<void>;
};

/**
 * The response cache with its purges: listening to the domain events before the gateway takes
 * its first request, so no answer is ever cached that an event could not purge.
 */
export async function startResponseCache(
  settings: ResponseCacheSettings,
  logger: Logger,
): Promise<RunningResponseCache> {
  const cache = new ResponseCache({
    ttlMs: settings.ttlMs,
    maxEntries: settings.maxEntries ?? 1000,
  });
  const plugin = createResponseCachePlugin(cache);
  if (!settings.events) {
    logger.warn(
      'response cache without domain events: changes made elsewhere show after its TTL only',
    );
    return { plugin, stop: async () => {} };
  }
  try {
    const listener = await listenForDomainEvents({ source: settings.events, cache, logger });
    return { plugin, stop: () => listener.stop() };
  } catch (error) {
    const where = 'natsUrl' in settings.events ? ` at ${settings.events.natsUrl}` : '';
    throw new Error(
      `The response cache cannot reach NATS${where} for the domain events that purge it (turn the cache off with GATEWAY_RESPONSE_CACHE=false)`,
      { cause: error },
    );
  }
}
