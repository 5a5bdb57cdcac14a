import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

/** The NATS server tests use (the machine's, or NATS_URL). */
export const TEST_NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** A namespace no other run uses: its streams and consumers belong to one test alone. */
export function randomNamespace(prefix = 't'): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

/**
 * Deletes every stream (and so every durable consumer) created under `namespace` — the event
 * bus names them `<NAMESPACE>_<SERVICE>` — so test runs leave nothing on a shared server.
 */
export async function deleteNamespaceStreams(
  namespace: string,
  url: string = TEST_NATS_URL,
): Promise<void> {
  const nats = await connect({ servers: url, name: 'hub-test-cleanup' });
  try {
    const manager = await jetstreamManager(nats);
    const prefix = `${namespace.toUpperCase()}_`;
    for await (const name of manager.streams.names()) {
      if (name.startsWith(prefix)) await manager.streams.delete(name);
    }
  } finally {
    await nats.close();
  }
}
