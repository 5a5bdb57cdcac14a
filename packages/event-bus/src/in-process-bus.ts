import type { Logger } from 'pino';
import {
  type DeliveryOutcome,
  defaultLogger,
  deliver,
  type EventBus,
  type ResolvedSubscription,
  resolveSubscription,
  type Subscription,
  type SubscriptionHandle,
} from './bus.js';
import type { EventEnvelope } from './envelope.js';

export type InProcessBusOptions = {
  logger?: Logger;
  /** Same event id published again within this window is dropped (NATS default: 2 min). */
  duplicateWindowMs?: number;
  /** Events kept for consumers that subscribe later, like a stream (default 10 000). */
  retainEvents?: number;
};

/**
 * The bus for the single-process embedded mode: one shared instance for all services in the
 * process. It keeps the NATS bus's contract — asynchronous delivery, dedup by event id,
 * redelivery with backoff, dead letter after maxDeliver, replay of retained events to a new
 * consumer, a durable position per consumer name — but nothing survives the process:
 * durability ends at the outbox.
 */
export function createInProcessBus(options: InProcessBusOptions = {}): EventBus {
  return new InProcessBus(options);
}

type Retained = { seq: number; type: string; payload: string };

/**
 * Where a consumer name stands, kept for the bus's lifetime like a NATS durable, so a
 * subscription stopped and started again (a service restarted inside the process) resumes.
 */
type Position = {
  /** The last retained event this consumer has seen, wanted or not. */
  lastSeq: number;
  /** Events offered but neither acked nor terminated: seq → failed deliveries so far. */
  unsettled: Map<number, number>;
};

class InProcessBus implements EventBus {
  readonly kind = 'in-process' as const;
  readonly #logger: Logger;
  readonly #duplicateWindowMs: number;
  readonly #retainEvents: number;
  // Insertion-ordered, so expired ids are pruned from the front.
  readonly #seen = new Map<string, number>();
  readonly #retained: Retained[] = [];
  readonly #consumers = new Map<string, InProcessConsumer>();
  readonly #positions = new Map<string, Position>();
  #nextSeq = 1;
  #isClosed = false;

  constructor(options: InProcessBusOptions) {
    this.#logger = options.logger ?? defaultLogger();
    this.#duplicateWindowMs = options.duplicateWindowMs ?? 120_000;
    this.#retainEvents = options.retainEvents ?? 10_000;
  }

