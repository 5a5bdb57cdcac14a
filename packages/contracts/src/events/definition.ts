import type { z } from 'zod';

/** One event type: the version of its data and the zod schema of that version. */
export type EventDefinition = { version: number; schema: z.ZodType };

/**
 * The events one service produces. Every type is `<service>.<aggregate>.<event>` with the
 * producing service first: that names the stream and the envelope's `source`.
 */
export type ServiceEvents<Service extends string> = Record<
  `${Service}.${string}.${string}`,
  EventDefinition
>;
