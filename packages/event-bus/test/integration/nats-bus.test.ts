// NATS-specific behaviour behind the shared contract: stream/consumer configuration on
// nats-server 2.9, consume-loop recovery, durable sharing, and what close() leaves on the server.
import { afterEach, describe, expect, it } from '@jest/globals';
import { AckPolicy, type JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection, nanos } from '@nats-io/transport-node';
import {
  connectNatsBus,
  type EventBus,
  type EventEnvelope,
  type NatsBusOptions,
  streamFor,
} from '../../src/index.js';
import { memberRegistered } from '../support/events.js';
import { deleteNamespaceStreams, natsUrl, randomNamespace, silentLogger } from '../support/nats.js';
import { gate, waitFor } from '../support/wait-for.js';

const namespaces: string[] = [];
const buses: EventBus[] = [];
const connections: NatsConnection[] = [];

async function natsBus(
  namespace: string,
  options: Partial<NatsBusOptions> = {},
): Promise<EventBus> {
  const bus = await connectNatsBus({
    url: natsUrl,
    name: 'event-bus-nats-test',
    streams: ['members'],
    namespace,
    logger: silentLogger,
    ...options,
  });
  buses.push(bus);
  return bus;
}

function newNamespace(): string {
  const namespace = randomNamespace();
  namespaces.push(namespace);
  return namespace;
}

async function manager(): Promise<JetStreamManager> {
  const nc = await connect({ servers: natsUrl, name: 'event-bus-nats-test-admin' });
  connections.push(nc);
  return jetstreamManager(nc);
}

afterEach(async () => {
  await Promise.all(buses.splice(0).map((bus) => bus.close()));
  await Promise.all(connections.splice(0).map((nc) => nc.close()));
  await Promise.all(namespaces.splice(0).map((namespace) => deleteNamespaceStreams(namespace)));
});

function collect(): { events: EventEnvelope[]; handler: (e: EventEnvelope) => Promise<void> } {
  const events: EventEnvelope[] = [];
  return {
    events,
    handler: async (event) => {
      events.push(event);
    },
  };
}

