export type {
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
export type {
  CreateEventInput,
  EventData,
  EventDefinition,
  EventOf,
  EventType,
} from './catalog.js';
export {
  createEvent,
  eventCatalog,
  InvalidEventError,
  isEvent,
  isEventType,
  parseEvent,
  streamFor,
  streamForType,
  subjectFor,
  ZAffiliationChanged,
  ZConsentGranted,
  ZConsentWithdrawn,
  ZEventCancelled,
  ZEventPublished,
  ZMemberErased,
  ZMemberProfileUpdated,
  ZMemberRegistered,
  ZOrganizationCreated,
  ZPartnerReadRecorded,
  ZProgramPublished,
  ZSpaceOpened,
  ZSpaceRegistered,
  ZSpaceUpdated,
  ZWorkOrderPosted,
} from './catalog.js';
export type {
  DeadLetterEntry,
  EventSubscriptionOptions,
  IdempotentHandlerOptions,
} from './consumer.js';
export {
  deadLetterTo,
  eventSubscription,
  idempotentHandler,
  recordDeadLetter,
} from './consumer.js';
export type { EventEnvelope } from './envelope.js';
export { serviceOf, ZEventEnvelope } from './envelope.js';
export type { InProcessBusOptions } from './in-process-bus.js';
export { createInProcessBus } from './in-process-bus.js';
export type { NatsBusOptions } from './nats-bus.js';
export { connectNatsBus, DEFAULT_ACK_WAIT_MS } from './nats-bus.js';
export type { OutboxRelayOptions } from './outbox.js';
export { OutboxRelay, writeOutbox } from './outbox.js';
export type { Database, SqlClient, TransactionOptions } from './sql.js';
