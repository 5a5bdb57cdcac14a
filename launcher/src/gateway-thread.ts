/**
 * The gateway on a worker thread of its own: query planning and response merging are the
 * heaviest work in the process, and the machines have a second core for them. Messages:
 * parent → worker 'stop'; worker → parent { ready: url } | { stopped: true } | { failed }.
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { type GatewayOptions, startGateway } from '@hub/gateway';
import { createLogger } from '@hub/service-kit';

type ThreadOptions = Omit<GatewayOptions, 'logger'> & { logLevel: string };
type FromWorker = { ready: string } | { stopped: true } | { failed: string };

export type GatewayThread = { url: string; stop(): Promise<void> };

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
      async stop() {
        const stopped = next();
        worker.postMessage('stop');
        await stopped;
        await worker.terminate();
      },
    };
  });
}

if (parentPort && workerData) {
  const port = parentPort;
  const { logLevel, ...options } = workerData as ThreadOptions;
  const logger = createLogger({ name: 'hub', level: logLevel }).child({ service: 'gateway' });
  startGateway({ ...options, logger }).then(
    (gateway) => {
      port.postMessage({ ready: gateway.url } satisfies FromWorker);
      port.once('message', () => {
        gateway.stop().then(() => port.postMessage({ stopped: true } satisfies FromWorker));
      });
    },
    (error: unknown) => port.postMessage({ failed: String(error) } satisfies FromWorker),
  );
}