describe('connectNatsBus', () => {
  it('creates one stream per service with dedup window and retention', async () => {
    const namespace = newNamespace();
    await natsBus(namespace, { streams: ['members', 'support-programs'] });
    const jsm = await manager();
    const stream = streamFor('support-programs', namespace);
    const info = await jsm.streams.info(stream.name);
    expect(info.config.subjects).toEqual([`${namespace}.hub.support-programs.>`]);
    expect(info.config.duplicate_window).toBe(nanos(120_000));
    expect(info.config.max_age).toBe(nanos(7 * 24 * 3_600_000));
    await expect(jsm.streams.info(streamFor('members', namespace).name)).resolves.toBeDefined();
  });

  it('creates a stream on first publish for a service not listed at start-up', async () => {
    const namespace = newNamespace();
    const bus = await natsBus(namespace, { streams: [] });
    const event = memberRegistered();
    await bus.publish(event);
    const jsm = await manager();
    const info = await jsm.streams.info(streamFor('members', namespace).name);
    expect(info.state.messages).toBe(1);
  });

  it('makes a durable explicit-ack pull consumer filtered on the service, with maxDeliver + 1', async () => {
    const namespace = newNamespace();
    const bus = await natsBus(namespace);
    await bus.subscribe({
      consumer: 'read-model',
      types: ['members.member.registered', 'members.organization.created'],
      maxDeliver: 4,
      handler: async () => {},
    });
    const jsm = await manager();
    const info = await jsm.consumers.info(streamFor('members', namespace).name, 'read-model');
    expect(info.config).toMatchObject({
      durable_name: 'read-model',
      ack_policy: AckPolicy.Explicit,
      filter_subject: `${namespace}.hub.members.>`,
      max_deliver: 5,
      max_ack_pending: 256,
      ack_wait: nanos(10_000),
    });
  });

  it('updates an existing durable when its limits change in code', async () => {
    const namespace = newNamespace();
    const first = await natsBus(namespace);
    await first.subscribe({
      consumer: 'evolving',
      types: ['members.member.registered'],
      maxDeliver: 3,
      handler: async () => {},
    });
    await first.close();
    const second = await natsBus(namespace, { maxAckPending: 32 });
    await second.subscribe({
      consumer: 'evolving',
      types: ['members.member.registered'],
      maxDeliver: 7,
      handler: async () => {},
    });
    const jsm = await manager();
    const info = await jsm.consumers.info(streamFor('members', namespace).name, 'evolving');
    expect(info.config.max_deliver).toBe(8);
    expect(info.config.max_ack_pending).toBe(32);
  });

  it('updates a durable made with the former 30 s ack wait, keeping its position', async () => {
    const namespace = newNamespace();
    // The durable as an earlier release made it (data folders of `npm start` keep theirs).
    const before = await natsBus(namespace, { ackWaitMs: 30_000 });
    const { events: handledBefore, handler: handleBefore } = collect();
    await before.subscribe({
      consumer: 'long-lived',
      types: ['members.member.registered'],
      handler: handleBefore,
    });
    const old = memberRegistered('old');
    await before.publish(old);
    await waitFor(() => handledBefore.length === 1, { message: 'handled before the upgrade' });
    await before.close();
    const jsm = await manager();
    const stream = streamFor('members', namespace).name;
    expect((await jsm.consumers.info(stream, 'long-lived')).config.ack_wait).toBe(nanos(30_000));

    const after = await natsBus(namespace);
    const { events: handledAfter, handler } = collect();
    await after.subscribe({
      consumer: 'long-lived',
      types: ['members.member.registered'],
      handler,
    });
    expect((await jsm.consumers.info(stream, 'long-lived')).config.ack_wait).toBe(nanos(10_000));
    const next = memberRegistered('next');
    await after.publish(next);
    await waitFor(() => handledAfter.length === 1, { message: 'handled after the upgrade' });
    expect(handledAfter.map((e) => e.id)).toEqual([next.id]);
  });

  it('keeps a live handler that runs past the ack wait from being redelivered (progress pings)', async () => {
    const namespace = newNamespace();
    const bus = await natsBus(namespace, { ackWaitMs: 1_000 });
    const deliveries: number[] = [];
    await bus.subscribe({
      consumer: 'slow-but-alive',
      types: ['members.member.registered'],
      handlerTimeoutMs: 5_000,
      handler: async (_event, delivery) => {
        deliveries.push(delivery.deliveryCount);
        await new Promise((resolve) => setTimeout(resolve, 2_500));
      },
    });
    await bus.publish(memberRegistered());
    const jsm = await manager();
    const stream = streamFor('members', namespace).name;
    await waitFor(
      async () => (await jsm.consumers.info(stream, 'slow-but-alive')).num_ack_pending === 0,
      { message: 'acked', timeoutMs: 8_000 },
    );
    expect(deliveries).toEqual([1]);
    expect((await jsm.consumers.info(stream, 'slow-but-alive')).num_redelivered).toBe(0);
  }, 15_000);

  it('restarts its consume loop when the consumer is deleted under it', async () => {
    const namespace = newNamespace();
    const bus = await natsBus(namespace);
    const { events, handler } = collect();
    await bus.subscribe({ consumer: 'resilient', types: ['members.member.registered'], handler });
    const before = memberRegistered();
    await bus.publish(before);
    await waitFor(() => events.length === 1, { message: 'first delivery' });

    const jsm = await manager();
    await jsm.consumers.delete(streamFor('members', namespace).name, 'resilient');
    const after = memberRegistered();
    await bus.publish(after);

    // The recreated durable starts from the stream's beginning: `before` comes again, which
    // is why consumers must be idempotent.
    await waitFor(() => events.some((e) => e.id === after.id), {
      message: 'delivery after restart',
    });
  });

  it('shares a durable between instances: each event is handled by one of them', async () => {
    const namespace = newNamespace();
    const handledBy = new Map<string, string[]>();
    for (const instance of ['a', 'b']) {
      const bus = await natsBus(namespace, { name: `instance-${instance}` });
      await bus.subscribe({
        consumer: 'shared',
        types: ['members.member.registered'],
        handler: async (event) => {
          handledBy.set(event.id, [...(handledBy.get(event.id) ?? []), instance]);
        },
      });
    }
    const events = Array.from({ length: 20 }, () => memberRegistered());
    for (const event of events) await buses[0]!.publish(event);

    await waitFor(() => handledBy.size === events.length, { message: 'all events handled' });
    expect([...handledBy.values()].every((instances) => instances.length === 1)).toBe(true);
  });

  it('after close(), acks are flushed and new events stay pending on the server', async () => {
    const namespace = newNamespace();
    const bus = await natsBus(namespace);
    const { events, handler } = collect();
    await bus.subscribe({ consumer: 'stopping', types: ['members.member.registered'], handler });
    await bus.publish(memberRegistered());
    await waitFor(() => events.length === 1, { message: 'first delivery' });
    await bus.close();

    const publisher = await natsBus(namespace, { name: 'other-publisher' });
    await publisher.publish(memberRegistered());
    const jsm = await manager();
    const info = await jsm.consumers.info(streamFor('members', namespace).name, 'stopping');
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(1);
    expect(events).toHaveLength(1);
  });

  it('stop() keeps the durable: what it left goes to the next instance at once', async () => {
    const namespace = newNamespace();
    const first = await natsBus(namespace, { name: 'instance-1' });
    const release = gate();
    const handledByFirst: string[] = [];
    const handle = await first.subscribe({
      consumer: 'handing-over',
      types: ['members.member.registered'],
      handler: async (event) => {
        handledByFirst.push(event.id);
        await release.promise;
      },
    });
    // One pull brings all three: the first is in the handler, two wait in the client's buffer.
    const events = [memberRegistered(), memberRegistered(), memberRegistered()];
    for (const event of events) await first.publish(event);
    await waitFor(() => handledByFirst.length === 1, { message: 'first handler start' });
    const stopped = handle.stop();
    release.open();
    await stopped;

    const jsm = await manager();
    const info = await jsm.consumers.info(streamFor('members', namespace).name, 'handing-over');
    expect(info.config.durable_name).toBe('handing-over');
    // The buffered two were nak'd, not left to time out (ack_wait is 30 s).
    const second = await natsBus(namespace, { name: 'instance-2' });
    const { events: handledBySecond, handler } = collect();
    await second.subscribe({
      consumer: 'handing-over',
      types: ['members.member.registered'],
      handler,
    });
    await waitFor(() => handledBySecond.length === 2, { message: 'the rest', timeoutMs: 5_000 });
    expect(handledByFirst).toEqual([events[0]!.id]);
    expect(handledBySecond.map((e) => e.id)).toEqual([events[1]!.id, events[2]!.id]);
  });

  it('reports not ready once closed', async () => {
    const bus = await natsBus(newNamespace());
    expect(await bus.isReady()).toBe(true);
    await bus.close();
    expect(await bus.isReady()).toBe(false);
  });
});
