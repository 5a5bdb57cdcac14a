import {
  AckPolicy,
  type ConsumerConfig,
  type ConsumerMessages,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import {
  connect,
  type NatsConnection,
  type Subscription as NatsSubscription,
  nanos,
} from '@nats-io/transport-node';
import type { Logger } from 'pino';
import {
  type DeliveryOutcome,
  defaultLogger,
  deliver,
  deliverBatch,
  type EventBus,
  type ResolvedSubscription,
  resolveSubscription,
  type Subscription,
  type SubscriptionHandle,
  sleep,
} from './bus.js';
import { type EventEnvelope, serviceOf } from './envelope.js';
import { parseEvent } from './events.js';
import { streamFor, subjectFor } from './subjects.js';

export type NatsBusOptions = {
  url: string;
  /** Client name shown by the server: the service name. */
  name: string;
  /** Services whose streams are ensured at start-up (others are ensured on first use). */
  streams: string[];
  logger?: Logger;
  /** Prefixes subjects and stream names to isolate an environment (tests); omit in production. */
  namespace?: string;
  /** Unacknowledged messages per consumer across all instances (default 256). */
  maxAckPending?: number;
  /**
   * Time a delivery may stay unacknowledged before the server redelivers it (default 10 s):
   * how long the events held by a crashed consumer wait. A live handler reports progress
   * every ackWaitMs / 3, so it is not redelivered however long it may take.
   */
  ackWaitMs?: number;
  /** Publish waits this long for the stream's ack (default 5 s). */
  publishTimeoutMs?: number;
  /** Window in which the server drops a repeated event id (streams created here; default 2 min). */
  duplicateWindowMs?: number;
  /** How long streams created here keep events (default 7 days). */
  maxAgeMs?: number;
};

// Messages pulled per request. Handlers run one at a time, so a small batch keeps buffered
// messages from waiting out their ack_wait while earlier ones are handled. A subscription that
// commits waiting events together (batchHandler) pulls more: a batch of 64 takes about as long
// as a few single transactions.
const PULL_BATCH = 10;
const PULL_BATCH_FOR_BATCHES = 64;
/** Most events handed to a batchHandler at once. */
const MAX_BATCH = 64;
const MAX_RESTART_DELAY_MS = 5_000;

/**
 * A crashed consumer's events come back after this (was 30 s, the server default). Twice the
 * default handler deadline (5 s), so one or two hung attempts do not make the messages pulled
 * with them time out; live handlers past it are kept alive by progress pings.
 */
export const DEFAULT_ACK_WAIT_MS = 10_000;

/** Connects to NATS and returns the JetStream-backed bus. */
export async function connectNatsBus(options: NatsBusOptions): Promise<EventBus> {
  const logger = (options.logger ?? defaultLogger()).child({ bus: 'nats', client: options.name });
  // A service outlives broker restarts: reconnect forever and let readiness report the outage.
  const nc = await connect({
    servers: options.url,
    name: options.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1_000,
  });
  try {
    const jsm = await jetstreamManager(nc);
    const bus = new NatsBus(nc, jsm, options, logger);
    for (const service of options.streams) await bus.ensureStream(service);
    return bus;
  } catch (error) {
    await nc.close();
    throw error;
  }
}

class NatsBus implements EventBus {
  readonly kind = 'nats' as const;
  readonly #nc: NatsConnection;
  readonly #jsm: JetStreamManager;
  readonly #js: JetStreamClient;
  readonly #options: NatsBusOptions;
  readonly #logger: Logger;
  readonly #streams = new Map<string, Promise<void>>();
  readonly #consumers = new Set<string>();
  readonly #loops = new Set<ConsumeLoop>();
  readonly #readyListeners = new Set<() => void>();
  #isConnected = true;
  /** Rejected at the next disconnect; see publish. */
  #connectionLost = lossSignal();
  /** Counts disconnects, so a JetStream probe after a reconnect knows when it is stale. */
  #outages = 0;
  #closing: Promise<void> | undefined;

  constructor(nc: NatsConnection, jsm: JetStreamManager, options: NatsBusOptions, logger: Logger) {
    this.#nc = nc;
    this.#jsm = jsm;
    this.#js = jsm.jetstream();
    this.#options = options;
    this.#logger = logger;
    void this.#watchConnection();
  }

  /**
   * Logs outages and announces the way back: consume loops resume by themselves (the client
   * re-pulls on reconnect), but a relay backing off would otherwise sleep up to 30 s more.
   */
  async #watchConnection(): Promise<void> {
    for await (const status of this.#nc.status()) {
      if (status.type === 'disconnect') {
        this.#isConnected = false;
        this.#outages += 1;
        this.#connectionLost.lose();
        this.#connectionLost = lossSignal();
        this.#logger.warn({ server: status.server }, 'NATS connection lost: reconnecting');
      } else if (status.type === 'reconnect') {
        this.#isConnected = true;
        this.#logger.info({ server: status.server }, 'NATS reconnected');
        void this.#announceReady(this.#outages);
      }
    }
  }

  /** Tells the listeners once JetStream answers again (it may lag the connection). */
  async #announceReady(outage: number): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      if (this.isClosing || outage !== this.#outages) return; // closed, or down again
      try {
        await this.#jsm.getAccountInfo();
        break;
      } catch {
        await sleep(Math.min(100 * 2 ** attempt, 2_000));
      }
    }
    this.#logger.info('JetStream available again');
    for (const listener of this.#readyListeners) {
      try {
        listener();
      } catch (error) {
        this.#logger.error({ err: error }, 'onReady listener failed');
      }
    }
  }

  onReady(listener: () => void): () => void {
    this.#readyListeners.add(listener);
    return () => this.#readyListeners.delete(listener);
  }

  async publish(event: EventEnvelope): Promise<void> {
    if (this.#closing) throw new Error('event bus is closed');
    // While the client reconnects, a publish is buffered and its ack awaited in vain until the
    // timeout (5 s): fail now, and the relay publishes again when the bus says it is back
    // (onReady). Likewise a publish in flight when the connection drops fails at the drop.
    if (!this.#isConnected) throw new Error('event bus not connected (NATS reconnecting)');
    const lost = this.#connectionLost.promise;
    await this.ensureStream(serviceOf(event.type));
    // msgID = event id: the stream drops a second publish of the same event (relay retried
    // after a crash) within its duplicate window — also one whose ack the drop cut off.
    const ack = await Promise.race([
      this.#js.publish(subjectFor(event.type, this.#options.namespace), JSON.stringify(event), {
        msgID: event.id,
        timeout: this.#options.publishTimeoutMs ?? 5_000,
      }),
      lost,
    ]);
    if (ack.duplicate) {
      this.#logger.debug({ eventId: event.id, type: event.type }, 'duplicate publish dropped');
    }
  }

  async subscribe(sub: Subscription): Promise<SubscriptionHandle> {
    if (this.#closing) throw new Error('event bus is closed');
    const resolved = resolveSubscription(sub);
    if (this.#consumers.has(resolved.consumer)) {
      throw new Error(`Consumer '${resolved.consumer}' is already subscribed on this bus`);
    }
    this.#consumers.add(resolved.consumer);
    const services = [...new Set([...resolved.types].map(serviceOf))];
    const started: ConsumeLoop[] = [];
    try {
      // One durable per stream (same name in each). Streams are per service, so a subscription
      // to types of several services spans several streams.
      for (const service of services) {
        await this.ensureStream(service);
        const stream = streamFor(service, this.#options.namespace).name;
        await this.ensureConsumer(service, resolved);
        const loop = new ConsumeLoop(this, this.#js, stream, service, resolved, this.#logger);
        started.push(loop);
        loop.start();
      }
    } catch (error) {
      // All or nothing, so the caller can simply retry the subscription.
      await Promise.all(started.map((loop) => loop.stop()));
      this.#consumers.delete(resolved.consumer);
      throw error;
    }
    for (const loop of started) this.#loops.add(loop);
    // close() began meanwhile and did not see these loops: stop them here.
    if (this.#closing) await Promise.all(started.map((loop) => loop.stop()));
    const stopLoops = async () => {
      await Promise.all(started.map((loop) => loop.stop()));
      for (const loop of started) this.#loops.delete(loop);
      // The durable stays on the server: the next subscriber (here or in another process)
      // resumes from it. The name is freed only now, so two handlers never run side by side.
      this.#consumers.delete(resolved.consumer);
      // Acks and naks are buffered by the client: send them before reporting the subscription
      // stopped, so the next subscriber sees exactly the messages this one left.
      await this.#flush();
    };
    let stopping: Promise<void> | undefined;
    return {
      stop() {
        stopping ??= stopLoops();
        return stopping;
      },
    };
  }

  async isReady(): Promise<boolean> {
    // Known down: answer now rather than after the flush's 2 s timeout.
    if (this.#closing || !this.#isConnected) return false;
    return this.#flush();
  }

  /**
   * Makes the server forget this connection's pull requests whose inbox is gone. A consumer
   * INFO runs the server's sweep of waiting pull requests (expired or without interest).
   * Best effort: false if the request failed.
   */
  async dropDeadPullRequests(stream: string, consumer: string): Promise<boolean> {
    if (this.#nc.isClosed()) return false;
    try {
      await this.#jsm.consumers.info(stream, consumer);
      return true;
    } catch {
      return false;
    }
  }

  /** See #flush; used by the consume loops before handing messages back. */
  flush(): Promise<boolean> {
    return this.#flush();
  }

  /** A PING round trip: false while disconnected, reconnecting or closed instead of hanging. */
  async #flush(): Promise<boolean> {
    if (this.#nc.isClosed()) return false;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.#nc.flush(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('flush timed out')), 2_000);
        }),
      ]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    await Promise.all([...this.#loops].map((loop) => loop.stop()));
    // drain() flushes the acks/naks of the last handlers before closing the socket.
    if (!this.#nc.isClosed()) await this.#nc.drain();
  }

  get isClosing(): boolean {
    return this.#closing !== undefined || this.#nc.isClosed();
  }

  /** Creates the service's stream if missing; never changes an existing one. */
  ensureStream(service: string): Promise<void> {
    let ensured = this.#streams.get(service);
    if (!ensured) {
      ensured = this.#ensureStream(service);
      this.#streams.set(service, ensured);
      // Forget failures so the next publish/subscribe tries again.
      ensured.catch(() => this.#streams.delete(service));
    }
    return ensured;
  }

  async #ensureStream(service: string): Promise<void> {
    const { name, subjects } = streamFor(service, this.#options.namespace);
    try {
      await this.#jsm.streams.info(name);
      return;
    } catch (error) {
      if (!isApiError(error, JetStreamApiCodes.StreamNotFound)) throw error;
    }
    try {
      await this.#jsm.streams.add({
        name,
        subjects,
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
        discard: DiscardPolicy.Old,
        max_age: nanos(this.#options.maxAgeMs ?? 7 * 24 * 3_600_000),
        duplicate_window: nanos(this.#options.duplicateWindowMs ?? 120_000),
        num_replicas: 1,
      });
      this.#logger.info({ stream: name, subjects }, 'stream created');
    } catch (error) {
      // Another service may have created it meanwhile; only a still-missing stream is an error.
      await this.#jsm.streams.info(name).catch(() => {
        throw error;
      });
    }
  }

  /**
   * nats-server 2.9 has no `filter_subjects` (plural, 2.10+). Rather than one consumer per
   * type, each durable filters on the whole service stream (`hub.<service>.>`) and acks the
   * types it does not want: one durable per (consumer, stream), the service's publish order is
   * kept across types, and adding a type to a subscription changes no server config (a new
   * per-type durable would start from the stream's beginning). The cost — skipped messages
   * cross the wire — is small at this platform's event rates.
   */
  async ensureConsumer(service: string, sub: ResolvedSubscription): Promise<void> {
    const stream = streamFor(service, this.#options.namespace).name;
    const limits = {
      // One spare delivery beyond maxDeliver, used to dead-letter a message whose last
      // attempt had no outcome (see deliver()).
      max_deliver: sub.maxDeliver + 1,
      max_ack_pending: this.#options.maxAckPending ?? 256,
      ack_wait: nanos(this.ackWaitMs),
    };
    const config: Partial<ConsumerConfig> = {
      durable_name: sub.consumer,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: `${subjectFor(service, this.#options.namespace)}.>`,
      ...limits,
    };
    let reason: string;
    try {
      const info = await this.#jsm.consumers.add(stream, config);
      if (hasLimits(info.config, limits)) return;
      reason = 'the server kept the durable as it was';
    } catch (error) {
      if (!(error instanceof JetStreamApiError)) throw error;
      reason = error.message;
    }
    // Durables outlive releases (data folders of `npm start` keep theirs): one made with other
    // limits (e.g. the former 30 s ack_wait) is updated in place — its position is kept.
    // Servers >= 2.10 refuse to "create" it with other limits; 2.9 updates it on create.
    try {
      await this.#jsm.consumers.update(stream, sub.consumer, limits);
      this.#logger.info({ stream, consumer: sub.consumer, limits }, 'consumer limits updated');
    } catch (updateError) {
      throw new Error(
        `Cannot create or update consumer '${sub.consumer}' on stream ${stream}: ${reason}; ${(updateError as Error).message}`,
      );
    }
  }

  get ackWaitMs(): number {
    return this.#options.ackWaitMs ?? DEFAULT_ACK_WAIT_MS;
  }

  get namespace(): string | undefined {
    return this.#options.namespace;
  }
}

/**
 * Pulls one durable consumer and runs the handler one message (or one batch) at a time;
 * restarts on failure.
 */
class ConsumeLoop {
  readonly #bus: NatsBus;
  readonly #js: JetStreamClient;
  readonly #stream: string;
  readonly #service: string;
  readonly #sub: ResolvedSubscription;
  readonly #logger: Logger;
  readonly #abort = new AbortController();
  readonly #subjectPrefix: string;
  #messages: ConsumerMessages | undefined;
  #done: Promise<void> = Promise.resolve();
  #stopped: Promise<void> | undefined;
  /** Pulled after stop() began, never handed to the handler: nak'd once the pulls are gone. */
  readonly #leftovers: JsMsg[] = [];

  constructor(
    bus: NatsBus,
    js: JetStreamClient,
    stream: string,
    service: string,
    sub: ResolvedSubscription,
    logger: Logger,
  ) {
    this.#bus = bus;
    this.#js = js;
    this.#stream = stream;
    this.#service = service;
    this.#sub = sub;
    this.#logger = logger.child({ consumer: sub.consumer, stream });
    // Subjects are `<prefix>hub.<type>`: strip the prefix to get the type.
    this.#subjectPrefix = subjectFor('', bus.namespace);
  }

  start(): void {
    this.#done = this.#run();
  }

  /** Ends the loop (pulled messages not yet started are nak'd) after the handler in flight. */
  stop(): Promise<void> {
    this.#stopped ??= this.#stop();
    return this.#stopped;
  }

  async #stop(): Promise<void> {
    this.#abort.abort();
    // Not awaited: the iterator ends only once it runs again, i.e. in #run after the handler.
    if (this.#messages) void endPulls(this.#messages);
    await this.#done;
    await this.#handBack();
  }

  /**
   * Naks what was pulled but not started, so the next subscriber gets it at once rather than
   * after ack_wait. Not before the server has dropped this loop's pull requests: the consume
   * pull (batch of PULL_BATCH, 30 s expiry) is still waiting on the server with a dead inbox,
   * and nats-server 2.9 mishandles a nak'd message when every waiting request is dead — it
   * takes the message off its redelivery queue, finds no live request and "redoes" it by
   * rewinding the consumer's stream cursor (`o.sseq--`), which is only right for a new
   * message: the nak'd message is lost until ack_wait, and an already delivered one is sent
   * again with delivery count 1 (seen as: the next instance got event 3 twice, event 2 never).
   * A consumer INFO makes the server sweep requests without interest first.
   */
  async #handBack(): Promise<void> {
    const leftovers = this.#leftovers.splice(0);
    if (leftovers.length === 0) return;
    // The UNSUB and any last pull request must reach the server before the sweep.
    await this.#bus.flush();
    await this.#bus.dropDeadPullRequests(this.#stream, this.#sub.consumer);
    for (const msg of leftovers) msg.nak();
  }

  get #isStopping(): boolean {
    return this.#abort.signal.aborted || this.#bus.isClosing;
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#isStopping) {
      try {
        // After a failure the consumer may be gone (deleted, stream recreated): recreate it.
        if (failures > 0) await this.#bus.ensureConsumer(this.#service, this.#sub);
        const consumer = await this.#js.consumers.get(this.#stream, this.#sub.consumer);
        // abort_on_missing_resource: end the iterator if the consumer/stream disappears, so
        // this loop recreates it instead of waiting forever.
        const messages = await consumer.consume({
          max_messages: this.#sub.batchHandler ? PULL_BATCH_FOR_BATCHES : PULL_BATCH,
          abort_on_missing_resource: true,
        });
        this.#messages = messages;
        void this.#logNotifications(messages);
        if (this.#isStopping) void endPulls(messages); // stop() came during start-up
        await this.#process(messages, () => {
          failures = 0;
        });
      } catch (error) {
        if (this.#isStopping) break;
        this.#logger.warn({ err: error }, 'consume loop failed: restarting');
      }
      if (this.#isStopping) break;
      failures += 1;
      await sleep(Math.min(250 * 2 ** (failures - 1), MAX_RESTART_DELAY_MS), this.#abort.signal);
    }
  }

  /**
   * Reads messages as they arrive and hands the handler what is waiting: one message when the
   * consumer keeps up, a batch of those that piled up while it was busy (#handleAll). Reads
   * ahead only up to one batch (one message without a batchHandler): a message read is not
   * reported alive until it is handled, and the pulls refill only as messages are read, so a
   * dead process holds no more than that. Ends when the pulls end (stop, or a failure, which
   * it then throws after the messages already read).
   */
  async #process(messages: ConsumerMessages, onHandled: () => void): Promise<void> {
    const readAhead = this.#sub.batchHandler ? MAX_BATCH : 1;
    const waiting: JsMsg[] = [];
    let isEnded = false;
    let failure: { error: unknown } | undefined;
    let wakeWorker: (() => void) | undefined;
    let wakeReader: (() => void) | undefined;
    const reading = (async () => {
      try {
        for await (const msg of messages) {
          // Pulled but not started: handed back by stop() (see #handBack), not here.
          if (this.#isStopping) this.#leftovers.push(msg);
          else waiting.push(msg);
          wakeWorker?.();
          while (waiting.length >= readAhead && !this.#isStopping) {
            await new Promise<void>((resolve) => {
              wakeReader = resolve;
            });
            wakeReader = undefined;
          }
        }
      } catch (error) {
        failure = { error };
      } finally {
        isEnded = true;
        wakeWorker?.();
      }
    })();
    for (;;) {
      if (waiting.length > 0 && this.#isStopping) this.#leftovers.push(...waiting.splice(0));
      if (waiting.length === 0) {
        if (isEnded) break;
        wakeReader?.();
        await new Promise<void>((resolve) => {
          wakeWorker = resolve;
        });
        wakeWorker = undefined;
        continue;
      }
      const batch = waiting.splice(0, MAX_BATCH);
      wakeReader?.(); // read ahead while this batch is handled
      await this.#handleAll(batch);
      onHandled();
    }
    await reading;
    if (failure) throw failure.error;
  }

  /**
   * Handles messages in their order. Runs of first deliveries go to the batch handler together
   * when the subscription has one; a redelivery, a message that is not a valid event, or a batch
   * that failed go one by one through #handle (deliver()), so retries and dead letters are per
   * event as always.
   */
  async #handleAll(msgs: JsMsg[]): Promise<void> {
    let run: { msg: JsMsg; event: EventEnvelope }[] = [];
    for (const msg of msgs) {
      const event = this.#batchable(msg);
      if (event) {
        run.push({ msg, event });
        continue;
      }
      await this.#handleRun(run);
      run = [];
      if (this.#isStopping) this.#leftovers.push(msg);
      else await this.#handle(msg);
    }
    await this.#handleRun(run);
  }

  #batchable(msg: JsMsg): EventEnvelope | undefined {
    if (!this.#sub.batchHandler || msg.info.deliveryCount !== 1) return undefined;
    if (!this.#sub.types.has(this.#typeOf(msg))) return undefined;
    try {
      return parseEvent(msg.string());
    } catch {
      return undefined; // deliver() dead-letters it
    }
  }

  async #handleRun(run: { msg: JsMsg; event: EventEnvelope }[]): Promise<void> {
    if (run.length === 0) return;
    if (this.#isStopping) {
      for (const { msg } of run) this.#leftovers.push(msg);
      return;
    }
    if (run.length > 1) {
      const keepAlive = setInterval(() => {
        for (const { msg } of run) msg.working();
      }, this.#bus.ackWaitMs / 3);
      let outcome: 'ack' | 'singly';
      try {
        outcome = await deliverBatch(
          this.#sub,
          run.map(({ event }) => event),
          { logger: this.#logger },
        );
      } finally {
        clearInterval(keepAlive);
      }
      if (outcome === 'ack') {
        for (const { msg } of run) msg.ack();
        return;
      }
    }
    for (const { msg } of run) {
      if (this.#isStopping) this.#leftovers.push(msg);
      else await this.#handle(msg);
    }
  }

  #typeOf(msg: JsMsg): string {
    // Subjects are `<prefix>hub.<type>`: strip the prefix to get the type.
    return msg.subject.slice(this.#subjectPrefix.length);
  }

  /** What the client notices about its pulls, so a consumer that gets nothing says why. */
  async #logNotifications(messages: ConsumerMessages): Promise<void> {
    try {
      for await (const notification of messages.status()) {
        switch (notification.type) {
          case 'heartbeats_missed':
          case 'consumer_not_found':
          case 'consumer_deleted':
          case 'stream_not_found':
          case 'no_responders':
          case 'exceeded_limits':
            this.#logger.warn({ notification }, `consumer pull: ${notification.type}`);
            break;
          default: // next/heartbeat/discard/debug…: routine
        }
      }
    } catch {
      // the iterator ends with its consume()
    }
  }

  async #handle(msg: JsMsg): Promise<void> {
    const type = this.#typeOf(msg);
    if (!this.#sub.types.has(type)) {
      msg.ack(); // another type of the same service: not for this consumer
      return;
    }
    // A live handler reports progress well within ack_wait (three pings per period, so one
    // late ping does not matter) and is not redelivered; a dead process stops pinging and its
    // message comes back one ack_wait later. The handler deadline ends the pings too.
    const keepAlive = setInterval(() => msg.working(), this.#bus.ackWaitMs / 3);
    let outcome: DeliveryOutcome;
    try {
      outcome = await deliver(this.#sub, msg.string(), msg.info.deliveryCount, {
        logger: this.#logger,
        fallbackId: msg.headers?.get('Nats-Msg-Id') || `${this.#stream}:${msg.seq}`,
        fallbackType: type,
      });
    } catch (error) {
      this.#logger.error({ err: error }, 'delivery failed unexpectedly');
      outcome = { kind: 'retry', delayMs: 0 };
    } finally {
      clearInterval(keepAlive);
    }
    if (outcome.kind === 'ack') msg.ack();
    else if (outcome.kind === 'retry') msg.nak(outcome.delayMs);
    else msg.term();
  }
}

/**
 * Ends a consume(): unsubscribes its inbox but, like a subscription drain, still takes the
 * messages the server sent before it saw the UNSUB (close() alone drops them, leaving them
 * pending until ack_wait). Falls back to close() if the drain fails or the flush hangs.
 */
async function endPulls(messages: ConsumerMessages): Promise<void> {
  // The consume iterator's inbox subscription (PullConsumerMessagesImpl.sub): when it has
  // drained, the iterator ends after the messages already received.
  const sub = (messages as ConsumerMessages & { sub?: NatsSubscription }).sub;
  let timer: NodeJS.Timeout | undefined;
  try {
    if (sub && !sub.isClosed() && !sub.isDraining()) {
      await Promise.race([
        sub.drain(),
        new Promise((resolve) => {
          timer = setTimeout(resolve, 2_000);
        }),
      ]);
    }
  } catch {
    // closed connection or subscription: close() below ends the iterator
  } finally {
    clearTimeout(timer);
    // A drained subscription ends the iterator itself (and must not be unsubscribed again).
    if (!sub?.isClosed()) void messages.close();
  }
}

function hasLimits(config: ConsumerConfig, limits: Partial<ConsumerConfig>): boolean {
  return Object.entries(limits).every(
    ([key, value]) => config[key as keyof ConsumerConfig] === value,
  );
}

function isApiError(error: unknown, code: number): boolean {
  return error instanceof JetStreamApiError && error.code === code;
}

/** A promise that rejects when the connection is lost (never unhandled: nobody may be waiting). */
function lossSignal(): { promise: Promise<never>; lose(): void } {
  let lose = () => {};
  const promise = new Promise<never>((_, reject) => {
    lose = () => reject(new Error('event bus connection lost (NATS)'));
  });
  promise.catch(() => {});
  return { promise, lose };
}
