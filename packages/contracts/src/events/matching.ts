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

/** Work order statuses as events name them: the database enum's lower-case, dashed values. */
export const WORK_ORDER_EVENT_STATUSES = [
  'draft',
  'open',
  'assigning',
  'in-progress',
  'delivered',
  'closed',
  'cancelled',
] as const;

/** A work order moved from one status to another (published, assigning, delivered, …). */
export const ZWorkOrderStatusChanged = z.object({
  workOrderId: z.uuid(),
  /** The order at the top of its delegation tree (itself for a client's order). */
  rootId: z.uuid(),
  from: z.enum(WORK_ORDER_EVENT_STATUSES),
  to: z.enum(WORK_ORDER_EVENT_STATUSES),
  /** Member who caused it; null for a change that followed from another (first offer). */
  byMemberId: z.uuid().nullable(),
});

/** A share of an order was delegated to a partner organisation: a child order now exists. */
export const ZWorkOrderDelegated = z.object({
  workOrderId: z.uuid(),
  parentId: z.uuid(),
  rootId: z.uuid(),
  clientId: z.uuid(),
  partnerOrganizationId: z.uuid(),
  volume: z.int().positive(),
  volumeUnit: z.enum(['hours', 'units']),
  leaderMemberId: z.uuid().nullable(),
});

const ZAssignmentBase = z.object({
  assignmentId: z.uuid(),
  workOrderId: z.uuid(),
  memberId: z.uuid(),
  role: z.enum(['worker', 'leader', 'reviewer']),
  allocatedVolume: z.int().positive(),
});

/** A member was offered a share of an order. */
export const ZAssignmentOffered = ZAssignmentBase;
/** The member accepted an offer. */
export const ZAssignmentAccepted = ZAssignmentBase;
/** The member declined an offer: its volume is free again. */
export const ZAssignmentDeclined = ZAssignmentBase;
/** The order was cancelled while the assignment was open: its volume and hours are free. */
export const ZAssignmentWithdrawn = ZAssignmentBase;
/** The work was done: delivered volume and, where given, the rating (1..5). */
export const ZAssignmentCompleted = ZAssignmentBase.extend({
  deliveredVolume: z.int().nonnegative(),
  rating: z.int().min(1).max(5).nullable(),
});

export const MATCHING_EVENTS = {
  'matching.work-order.posted': { version: 1, schema: ZWorkOrderPosted },
  'matching.partner-read.recorded': { version: 1, schema: ZPartnerReadRecorded },
  'matching.help-request.opened': { version: 1, schema: ZHelpRequestOpened },
  'matching.introduction.made': { version: 1, schema: ZIntroductionMade },
  'matching.work-order.status-changed': { version: 1, schema: ZWorkOrderStatusChanged },
  'matching.work-order.delegated': { version: 1, schema: ZWorkOrderDelegated },
  'matching.assignment.offered': { version: 1, schema: ZAssignmentOffered },
  'matching.assignment.accepted': { version: 1, schema: ZAssignmentAccepted },
  'matching.assignment.declined': { version: 1, schema: ZAssignmentDeclined },
  'matching.assignment.completed': { version: 1, schema: ZAssignmentCompleted },
  'matching.assignment.withdrawn': { version: 1, schema: ZAssignmentWithdrawn },
} as const satisfies ServiceEvents<'matching'>;
