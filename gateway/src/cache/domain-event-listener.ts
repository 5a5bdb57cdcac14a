import { subjectFor } from '@hub/event-bus';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import { PURGE_ALL, purgeOf } from './event-purges.js';
import type { ResponseCache } from './response-cache.js';

/** Where the hub's domain events come from: its NATS, or the launcher's in-process bus. */
export type DomainEventSource =
  | {
      /** NATS with the hub's JetStream streams. */
      natsUrl: string;
      /** The hub's HUB_NATS_NAMESPACE, if it has one. */
      namespace?: string;
    }
  | {
      /**
       * Calls `listener` with the type of every event from now on; returns how to stop. The
       * single-process launcher forwards its in-process bus's events to the gateway's thread.
       */
      subscribe(listener: (eventType: string) => void): () => void;
    };

export type DomainEventListener = { stop(): Promise<void> };

/**
 * Purges the response cache on every domain event of the hub. A plain (core NATS) subscription
 * to all event subjects, not a JetStream consumer: each gateway process must see every event
 * (a durable shared by several gateways would hand each event to one of them), and an event
 * seen late is worth nothing — what was missed is made up for by emptying the cache. So while
 * the connection is down the cache is suspended (serves and stores nothing), and it starts
 * empty again when the connection is back.
 */
export async function listenForDomainEvents(options: {
  source: DomainEventSource;
  cache: ResponseCache;
  logger: Logger;
}): Promise<DomainEventListener> {
  const { source, cache, logger } = options;
  if ('subscribe' in source) {
    const unsubscribe = source.subscribe((eventType) => purgeFor(eventType, cache, logger));
    return { stop: async () => unsubscribe() };
  }
  const nc: NatsConnection = await connect({
    servers: source.natsUrl,
    name: 'gateway-response-cache',
    maxReconnectAttempts: -1,
  });
  const subject = subjectFor('>', source.namespace);
  nc.subscribe(subject, {
    callback: (error, message) => {
      if (error) {
        logger.warn({ err: error }, 'response cache: event subscription failed; cache emptied');
        cache.purgeAll();
        return;
      }
      purgeFor(eventTypeOf(message.data) ?? '', cache, logger);
    },
  });
  (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') {
        logger.warn('response cache suspended: lost the event connection');
        cache.suspend();
      } else if (status.type === 'reconnect') {
        logger.info('response cache resumed: event connection back');
        cache.resume();
      }
    }
  })().catch((error: unknown) => logger.warn({ err: error }, 'response cache: status stream'));
  // The subscription is registered with the server before the first lookup is trusted.
  await nc.flush();
  logger.info({ subject }, 'response cache listening for domain events');
  return {
    async stop() {
      await nc.close();
    },
  };
}

function purgeFor(eventType: string, cache: ResponseCache, logger: Logger): void {
  const types = purgeOf(eventType);
  const purged = types.includes(PURGE_ALL) ? cache.purgeAll() : cache.purgeTypes(types);
  logger.debug({ eventType, types, purged }, 'response cache purged by event');
}

function eventTypeOf(data: Uint8Array): string | undefined {
  try {
    const envelope: unknown = JSON.parse(Buffer.from(data).toString('utf8'));
    if (typeof envelope === 'object' && envelope !== null && 'type' in envelope) {
      return typeof envelope.type === 'string' ? envelope.type : undefined;
    }
  } catch {
    // An unreadable message still says something changed: purged whole (purgeOf(''))
  }
  return undefined;
}