  async publish(event: EventEnvelope): Promise<void> {
    if (this.#isClosed) throw new Error('event bus is closed');
    const now = Date.now();
    for (const [id, at] of this.#seen) {
      if (now - at < this.#duplicateWindowMs) break;
      this.#seen.delete(id);
    }
    if (this.#seen.has(event.id)) {
      this.#logger.debug({ eventId: event.id, type: event.type }, 'duplicate publish dropped');
      return;
    }
    this.#seen.set(event.id, now);
    // Consumers get their own decoded copy, exactly as they would from NATS.
    const retained = { seq: this.#nextSeq++, type: event.type, payload: JSON.stringify(event) };
    this.#retained.push(retained);
    if (this.#retained.length > this.#retainEvents) this.#retained.shift();
    for (const consumer of this.#consumers.values()) consumer.offer(retained);
  }

  async subscribe(sub: Subscription): Promise<SubscriptionHandle> {
    if (this.#isClosed) throw new Error('event bus is closed');
    const resolved = resolveSubscription(sub);
    const name = resolved.consumer;
    if (this.#consumers.has(name)) {
      throw new Error(`Consumer '${name}' is already subscribed on this bus`);
    }
    // A new consumer name starts at the beginning of the retained events, a known one resumes.
    let position = this.#positions.get(name);
    if (!position) {
      position = { lastSeq: 0, unsettled: new Map() };
      this.#positions.set(name, position);
    }
    const consumer = new InProcessConsumer(resolved, position, this.#logger);
    this.#consumers.set(name, consumer);
    consumer.resume(this.#retained);
    const stopConsumer = async () => {
      await consumer.stop();
      // Only now may the name subscribe again: two handlers never run side by side.
      if (this.#consumers.get(name) === consumer) this.#consumers.delete(name);
    };
    let stopping: Promise<void> | undefined;
    return {
      stop() {
        stopping ??= stopConsumer();
        return stopping;
      },
    };
  }

  async isReady(): Promise<boolean> {
    return !this.#isClosed;
  }

  onReady(): () => void {
    return () => {}; // never down, so never back
  }

  async close(): Promise<void> {
    this.#isClosed = true;
    await Promise.all([...this.#consumers.values()].map((consumer) => consumer.stop()));
  }
}

type Delivery = { retained: Retained; deliveryCount: number };

/** One subscription: a FIFO worked one delivery at a time, like a NATS pull loop. */
class InProcessConsumer {
  readonly #sub: ResolvedSubscription;
  readonly #position: Position;
  readonly #logger: Logger;
  #queue: Delivery[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  #isPumping = false;
  #isStopped = false;
  #running: Promise<void> = Promise.resolve();

  constructor(sub: ResolvedSubscription, position: Position, logger: Logger) {
    this.#sub = sub;
    this.#position = position;
    this.#logger = logger.child({ consumer: sub.consumer });
  }

  /** Queues what the position says is left: unsettled events and those not seen yet. */
  resume(retained: Retained[]): void {
    const { unsettled } = this.#position;
    const oldest = retained[0]?.seq ?? this.#position.lastSeq + 1;
    // Evicted from the retained events (over retainEvents): gone, as past a stream's limits.
    for (const seq of unsettled.keys()) if (seq < oldest) unsettled.delete(seq);
    for (const event of retained) {
      const failures = unsettled.get(event.seq);
      if (failures === undefined) {
        this.offer(event);
      } else if (this.#sub.types.has(event.type)) {
        this.#enqueue({ retained: event, deliveryCount: failures + 1 });
      } else {
        unsettled.delete(event.seq); // no longer subscribed to: skipped, like an ack
      }
    }
  }

  offer(retained: Retained): void {
    if (this.#isStopped || retained.seq <= this.#position.lastSeq) return;
    this.#position.lastSeq = retained.seq;
    if (!this.#sub.types.has(retained.type)) return;
    this.#position.unsettled.set(retained.seq, 0);
    this.#enqueue({ retained, deliveryCount: 1 });
  }

  /**
   * Stops delivering and waits for the delivery in flight. Queued deliveries and those waiting
   * for their backoff stay unsettled in the position, for the next subscription of this name.
   */
  async stop(): Promise<void> {
    this.#isStopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#queue = [];
    await this.#running;
  }

  #enqueue(delivery: Delivery): void {
    if (this.#isStopped) return;
    this.#queue.push(delivery);
    if (this.#isPumping) return;
    this.#isPumping = true;
    this.#running = this.#pump();
  }

  async #pump(): Promise<void> {
    try {
      // Deliver after publish() has returned, as over the network.
      await new Promise((resolve) => setImmediate(resolve));
      for (let next = this.#queue.shift(); next && !this.#isStopped; next = this.#queue.shift()) {
        this.#settle(next, await this.#deliver(next));
      }
    } finally {
      // Synchronous with the loop's last empty check, so no enqueue is ever stranded.
      this.#isPumping = false;
    }
  }

  async #deliver({ retained, deliveryCount }: Delivery): Promise<DeliveryOutcome> {
    try {
      return await deliver(this.#sub, JSON.parse(retained.payload), deliveryCount, {
        logger: this.#logger,
        fallbackId: 'unknown',
        fallbackType: retained.type,
      });
    } catch (error) {
      this.#logger.error({ err: error }, 'delivery failed unexpectedly');
      return { kind: 'retry', delayMs: 0 };
    }
  }

  #settle(delivery: Delivery, outcome: DeliveryOutcome): void {
    const { seq } = delivery.retained;
    if (outcome.kind !== 'retry') {
      this.#position.unsettled.delete(seq);
      return;
    }
    this.#position.unsettled.set(seq, delivery.deliveryCount);
    if (this.#isStopped) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#enqueue({ ...delivery, deliveryCount: delivery.deliveryCount + 1 });
    }, outcome.delayMs);
    this.#timers.add(timer);
  }
}
