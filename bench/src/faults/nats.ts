import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePort, findNatsServerBinary, isNatsReachable } from '@hub/dev-infra';
import { ManagedProcess } from './process.js';

/**
 * The harness's own nats-server (JetStream, store in the run's folder, a free port): the
 * machine's NATS is shared with others and must never be stopped, and stopping ours is one of
 * the faults. Its streams live only in that store, which goes with the run's folder.
 */
export type HarnessNats = {
  url: string;
  /** Stops the server (SIGTERM: a broker restart, not a disk loss) until `start()`. */
  stop(): Promise<void>;
  /** Starts it again on the same port and store, and waits until it greets clients. */
  start(): Promise<void>;
  /** Messages not yet delivered or not yet acknowledged, summed over every durable consumer. */
  pendingMessages(): Promise<number>;
};

export async function startHarnessNats(dir: string): Promise<HarnessNats> {
  const binary = findNatsServerBinary();
  if (!binary) throw new Error('the fault benchmark needs a nats-server binary on PATH');
  const port = await findFreePort();
  let monitorPort = await findFreePort();
  while (monitorPort === port) monitorPort = await findFreePort();
  const server = new ManagedProcess(
    'nats-server',
    binary,
    ['-js', '-a', '127.0.0.1', '-p', String(port), '-m', String(monitorPort), '-sd', dir],
    { PATH: process.env.PATH },
    join(dir, 'nats-server.log'),
    dir,
  );
  const start = async () => {
    server.start();
    const deadline = Date.now() + 15_000;
    while (!(await isNatsReachable('127.0.0.1', port, 500))) {
      if (!server.isRunning) throw new Error(`nats-server exited; see ${dir}/nats-server.log`);
      if (Date.now() > deadline) throw new Error('nats-server did not start within 15 s');
      await sleep(50);
    }
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    start,
    async stop() {
      await server.stop(10_000);
    },
    async pendingMessages() {
      const response = await fetch(
        `http://127.0.0.1:${monitorPort}/jsz?accounts=true&streams=true&consumers=true`,
        { signal: AbortSignal.timeout(5_000) },
      );
      return sumPending((await response.json()) as Jsz);
    },
  };
}

type Jsz = {
  account_details?: {
    stream_detail?: { consumer_detail?: { num_pending?: number; num_ack_pending?: number }[] }[];
  }[];
};

function sumPending(jsz: Jsz): number {
  let pending = 0;
  for (const account of jsz.account_details ?? []) {
    for (const stream of account.stream_detail ?? []) {
      for (const consumer of stream.consumer_detail ?? []) {
        pending += (consumer.num_pending ?? 0) + (consumer.num_ack_pending ?? 0);
      }
    }
  }
  return pending;
}
