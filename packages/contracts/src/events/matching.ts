import { z } from 'zod';
import type { ServiceEvents } from './definition.js';

// Events the matching service publishes.

/**
 * A work order took effect: written when the last organisation it names (client, receiving
 * centre) has confirmed — at posting when the poster speaks for both — never for a pending or
 * declined one.
 */
export const ZWorkOrderPosted = z.object({
  workOrderId: z.uuid(),
  clientId: z.uuid(),
  title: z.string(),
  category: z.string(),
});

export const MATCHING_EVENTS = {
  'matching.work-order.posted': { version: 1, schema: ZWorkOrderPosted },
} as const satisfies ServiceEvents<'matching'>;
