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

/**
 * A member asked for help: what they want to try and the skills they need (codes and minimum
 * levels). Who may read the request is the asker's choice (`visibleTo`); ids and codes only,
 * the title and description stay in matching.
 */
export const ZHelpRequestOpened = z.object({
  helpRequestId: z.uuid(),
  askerId: z.uuid(),
  /** As events spell enum values (kebab-case); the schema says ASKER_AND_ADMINS / MEMBERS. */
  visibleTo: z.enum(['asker-and-admins', 'members']),
  skills: z.array(z.object({ code: z.string().min(1), minLevel: z.int().min(1).max(5) })),
  municipalityCode: z.string().nullable(),
  spaceId: z.uuid().nullable(),
});

/**
 * Someone (a space operator's staff, a coordinator, a hub admin) introduced two members to
 * each other. Ids only: the note stays in matching, readable by the two members and the
 * introducer.
 */
export const ZIntroductionMade = z.object({
  introductionId: z.uuid(),
  memberAId: z.uuid(),
  memberBId: z.uuid(),
  introducedById: z.uuid(),
  organizationId: z.uuid().nullable(),
});

export const MATCHING_EVENTS = {
  'matching.work-order.posted': { version: 1, schema: ZWorkOrderPosted },
  'matching.partner-read.recorded': { version: 1, schema: ZPartnerReadRecorded },
  'matching.help-request.opened': { version: 1, schema: ZHelpRequestOpened },
  'matching.introduction.made': { version: 1, schema: ZIntroductionMade },
} as const satisfies ServiceEvents<'matching'>;
