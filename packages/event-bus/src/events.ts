import {
  checkEventData,
  type EventData,
  type EventType,
  eventCatalog,
  isEventType,
} from '@hub/contracts';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import { type EventEnvelope, serviceOf, ZEventEnvelope } from './envelope.js';

// The transport's side of the contracts (@hub/contracts): every event type, its version and
// the schema of its data are defined there; here they become envelopes. Producers build events
// with createEvent (checked before they reach the outbox); consumers get them through
// parseEvent (checked again, since the producer may run a different build).

/** A parsed event of one known type. */
export type EventOf<K extends EventType> = EventEnvelope<EventData<K>> & { type: K };

/** Thrown when an event does not match the envelope or its type's contract. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
  readonly issues: string[];

  constructor(message: string, issues: string[] = []) {
    super(issues.length > 0 ? `${message}: ${issues.join('; ')}` : message);
    this.issues = issues;
  }
}

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}

function knownType(type: string): EventType {
  if (!isEventType(type)) {
    throw new InvalidEventError(
      `Unknown event type '${type}': it is not in the @hub/contracts event catalog`,
    );
  }
  return type;
}

/** The data checked against its type's contract; issues are named from the envelope (`data.…`). */
function checkedData<K extends EventType>(type: K, data: unknown, label: string): EventData<K> {
  const check = checkEventData(type, data);
  if (!check.isValid) {
    throw new InvalidEventError(
      label,
      check.issues.map(({ path, message }) => `${path ? `data.${path}` : 'data'}: ${message}`),
    );
  }
  return check.data;
}

/** What a producer says about a new event; the rest of the envelope follows from its type. */
export type CreateEventInput<K extends EventType> = {
  /** Id of the aggregate the event is about. */
  subject: string;
  data: EventData<K>;
};

/**
 * Builds a new event (fresh UUID v7, now as occurredAt, `source` the service that owns the
 * type); throws InvalidEventError on data its contract refuses. Services write events through
 * `commit`; this is for it, and for tests that play another service.
 */
export function createEvent<K extends EventType>(
  type: K,
  input: CreateEventInput<K>,
): EventEnvelope<EventData<K>> {
  const known = knownType(type) as K;
  const event: EventEnvelope<EventData<K>> = {
    id: uuidv7(),
    type: known,
    version: eventCatalog[known].version,
    occurredAt: new Date().toISOString(),
    source: serviceOf(known),
    subject: input.subject,
    data: checkedData(known, input.data, `Invalid data for event '${type}'`),
  };
  const envelope = ZEventEnvelope.safeParse(event);
  if (!envelope.success) {
    throw new InvalidEventError(
      `Invalid envelope for event '${type}'`,
      describeIssues(envelope.error),
    );
  }
  return event;
}

/**
 * Validates a received event: envelope, known type, matching version and data contract.
 * Accepts the decoded object or its JSON text. Throws InvalidEventError with every problem.
 */
export function parseEvent(raw: unknown): EventEnvelope {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new InvalidEventError('Invalid event: payload is not JSON');
    }
  }
  const envelope = ZEventEnvelope.safeParse(value);
  if (!envelope.success) {
    const type = (value as { type?: unknown } | null)?.type;
    const label = typeof type === 'string' ? ` '${type}'` : '';
    throw new InvalidEventError(`Invalid event envelope${label}`, describeIssues(envelope.error));
  }
  const { version, id } = envelope.data;
  const type = knownType(envelope.data.type);
  const known = eventCatalog[type].version;
  if (version !== known) {
    throw new InvalidEventError(
      `Unsupported version ${version} of event '${type}' (id ${id}): this build knows version ${known}`,
    );
  }
  const data = checkedData(type, envelope.data.data, `Invalid data for event '${type}' (id ${id})`);
  return { ...envelope.data, data };
}

/** Narrows a parsed event to one type, so handlers get typed `data`. */
export function isEvent<K extends EventType>(event: EventEnvelope, type: K): event is EventOf<K> {
  return event.type === type;
}
