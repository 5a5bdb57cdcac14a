import { deleteNamespaceStreams, randomNamespace, TEST_NATS_URL } from './nats.js';

/** What a test does with a bus beyond the service's use of it: close it. */
export type ClosableBus = { close(): Promise<void> };

/**
 * The bus constructors of @hub/event-bus, passed in: event-bus's own tests use this package,
 * so importing event-bus here would make a dependency cycle.
 */
export type BusConstructors<Bus extends ClosableBus> = {
  connectNatsBus(options: {
    url: string;
    name: string;
    streams: string[];
    namespace: string;
    duplicateWindowMs: number;
    // biome-ignore lint/suspicious/noExplicitAny: any pino-compatible logger
    logger: any;
  }): Promise<Bus>;
  // biome-ignore lint/suspicious/noExplicitAny: any pino-compatible logger
  createInProcessBus(options: { logger: any; duplicateWindowMs: number }): Bus;
};

/** How a test gets a bus, and gives it back (closed, its NATS streams deleted). */
export type BusFactory<Bus extends ClosableBus> = {
  name: string;
  connect(): Promise<{ bus: Bus; cleanup(): Promise<void> }>;
};

export type TestBusesOptions<Bus extends ClosableBus> = BusConstructors<Bus> & {
  /** Client name shown by the NATS server, e.g. 'spaces-test'. */
  name: string;
  /** Streams ensured at connect, e.g. ['members'] for a consumer of members events. */
  streams: string[];
  // biome-ignore lint/suspicious/noExplicitAny: any pino-compatible logger
  logger: any;
};

/**
 * Both buses keep one contract, so a consumer's tests run on each (`describe.each`): NATS
 * JetStream in a namespace of its own, and the in-process bus of the embedded mode.
 */
export function testBuses<Bus extends ClosableBus>(
  options: TestBusesOptions<Bus>,
): BusFactory<Bus>[] {
  return [
    {
      name: 'NATS JetStream',
      async connect() {
        const namespace = randomNamespace();
        // A short duplicate window lets a test publish the same event id again and have it
        // delivered, as after a relay crash outside the window.
        const bus = await options.connectNatsBus({
          url: TEST_NATS_URL,
          name: options.name,
          streams: options.streams,
          namespace,
          duplicateWindowMs: 100,
          logger: options.logger,
        });
        return {
          bus,
          async cleanup() {
            await bus.close();
            await deleteNamespaceStreams(namespace);
          },
        };
      },
    },
    {
      name: 'in-process bus',
      async connect() {
        const bus = options.createInProcessBus({ logger: options.logger, duplicateWindowMs: 0 });
        return { bus, cleanup: () => bus.close() };
      },
    },
  ];
}
