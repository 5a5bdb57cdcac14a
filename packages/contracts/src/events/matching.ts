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

/**
 * A partner key read personal data of a member in the producing service: the audit entry the
 * members service records in the member's audit log (one per partner key, member and request
 * in that service). Events about the same entry (fields read later in the same request) share
 * `auditEntryId`; the entry holds every field any of them names. Ids and field names only,
 * never the data read.
 */
export const ZPartnerReadRecorded = z.object({
  auditEntryId: z.uuid(),
  memberId: z.uuid(),
  apiKeyId: z.uuid(),
  organizationId: z.uuid(),
  /** Field names as the service's personal-data table names them (e.g. `Worker.skills`). */
  fields: z.array(z.string().min(1).max(200)).min(1).max(200),
  requestId: z.string().max(200).nullable(),
  readAt: z.iso.datetime({ offset: true }),
});

export const MATCHING_EVENTS = {
  'matching.work-order.posted': { version: 1, schema: ZWorkOrderPosted },
  'matching.partner-read.recorded': { version: 1, schema: ZPartnerReadRecorded },
} as const satisfies ServiceEvents<'matching'>;
