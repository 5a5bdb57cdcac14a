import type { z } from 'zod';
import type { EventDefinition } from './events/definition.js';
import { EVENTS_EVENTS } from './events/events.js';
import { MATCHING_EVENTS } from './events/matching.js';
import { MEMBERS_EVENTS } from './events/members.js';
import { SPACES_EVENTS } from './events/spaces.js';
import { SUPPORT_PROGRAMS_EVENTS } from './events/support-programs.js';

/**
 * Every event type of the hub, each defined once in the module of the service that produces
 * it. The event bus builds and checks envelopes against this catalog: a producer's data before
 * it reaches the outbox, a consumer's delivery before its handler runs.
 */
export const eventCatalog = {
  ...MEMBERS_EVENTS,
  ...SPACES_EVENTS,
  ...EVENTS_EVENTS,
  ...MATCHING_EVENTS,
  ...SUPPORT_PROGRAMS_EVENTS,
} as const satisfies Record<string, EventDefinition>;

export type EventType = keyof typeof eventCatalog;
export type EventData<K extends EventType> = z.infer<(typeof eventCatalog)[K]['schema']>;

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventCatalog, type);
}

/** A problem with an event's data: `path` is the field (`skills.0.level`), empty for the whole. */
export type EventDataIssue = { path: string; message: string };

export type EventDataCheck<K extends EventType> =
  | { isValid: true; data: EventData<K> }
  | { isValid: false; issues: EventDataIssue[] };

/** Checks `data` against its type's schema; fields the schema does not define are dropped. */
export function checkEventData<K extends EventType>(type: K, data: unknown): EventDataCheck<K> {
  const result = eventCatalog[type].schema.safeParse(data);
  if (result.success) return { isValid: true, data: result.data as EventData<K> };
  return {
    isValid: false,
    issues: result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    })),
  };
}
