import { z } from 'zod';
import type { ServiceEvents } from './definition.js';

// Events the events service publishes (gatherings, not domain events in general).

export const ZEventPublished = z.object({
  eventId: z.uuid(),
  title: z.string(),
  kind: z.string(),
  // An instant, with Z or an offset (events are scheduled in JST).
  startsAt: z.iso.datetime({ offset: true }),
  /** Spaces of the venues that took effect; a venue awaiting its operator's say is left out. */
  venueSpaceIds: z.array(z.string()),
});

/**
 * An event will not take place. `reason` is open text (e.g. `venue-declined`: its last venue's
 * operator declined it), so a new reason never makes older consumers reject the event.
 */
export const ZEventCancelled = z.object({
  eventId: z.uuid(),
  reason: z.string().min(1),
});

export const EVENTS_EVENTS = {
  'events.event.published': { version: 1, schema: ZEventPublished },
  'events.event.cancelled': { version: 1, schema: ZEventCancelled },
} as const satisfies ServiceEvents<'events'>;
