/**
 * The gateway on a worker thread of its own: query planning and response merging are the
 * heaviest work in the process, and the machines have a second core for them. The thread is
 * spawned first thing (prepareGatewayThread), so it loads the gateway's modules while the
 * databases and subgraphs start; start() then hands it its options. Messages: parent → worker
 * options, then 'stop'; worker → parent { ready: url } | { stopped: true } | { failed }.
 */
import { Worker } from 'node:worker_threads';
import type { GatewayOptions } from '@hub/gateway';

export type GatewayThreadOptions = Omit<GatewayOptions, 'logger'> & { logLevel: string };
export type FromGatewayWorker = { ready: string } | { stopped: true } | { failed: string };

export type GatewayThread = { url: string; stop(): Promise<void> };

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
        async stop() {
          const stopped = next();
          worker.postMessage('stop');
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
