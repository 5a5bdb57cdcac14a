/**
 * The gateway on a worker thread of its own: query planning and response merging are the
 * heaviest work in the process, and the machines have a second core for them. The thread is
 * spawned first thing (prepareGatewayThread), so it loads the gateway's modules while the
 * databases and subgraphs start; start() then hands it its options. Messages: parent → worker
 * options, then 'stop' | { eventType }; worker → parent { ready: url } | { stopped: true } |
 * { failed }. `{ eventType }` carries the in-process bus's events to the response cache, which
 * cannot see that bus from its thread (with NATS it listens itself).
 */
import { Worker } from 'node:worker_threads';
import type { GatewayOptions } from '@hub/gateway';

export type GatewayThreadOptions = Omit<GatewayOptions, 'logger' | 'responseCache'> & {
  logLevel: string;
  /** The response cache; `events: 'forwarded'` when the parent forwards bus events. */
  responseCache?: { ttlMs: number; events: { natsUrl: string; namespace: string } | 'forwarded' };
};
export type FromGatewayWorker = { ready: string } | { stopped: true } | { failed: string };
export type ToGatewayWorker = 'stop' | { eventType: string };

export type GatewayThread = {
  url: string;
  /** Tells the gateway's response cache about a domain event (in-process bus only). */
  forwardEvent(eventType: string): void;
  stop(): Promise<void>;
};

export type PreparedGatewayThread = {
  start(options: GatewayThreadOptions): Promise<GatewayThread>;
  /** Ends the thread whether or not it was started (a start-up that failed elsewhere). */
  terminate(): Promise<void>;
};

export function prepareGatewayThread(): PreparedGatewayThread {
  const worker = new Worker(new URL('./gateway-worker.js', import.meta.url));
  // An error before start() (a module that fails to load) is kept for start() to throw.
  let failure: Error | null = null;
  worker.on('error', (error) => {
    failure = error;
  });
  const next = () =>
    new Promise<FromGatewayWorker>((resolve, reject) => {
      if (failure) return reject(failure);
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  return {
    async start(options) {
      const answer = next();
      worker.postMessage(options);
      const message = await answer;
      if ('failed' in message) throw new Error(`gateway failed to start: ${message.failed}`);
      if (!('ready' in message)) throw new Error('gateway thread answered out of order');
      return {
        url: message.ready,
        forwardEvent(eventType) {
          worker.postMessage({ eventType } satisfies ToGatewayWorker);
        },
        async stop() {
          const stopped = next();
          worker.postMessage('stop' satisfies ToGatewayWorker);
          await stopped;
          await worker.terminate();
        },
      };
    },
    async terminate() {
      await worker.terminate();
    },
  };
}
