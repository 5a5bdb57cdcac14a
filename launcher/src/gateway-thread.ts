/**
 * The gateway on a worker thread of its own: query planning and response merging are the
 * heaviest work in the process, and the machines have a second core for them. Messages:
 * parent → worker 'stop' | { eventType }; worker → parent { ready: url } | { stopped: true } |
 * { failed }. `{ eventType }` carries the in-process bus's events to the response cache, which
 * cannot see that bus from its thread (with NATS it listens itself).
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { type GatewayOptions, startGateway } from '@hub/gateway';
import { createLogger } from '@hub/service-kit';

type ThreadOptions = Omit<GatewayOptions, 'logger' | 'responseCache'> & {
  logLevel: string;
  /** The response cache; `events: 'forwarded'` when the parent forwards bus events. */
  responseCache?: { ttlMs: number; events: { natsUrl: string; namespace: string } | 'forwarded' };
};
type FromWorker = { ready: string } | { stopped: true } | { failed: string };
type ToWorker = 'stop' | { eventType: string };

export type GatewayThread = {
  url: string;
  /** Tells the gateway's response cache about a domain event (in-process bus only). */
  forwardEvent(eventType: string): void;
  stop(): Promise<void>;
};

export function startGatewayThread(options: ThreadOptions): Promise<GatewayThread> {
  const worker = new Worker(new URL(import.meta.url), { workerData: options });
  const next = () =>
    new Promise<FromWorker>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  return next().then((message) => {
    if ('failed' in message) throw new Error(`gateway failed to start: ${message.failed}`);
    if (!('ready' in message)) throw new Error('gateway thread answered out of order');
    return {
      url: message.ready,
      forwardEvent(eventType) {
        worker.postMessage({ eventType } satisfies ToWorker);
      },
      async stop() {
        const stopped = next();
        worker.postMessage('stop' satisfies ToWorker);
        await stopped;
        await worker.terminate();
      },
    };
  });
}

if (parentPort && workerData) {
  const port = parentPort;
  const { logLevel, responseCache, ...options } = workerData as ThreadOptions;
  const logger = createLogger({ name: 'hub', level: logLevel }).child({ service: 'gateway' });
  const eventListeners = new Set<(eventType: string) => void>();
  port.on('message', (message: ToWorker) => {
    if (message === 'stop') return;
    for (const listener of eventListeners) listener(message.eventType);
  });
  const forwarded = {
    subscribe(listener: (eventType: string) => void) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
  };
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
      port.postMessage({ ready: gateway.url } satisfies FromWorker);
      port.on('message', (message: ToWorker) => {
        if (message !== 'stop') return;
        gateway.stop().then(() => port.postMessage({ stopped: true } satisfies FromWorker));
      });
    },
    (error: unknown) => port.postMessage({ failed: String(error) } satisfies FromWorker),
  );
}
