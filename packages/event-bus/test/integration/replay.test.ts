// replayStreams: what a read-model rebuild reads — every stored event of the streams, in order,
// up to the last one stored when it reached each stream, without touching any durable.
import { afterEach, describe, expect, it } from '@jest/globals';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import {
  connectNatsBus,
  type EventBus,
  type EventEnvelope,
  IncompleteHistoryError,
  replayStreams,
  streamFor,
  subjectFor,
} from '../../src/index.js';
import { memberRegistered } from '../support/events.js';
import { deleteNamespaceStreams, natsUrl, randomNamespace, silentLogger } from '../support/nats.js';

const namespaces: string[] = [];
const buses: EventBus[] = [];

afterEach(async () => {
  await Promise.all(buses.splice(0).map((bus) => bus.close()));
  await Promise.all(namespaces.splice(0).map((namespace) => deleteNamespaceStreams(namespace)));
});

async function busIn(namespace: string): Promise<EventBus> {
  namespaces.push(namespace);
  const bus = await connectNatsBus({
    url: natsUrl,
    name: 'event-bus-replay-test',
    streams: ['members'],
    namespace,
    logger: silentLogger,
  });
  buses.push(bus);
  return bus;
}

describe('replayStreams', () => {
  it('reads every stored event in order, skips what is not an event, and creates no durable', async () => {
    const namespace = randomNamespace();
    const bus = await busIn(namespace);
    const events = [memberRegistered(), memberRegistered(), memberRegistered()];
    await bus.publish(events[0]!);
    await bus.publish(events[1]!);
    // Garbage published straight to the stream: a live consumer dead-letters it.
    const nc = await connect({ servers: natsUrl, name: 'event-bus-replay-test-raw' });
    const jsm = await jetstreamManager(nc);
    await jsm.jetstream().publish(subjectFor('members.member.registered', namespace), '{not json');
    await bus.publish(events[2]!);

    const seen: EventEnvelope[] = [];
    const summary = await replayStreams({
      url: natsUrl,
      name: 'event-bus-replay-test',
      namespace,
      // A stream nobody published to yet (no stream at all): nothing to read.
      services: ['members', 'spaces'],
      handle: async (event) => {
        seen.push(event);
      },
    });
    expect(seen.map((event) => event.id)).toEqual(events.map((event) => event.id));
    expect(summary).toEqual({ events: { members: 3, spaces: 0 }, invalid: 1 });
    const consumers = await jsm.consumers.list(streamFor('members', namespace).name).next();
    expect(consumers.filter((info) => info.config.durable_name)).toEqual([]);
    await nc.close();
  });

  it('stops at a failing handler and rejects with its error', async () => {
    const namespace = randomNamespace();
    const bus = await busIn(namespace);
    await bus.publish(memberRegistered());
    await expect(
      replayStreams({
        url: natsUrl,
        name: 'event-bus-replay-test',
        namespace,
        services: ['members'],
        handle: async () => {
          throw new Error('read model broke');
        },
      }),
    ).rejects.toThrow('read model broke');
  });

  it('refuses a stream that lost its first events, before handling any of it', async () => {
    const namespace = randomNamespace();
    const bus = await busIn(namespace);
    const [gone, kept] = [memberRegistered(), memberRegistered()];
    await bus.publish(gone);
    await bus.publish(kept);
    // As retention would: the oldest event leaves the stream.
    const nc = await connect({ servers: natsUrl, name: 'event-bus-replay-test-raw' });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.deleteMessage(streamFor('members', namespace).name, 1);
    await nc.close();
    const seen: string[] = [];
    const replay = replayStreams({
      url: natsUrl,
      name: 'event-bus-replay-test',
      namespace,
      services: ['members'],
      handle: async (event) => {
        seen.push(event.id);
      },
    });
    await expect(replay).rejects.toBeInstanceOf(IncompleteHistoryError);
    await expect(replay).rejects.toThrow(/sequence 2/);
    expect(seen).toEqual([]);
  });
});
