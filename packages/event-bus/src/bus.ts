import { type EventType, isEventType } from '@hub/contracts';
import type { Logger } from 'pino';
import { pino } from 'pino';
import { type EventEnvelope, ZEventEnvelope } from './envelope.js';
import { parseEvent } from './events.js';

export type EventPublisher = { publish(event: EventEnvelope): Promise<void> };

/** One attempt at handling an event. */
export type Delivery = {
  /** 1 for the first delivery; counts every attempt, including abandoned ones. */
  deliveryCount: number;
  /**
   * Aborted when the attempt is given up (it ran past `handlerTimeoutMs`): the event will be
   * redelivered, so work still running must not commit. The buses always pass it.
   */
  signal?: AbortSignal;
  /** When the attempt is given up (epoch ms), e.g. for a statement timeout. */
  deadline?: number;
};

export type EventHandler = (event: EventEnvelope, delivery: Delivery) => Promise<void>;

/**
 * Handles several events in their order, all or nothing: every effect lands or none does.
 * `delivery` is the attempt of the whole batch (its deadline covers all of them).
 */
export type BatchHandler = (events: EventEnvelope[], delivery: Delivery) => Promise<void>;

export type DeadLetterHandler = (
  event: EventEnvelope,
  error: unknown,
  deliveryCount: number,
) => Promise<void>;

export type Subscription = {
  /** Durable consumer name, e.g. 'matching-worker-read-model'. Letters, digits, - and _. */
  consumer: string;
  types: EventType[] | string[];
  handler: EventHandler;
  /** Deliveries before giving up on an event (default 5). */
  maxDeliver?: number;
  /** Delay before redelivery n+1 after failed delivery n; the last value repeats. */
  backoffMs?: number[];
  /**
   * Time one attempt (the handler, or onDeadLetter) may take; then it is abandoned — its
   * signal aborted, a warning logged — and the event retried like a failure (default 5 s).
   */
  handlerTimeoutMs?: number;
  /** Called once for an event given up on (or one that is not a valid event). */
  onDeadLetter?: DeadLetterHandler;
  /**
   * Optional. When several events are waiting, a transport may hand their first deliveries to
   * this instead of calling `handler` once each (`eventSubscription` supplies one: the inbox
   * rows and effects of the whole batch in one transaction, one commit instead of many). If the
   * batch fails, each of its events is then delivered to `handler` on its own, so a failing
   * event meets the usual retries and dead letter without holding its neighbours back.
   */
  batchHandler?: BatchHandler;
};

/** One running subscription, as returned by `EventBus.subscribe`. */
export type SubscriptionHandle = {
  /**
   * Stops delivering to this subscription and resolves once its handler in flight (if any) has
   * finished or been abandoned (at most `handlerTimeoutMs`). The consumer's position is kept: a
   * later subscribe with the same consumer name resumes with the events left unhandled.
   * Idempotent; also resolves after `close()`.
   */
  stop(): Promise<void>;
};

export type EventBus = EventPublisher & {
  /** Starts consuming; one subscription per consumer name at a time on a bus. */
  subscribe(sub: Subscription): Promise<SubscriptionHandle>;
  isReady(): Promise<boolean>;
  /**
   * Calls `listener` each time the broker is usable again after an outage (not at the first
   * connect), so work that backed off can resume at once. Returns a function removing it.
   */
  onReady(listener: () => void): () => void;
  /** Stops consumers, waits for handlers in flight, then releases the connection. */
  close(): Promise<void>;
  readonly kind: 'nats' | 'in-process';
};

export const DEFAULT_MAX_DELIVER = 5;
export const DEFAULT_BACKOFF_MS = [100, 500, 2000, 5000];
/**
 * Handlers are one database transaction of a few milliseconds (p99 ≈ 50 ms end to end); 5 s is
 * far beyond a slow one and short enough that a hung one costs little. Kept below half the
 * NATS ack wait, so messages pulled with it do not time out behind one or two hung attempts.
 */
export const DEFAULT_HANDLER_TIMEOUT_MS = 5_000;

/** Subscription with defaults applied and checked once, shared by both bus implementations. */
export type ResolvedSubscription = {
  consumer: string;
  types: Set<string>;
  handler: EventHandler;
  maxDeliver: number;
  backoffMs: number[];
  handlerTimeoutMs: number;
  onDeadLetter: DeadLetterHandler | undefined;
  batchHandler: BatchHandler | undefined;
};

