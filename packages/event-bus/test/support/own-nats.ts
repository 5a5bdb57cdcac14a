import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNatsServerBinary, findOrStartNats, type NatsHandle } from '@hub/dev-infra';

/**
 * A nats-server of the test's own (the machine's one is shared and must never be stopped),
 * which the test can stop and start again on the same port and store, like a broker restart.
 */
export type OwnNats = {
  url: string;
  /** Stops the server (SIGTERM): clients see the connection drop. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same JetStream store; resolves once it accepts clients. */
  start(): Promise<void>;
  /** Stops it for good and deletes its store. */
  dispose(): Promise<void>;
};

export async function startOwnNats(): Promise<OwnNats> {
  const binary = findNatsServerBinary();
  if (!binary) throw new Error('these tests need a nats-server binary on PATH');
  const dataDir = mkdtempSync(join(tmpdir(), 'event-bus-nats-'));
  let handle: NatsHandle | undefined = await findOrStartNats({ dataDir, binary });
  const url = handle.url!;
  const port = Number(new URL(url).port);
  return {
    url,
    async stop() {
      await handle?.stop();
      handle = undefined;
    },
    async start() {
      // findOrStartNats prefers the given port, and takes it again if it is still free.
      handle = await findOrStartNats({ dataDir, binary, port });
      if (handle.url !== url) {
        await handle.stop();
        throw new Error(`nats-server came back on ${handle.url}, not ${url}: port taken meanwhile`);
      }
    },
    async dispose() {
      await handle?.stop();
      handle = undefined;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
