import type { Logger } from 'pino';
import { pino } from 'pino';
import { type EventType, isEventType, parseEvent } from './catalog.js';
import { type EventEnvelope, ZEventEnvelope } from './envelope.js';

export type EventPublisher = { publish(event: EventEnvelope): Promise<void> };

export type EventHandler = (
  event: EventEnvelope,
  delivery: { deliveryCount: number },
) => Promise<void>;

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
  /** Called once for an event given up on (or one that is not a valid event). */
  onDeadLetter?: DeadLetterHandler;
};

/** One running subscription, as returned by `EventBus.subscribe`. */
export type SubscriptionHandle = {
  /**
   * Stops delivering to this subscription and resolves once its handler in flight (if any) has
   * finished. The consumer's position is kept: a later subscribe with the same consumer name
   * resumes with the events left unhandled. Idempotent; also resolves after `close()`.
   */
  stop(): Promise<void>;
};

export type EventBus = EventPublisher & {
  /** Starts consuming; one subscription per consumer name at a time on a bus. */
  subscribe(sub: Subscription): Promise<SubscriptionHandle>;
  isReady(): Promise<boolean>;
  /** Stops consumers, waits for handlers in flight, then releases the connection. */
  close(): Promise<void>;
  readonly kind: 'nats' | 'in-process';
};

export const DEFAULT_MAX_DELIVER = 5;
export const DEFAULT_BACKOFF_MS = [100, 500, 2000, 5000];

/** Subscription with defaults applied and checked once, shared by both bus implementations. */
export type ResolvedSubscription = {
  consumer: string;
  types: Set<string>;
  handler: EventHandler;
  maxDeliver: number;
  backoffMs: number[];
  onDeadLetter: DeadLetterHandler | undefined;
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
        `Subscription '${sub.consumer}': unknown event type '${type}' (not in the event catalog)`,
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
  return {
    consumer: sub.consumer,
    types: new Set(sub.types),
    handler: sub.handler,
    maxDeliver,
    backoffMs,
    onDeadLetter: sub.onDeadLetter,
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

/**
 * The delivery policy both buses share, so the contract tests pin one behaviour:
 * validate → handler → ack; failure → retry after backoff; after maxDeliver failures →
 * onDeadLetter → term. An invalid message goes straight to dead letter: retrying cannot fix it.
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
  try {
    await sub.handler(event, { deliveryCount });
    return { kind: 'ack' };
  } catch (error) {
    if (deliveryCount >= sub.maxDeliver) {
      logger.error(
        { consumer: sub.consumer, eventId: event.id, type: event.type, deliveryCount, err: error },
        'handler failed on the last delivery: dead-lettering',
      );
      return deadLetter(sub, event, error, deliveryCount, logger);
    }
    const delayMs = backoffFor(sub, deliveryCount);
    logger.warn(
      {
        consumer: sub.consumer,
        eventId: event.id,
        type: event.type,
        deliveryCount,
        delayMs,
        err: error,
      },
      'handler failed: will redeliver',
    );
    return { kind: 'retry', delayMs };
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
  try {
    await sub.onDeadLetter(event, error, deliveryCount);
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
