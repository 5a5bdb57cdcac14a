// The gateway thread's entry (gateway-thread.ts): loads the gateway while the parent starts
// the rest, waits for its options, starts it, passes forwarded events to its response cache,
// and stops it on 'stop'.
import { parentPort } from 'node:worker_threads';
import { startGateway } from '@hub/gateway';
import { createLogger } from '@hub/service-kit';
import type { FromGatewayWorker, GatewayThreadOptions, ToGatewayWorker } from './gateway-thread.js';

const port = parentPort;
const eventListeners = new Set<(eventType: string) => void>();
const forwarded = {
  subscribe(listener: (eventType: string) => void) {
    eventListeners.add(listener);
    return () => eventListeners.delete(listener);
  },
};

// Messages posted before this listener exists wait in the port's queue.
port?.once('message', (threadOptions: GatewayThreadOptions) => {
  const { logLevel, responseCache, ...options } = threadOptions;
  const logger = createLogger({ name: 'hub', level: logLevel }).child({ service: 'gateway' });
  port.on('message', (message: ToGatewayWorker) => {
    if (message === 'stop') return;
    for (const listener of eventListeners) listener(message.eventType);
  });
  startGateway({
    ...options,
    logger,
    ...(responseCache
      ? {
          responseCache: {
            ttlMs: responseCache.ttlMs,
            events: responseCache.events === 'forwarded' ? forwarded : responseCache.events,
          },
        }
      : {}),
  }).then(
    (gateway) => {
      port.postMessage({ ready: gateway.url } satisfies FromGatewayWorker);
      port.on('message', (message: ToGatewayWorker) => {
        if (message !== 'stop') return;
        gateway.stop().then(() => port.postMessage({ stopped: true } satisfies FromGatewayWorker));
      });
    },
    (error: unknown) => port.postMessage({ failed: String(error) } satisfies FromGatewayWorker),
  );
});
