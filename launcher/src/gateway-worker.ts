// The gateway thread's entry (gateway-thread.ts): loads the gateway while the parent starts
// the rest, waits for its options, starts it, and stops it on 'stop'.
import { parentPort } from 'node:worker_threads';
import { startGateway } from '@hub/gateway';
import { createLogger } from '@hub/service-kit';
import type { FromGatewayWorker, GatewayThreadOptions } from './gateway-thread.js';

const port = parentPort;
// Messages posted before this listener exists wait in the port's queue.
port?.once('message', ({ logLevel, ...options }: GatewayThreadOptions) => {
  const logger = createLogger({ name: 'hub', level: logLevel }).child({ service: 'gateway' });
  startGateway({ ...options, logger }).then(
    (gateway) => {
      port.postMessage({ ready: gateway.url } satisfies FromGatewayWorker);
      port.once('message', () => {
        gateway.stop().then(() => port.postMessage({ stopped: true } satisfies FromGatewayWorker));
      });
    },
    (error: unknown) => port.postMessage({ failed: String(error) } satisfies FromGatewayWorker),
  );
});
