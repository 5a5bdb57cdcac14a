import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { pino } from 'pino';

export const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

export const silentLogger = pino({ level: 'silent' });

/** A namespace no other run uses: its streams and consumers are this test's alone. */
export function randomNamespace(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

/** Deletes every stream created under `namespace`. */
export async function deleteNamespaceStreams(namespace: string): Promise<void> {
  const nc = await connect({ servers: natsUrl, name: 'event-bus-test-cleanup' });
  try {
    const jsm = await jetstreamManager(nc);
    const prefix = `${namespace.toUpperCase()}_`;
    for await (const name of jsm.streams.names()) {
      if (name.startsWith(prefix)) await jsm.streams.delete(name);
    }
  } finally {
    await nc.close();
  }
}
