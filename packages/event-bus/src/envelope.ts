import { z } from 'zod';

/** A domain event as it travels between services (DESIGN.md §5). */
export type EventEnvelope<TData = unknown> = {
  /** UUID v7: unique, time-ordered; also the broker's dedup key and the inbox key. */
  id: string;
  /** `<service>.<aggregate>.<event>`, e.g. `members.member.registered`. */
  type: string;
  /** Schema version of `data` for this type. */
  version: number;
  /** ISO-8601 UTC instant at which the fact happened. */
  occurredAt: string;
  /** Name of the service that emitted the event. */
  source: string;
  /** Id of the aggregate the event is about. */
  subject: string;
  data: TData;
};

/** Lower-case words separated by dashes: safe in NATS subjects and stream names. */
export const ZName = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, {
  message: 'must be lower-case letters, digits and single dashes (e.g. "support-programs")',
});

export const ZEventType = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*){2}$/, {
    message: 'must look like "<service>.<aggregate>.<event>" (lower-case, dashes allowed)',
  });

/** The envelope without looking at `data`; data is checked against the catalog separately. */
export const ZEventEnvelope = z.object({
  id: z.uuid(),
  type: ZEventType,
  version: z.int().positive(),
  occurredAt: z.iso.datetime(),
  source: z.string().min(1),
  subject: z.string().min(1),
  data: z.unknown(),
});

/** The service (first segment) of an event type: it names the stream the event lives in. */
export function serviceOf(type: string): string {
  const dot = type.indexOf('.');
  return dot === -1 ? type : type.slice(0, dot);
}
