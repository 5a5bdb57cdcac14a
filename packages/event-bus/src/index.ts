export type {
  BatchHandler,
  DeadLetterHandler,
  Delivery,
  EventBus,
  EventHandler,
  EventPublisher,
  Subscription,
  SubscriptionHandle,
} from './bus.js';
export {
  DEFAULT_BACKOFF_MS,
  DEFAULT_HANDLER_TIMEOUT_MS,
  DEFAULT_MAX_DELIVER,
  HandlerTimeoutError,
} from './bus.js';
export type { CommitContext, Emit, EventDraft } from './commit.js';
export { commit } from './commit.js';
export type {
  DeadLetterEntry,
  EventSubscriptionOptions,
  IdempotentHandlerOptions,
} from './consumer.js';
export {
  deadLetterTo,
  eventSubscription,
  idempotentBatchHandler,
  idempotentHandler,
  recordDeadLetter,
} from './consumer.js';
export type { EventEnvelope } from './envelope.js';
export { serviceOf, ZEventEnvelope } from './envelope.js';
export type { CreateEventInput, EventOf } from './events.js';
export { createEvent, InvalidEventError, isEvent, parseEvent } from './events.js';
export type { InProcessBusOptions } from './in-process-bus.js';
export { createInProcessBus } from './in-process-bus.js';
export type { NatsBusOptions } from './nats-bus.js';
export { connectNatsBus, DEFAULT_ACK_WAIT_MS } from './nats-bus.js';
export type { OutboxRelayOptions } from './outbox.js';
export { OutboxRelay, writeOutbox } from './outbox.js';
export type { ReplayOptions, ReplaySummary } from './replay.js';
export { IncompleteHistoryError, replayStreams } from './replay.js';
export type { Database, SqlClient, TransactionOptions } from './sql.js';
export { streamFor, streamForType, subjectFor } from './subjects.js';
