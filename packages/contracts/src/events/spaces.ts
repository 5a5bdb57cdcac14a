import { z } from 'zod';
import { ZMunicipalityCode } from '../vocabulary/municipality-code.js';
import { ZPatrolNeed, ZPatrolRequestKind } from '../vocabulary/patrol-visits.js';
import { ZSpaceKind, ZSpaceStatus } from '../vocabulary/space-kinds.js';
import { ZSpaceMembershipPlan } from '../vocabulary/space-membership-plans.js';
import { ZTokyoDate } from '../vocabulary/tokyo-dates.js';
import type { ServiceEvents } from './definition.js';

// Events the spaces service publishes.

/** A space is open to its users: created as open, or moved to open later (opened, reopened). */
export const ZSpaceOpened = z.object({
  spaceId: z.uuid(),
  name: z.string(),
  kind: ZSpaceKind,
  municipalityCode: ZMunicipalityCode,
  operatorId: z.string().nullable(),
});

/**
 * What other services keep about a space: every fact, so the newest event is the whole truth
 * and a consumer never needs an older one. Who operates it decides whose say a venue there
 * needs (docs/authorization.md, "Links that name another organisation").
 */
const ZSpaceFacts = z.object({
  spaceId: z.uuid(),
  name: z.string(),
  kind: ZSpaceKind,
  status: ZSpaceStatus,
  municipalityCode: ZMunicipalityCode,
  /** Organization (members service) running the space; null when none does. */
  operatorId: z.uuid().nullable(),
});

/** A space was created, whatever its status (`space.opened` follows when it is open). */
export const ZSpaceRegistered = ZSpaceFacts;

/** Facts of `ZSpaceRegistered` changed; written only when one of them did. */
export const ZSpaceUpdated = ZSpaceFacts.extend({
  /** Which of the facts changed. */
  changed: z.array(z.enum(['name', 'kind', 'status', 'municipality', 'operator'])).min(1),
});

/**
 * A member's membership of a space (their home space): who, where, on which plan, from and to
 * which Tokyo day. Matching keeps them for proximity and satellite-office access, so the
 * space's municipality and kind travel with it.
 */
const ZSpaceMembershipFacts = z.object({
  membershipId: z.uuid(),
  memberId: z.uuid(),
  spaceId: z.uuid(),
  spaceKind: ZSpaceKind,
  municipalityCode: ZMunicipalityCode,
  plan: ZSpaceMembershipPlan,
  startsOn: ZTokyoDate,
  /** The last day it counts (inclusive); null while open-ended. */
  endsOn: ZTokyoDate.nullable(),
});

/** A membership was recorded (it may start on a later day: `startsOn`). */
export const ZSpaceMembershipStarted = ZSpaceMembershipFacts;

/** A membership was ended: `endsOn` is now its last day. */
export const ZSpaceMembershipEnded = ZSpaceMembershipFacts.extend({ endsOn: ZTokyoDate });

/**
 * A supporter recorded a patrol visit to a space. Each request carries its own id: the
 * support-programs service turns each into exactly one consultation (or expert dispatch), so a
 * redelivery never makes a second one. `requesterMemberId` is null for a coworker who was not
 * named; it is personal data, for the consumers that act on the request only.
 */
export const ZPatrolVisitRecorded = z.object({
  visitId: z.uuid(),
  spaceId: z.uuid(),
  /** Organization (members service) whose staff visited. */
  supporterId: z.uuid(),
  visitedOn: ZTokyoDate,
  needs: z.array(ZPatrolNeed),
  /**
   * The public summary when it took effect at once (a hub-feed item); null when there is none
   * or it awaits the space operator's confirmation (then `patrol-visit.summary-published`
   * follows if it is confirmed).
   */
  publicSummary: z.string().nullable(),
  requests: z.array(
    z.object({
      requestId: z.uuid(),
      kind: ZPatrolRequestKind,
      subject: z.string().min(1),
      requesterMemberId: z.uuid().nullable(),
    }),
  ),
});

/** A patrol visit's public summary took effect later: the space's operator confirmed it. */
export const ZPatrolVisitSummaryPublished = z.object({
  visitId: z.uuid(),
  spaceId: z.uuid(),
  supporterId: z.uuid(),
  visitedOn: ZTokyoDate,
  publicSummary: z.string().min(1),
});

/**
 * A member entered a space (its common area, or a room): the entry record. `overridden` when
 * staff let them in although canEnter or the capacity said no. Personal data: only the member's
 * and the space's own consumers read it; figures count these, never name them.
 */
export const ZPresenceCheckedIn = z.object({
  visitId: z.uuid(),
  memberId: z.uuid(),
  spaceId: z.uuid(),
  roomId: z.uuid().nullable(),
  checkedInAt: z.iso.datetime({ offset: true }),
  overridden: z.boolean(),
});

/** A member left a space; `automatic` when the closing-time job checked them out. */
export const ZPresenceCheckedOut = z.object({
  visitId: z.uuid(),
  memberId: z.uuid(),
  spaceId: z.uuid(),
  roomId: z.uuid().nullable(),
  checkedInAt: z.iso.datetime({ offset: true }),
  checkedOutAt: z.iso.datetime({ offset: true }),
  automatic: z.boolean(),
});

export const SPACES_EVENTS = {
  'spaces.space.opened': { version: 1, schema: ZSpaceOpened },
  'spaces.space.registered': { version: 1, schema: ZSpaceRegistered },
  'spaces.space.updated': { version: 1, schema: ZSpaceUpdated },
  'spaces.space-membership.started': { version: 1, schema: ZSpaceMembershipStarted },
  'spaces.space-membership.ended': { version: 1, schema: ZSpaceMembershipEnded },
  'spaces.patrol-visit.recorded': { version: 1, schema: ZPatrolVisitRecorded },
  'spaces.patrol-visit.summary-published': { version: 1, schema: ZPatrolVisitSummaryPublished },
  'spaces.presence.checked-in': { version: 1, schema: ZPresenceCheckedIn },
  'spaces.presence.checked-out': { version: 1, schema: ZPresenceCheckedOut },
} as const satisfies ServiceEvents<'spaces'>;