export function resolveSubscription(sub: Subscription): ResolvedSubscription {
  if (!/^[A-Za-z0-9_-]+$/.test(sub.consumer)) {
    throw new Error(
      `Invalid consumer name '${sub.consumer}': use letters, digits, '-' and '_' (it is a NATS durable name)`,
    );
  }
  if (sub.types.length === 0) {
    throw new Error(`Subscription '${sub.consumer}' lists no event types`);
  }
  for (const type of sub.types) {
    // Fail at start-up, not at the first message: every delivery would be dead-lettered.
    if (!isEventType(type)) {
      throw new Error(
        `Subscription '${sub.consumer}': unknown event type '${type}' (not in the @hub/contracts event catalog)`,
      );
    }
  }
  const maxDeliver = sub.maxDeliver ?? DEFAULT_MAX_DELIVER;
  if (!Number.isInteger(maxDeliver) || maxDeliver < 1) {
    throw new Error(`Subscription '${sub.consumer}': maxDeliver must be an integer >= 1`);
  }
  const backoffMs = sub.backoffMs ?? DEFAULT_BACKOFF_MS;
  if (backoffMs.some((ms) => !Number.isFinite(ms) || ms < 0)) {
    throw new Error(`Subscription '${sub.consumer}': backoffMs must be non-negative numbers`);
  }
  const handlerTimeoutMs = sub.handlerTimeoutMs ?? DEFAULT_HANDLER_TIMEOUT_MS;
  if (!Number.isFinite(handlerTimeoutMs) || handlerTimeoutMs <= 0) {
    throw new Error(`Subscription '${sub.consumer}': handlerTimeoutMs must be a positive number`);
  }
  return {
    consumer: sub.consumer,
    types: new Set(sub.types),
    handler: sub.handler,
    maxDeliver,
    backoffMs,
    handlerTimeoutMs,
    onDeadLetter: sub.onDeadLetter,
    batchHandler: sub.batchHandler,
  };
}

export function backoffFor(sub: ResolvedSubscription, deliveryCount: number): number {
  if (sub.backoffMs.length === 0) return 0;
  return sub.backoffMs[Math.min(deliveryCount - 1, sub.backoffMs.length - 1)] ?? 0;
}

/** What the transport should do with a delivery. */
export type DeliveryOutcome =
  | { kind: 'ack' }
  | { kind: 'retry'; delayMs: number }
  /** Stop delivering: dead-lettered, or nothing more can be done. */
  | { kind: 'term' };

/** An attempt given up because it ran past the subscription's handlerTimeoutMs. */
export class HandlerTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`handler did not finish within ${timeoutMs} ms: abandoned`);
    this.name = 'HandlerTimeoutError';
  }
}

/**
 * The delivery policy both buses share, so the contract tests pin one behaviour:
 * validate → handler → ack; failure → retry after backoff; after maxDeliver failures →
 * onDeadLetter → term. An invalid message goes straight to dead letter: retrying cannot fix it.
 * A handler that runs past handlerTimeoutMs counts as failed (HandlerTimeoutError); it is not
 * waited for, so one hung handler cannot stall the consumer.
 *
 * Transports allow one delivery beyond maxDeliver (NATS max_deliver = maxDeliver + 1): it only
 * happens when the last attempt had no outcome (process died, ack timed out, onDeadLetter
 * failed) and is used to record the dead letter without running the handler again.
 */
export async function deliver(
  sub: ResolvedSubscription,
  raw: unknown,
  deliveryCount: number,
  context: { logger: Logger; fallbackId: string; fallbackType: string },
): Promise<DeliveryOutcome> {
  const { logger } = context;
  let event: EventEnvelope;
  try {
    event = parseEvent(raw);
  } catch (error) {
    const salvaged = salvageEnvelope(raw, context);
    logger.error(
      { consumer: sub.consumer, eventId: salvaged.id, type: salvaged.type, err: error },
      'invalid event: dead-lettered without calling the handler',
    );
    return deadLetter(sub, salvaged, error, deliveryCount, logger);
  }
  if (deliveryCount > sub.maxDeliver) {
    const error = new Error(
      `delivery ${deliveryCount} exceeds maxDeliver ${sub.maxDeliver}: the previous attempt had no outcome`,
    );
    return deadLetter(sub, event, error, deliveryCount, logger);
  }
  const fields = { consumer: sub.consumer, eventId: event.id, type: event.type, deliveryCount };
  try {
    await withDeadline(sub, (attempt) => sub.handler(event, { deliveryCount, ...attempt }), {
      logger,
      fields,
    });
    return { kind: 'ack' };
  } catch (error) {
    const isTimeout = error instanceof HandlerTimeoutError;
    const timeout = isTimeout ? { timeoutMs: error.timeoutMs } : {};
    if (deliveryCount >= sub.maxDeliver) {
      logger.error(
        { ...fields, ...timeout, err: error },
        isTimeout
          ? 'handler did not finish in time on the last delivery: dead-lettering'
          : 'handler failed on the last delivery: dead-lettering',
      );
      return deadLetter(sub, event, error, deliveryCount, logger);
    }
    const delayMs = backoffFor(sub, deliveryCount);
    logger.warn(
      { ...fields, ...timeout, delayMs, err: error },
      isTimeout
        ? 'handler did not finish in time: abandoned, will redeliver'
        : 'handler failed: will redeliver',
    );
    return { kind: 'retry', delayMs };
  }
}

/**
 * First deliveries of several events, handed to the subscription's batchHandler together
 * (in their order, under one deadline). 'ack' acknowledges all of them; 'singly' means the
 * batch rolled back — a failure, the deadline, a lock conflict — and the transport delivers each
 * event again on its own with deliver(). That failed batch is not counted as an attempt of its
 * events: nothing of it committed, and the single deliveries decide each event's fate.
 */
export async function deliverBatch(
  sub: ResolvedSubscription,
  events: EventEnvelope[],
  context: { logger: Logger },
): Promise<'ack' | 'singly'> {
  const { batchHandler } = sub;
  if (!batchHandler || events.length === 0) return 'singly';
  const fields = { consumer: sub.consumer, events: events.length, firstEventId: events[0]?.id };
  try {
    await withDeadline(sub, (attempt) => batchHandler(events, { deliveryCount: 1, ...attempt }), {
      logger: context.logger,
      fields,
    });
    return 'ack';
  } catch (error) {
    context.logger.info(
      { ...fields, err: error },
      'batch failed: delivering its events one by one',
    );
    return 'singly';
  }
}

/**
 * Runs one attempt with the subscription's deadline: rejects with HandlerTimeoutError when it
 * is due, and aborts the attempt's signal so its work does not commit after the event was
 * given up. The abandoned promise is left to settle on its own (logged, never awaited).
 */
async function withDeadline(
  sub: ResolvedSubscription,
  run: (attempt: { signal: AbortSignal; deadline: number }) => Promise<void>,
  context: { logger: Logger; fields: Record<string, unknown> },
): Promise<void> {
  const controller = new AbortController();
  const startedAt = Date.now();
  const attempt = run({ signal: controller.signal, deadline: startedAt + sub.handlerTimeoutMs });
  let timer: NodeJS.Timeout | undefined;
  const isDue = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new HandlerTimeoutError(sub.handlerTimeoutMs);
      controller.abort(error);
      reject(error);
    }, sub.handlerTimeoutMs);
  });
  // Whatever the abandoned attempt does later is only logged (and never an unhandled rejection).
  attempt.then(
    () => {
      if (controller.signal.aborted) settledLate(undefined);
    },
    (error: unknown) => {
      if (controller.signal.aborted) settledLate(error);
    },
  );
  function settledLate(error: unknown) {
    const fields = { ...context.fields, durationMs: Date.now() - startedAt };
    if (error === undefined) {
      // Its work stands (e.g. its COMMIT was already sent): the inbox makes the redelivery a no-op.
      context.logger.warn(fields, 'abandoned attempt completed after its deadline');
    } else {
      context.logger.info({ ...fields, err: error }, 'abandoned attempt ended');
    }
  }
  try {
    await Promise.race([attempt, isDue]);
  } finally {
    clearTimeout(timer);
  }
}

async function deadLetter(
  sub: ResolvedSubscription,
  event: EventEnvelope,
  error: unknown,
  deliveryCount: number,
  logger: Logger,
): Promise<DeliveryOutcome> {
  if (!sub.onDeadLetter) {
    logger.error(
      { consumer: sub.consumer, eventId: event.id, type: event.type, deliveryCount, err: error },
      'dead letter (no onDeadLetter configured): event dropped',
    );
    return { kind: 'term' };
  }
  const onDeadLetter = sub.onDeadLetter;
  try {
    // Bounded like a handler: a dead letter that cannot be written must not stall the consumer.
    await withDeadline(sub, () => onDeadLetter(event, error, deliveryCount), {
      logger,
      fields: { consumer: sub.consumer, eventId: event.id, type: event.type, deliveryCount },
    });
    return { kind: 'term' };
  } catch (dlqError) {
    logger.error(
      { consumer: sub.consumer, eventId: event.id, type: event.type, deliveryCount, err: dlqError },
      'onDeadLetter failed',
    );
    // The spare delivery (maxDeliver + 1) retries recording the dead letter; then give up loudly.
    if (deliveryCount > sub.maxDeliver) return { kind: 'term' };
    return { kind: 'retry', delayMs: backoffFor(sub, deliveryCount) };
  }
}

/** Best-effort envelope for a message that failed validation, so it can be dead-lettered. */
function salvageEnvelope(
  raw: unknown,
  context: { fallbackId: string; fallbackType: string },
): EventEnvelope {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      // keep the text: operators need to see what arrived
    }
  }
  const envelope = ZEventEnvelope.safeParse(value);
  if (envelope.success) return envelope.data;
  const fields =
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const text = (key: string, fallback: string) =>
    typeof fields[key] === 'string' && fields[key] !== '' ? (fields[key] as string) : fallback;
  return {
    id: text('id', context.fallbackId),
    type: text('type', context.fallbackType),
    version: typeof fields.version === 'number' ? fields.version : 0,
    occurredAt: text('occurredAt', new Date().toISOString()),
    source: text('source', 'unknown'),
    subject: text('subject', 'unknown'),
    // The whole message as received: it is what operators need to inspect.
    data: value,
  };
}

export function defaultLogger(): Logger {
  return pino({ name: '@hub/event-bus', level: 'info' });
}

/** Resolves after `ms`, or early when `signal` aborts. Never rejects. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
