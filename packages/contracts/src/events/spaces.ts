import { z } from 'zod';
import { ZMunicipalityCode } from '../vocabulary/municipality-code.js';
import { ZPatrolNeed, ZPatrolRequestKind } from '../vocabulary/patrol-visits.js';
import { ZSpaceKind, ZSpaceStatus } from '../vocabulary/space-kinds.js';
import { ZSpaceMembershipPlan } from '../vocabulary/space-membership-plans.js';
import { ZSpaceNetworkKind } from '../vocabulary/space-network-kinds.js';
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
  /**
   * Where it is (WGS 84), for proximity; null when not recorded. Events written before these
   * fields existed read as null.
   */
  latitude: z.number().nullable().default(null),
  longitude: z.number().nullable().default(null),
});

/** A space was created, whatever its status (`space.opened` follows when it is open). */
export const ZSpaceRegistered = ZSpaceFacts;

/**
 * What changed in a space, one value per group of its facts. The first five are facts
 * `ZSpaceFacts` carries; the others tell caches and read models that something they show about
 * the space (hours, prices …) changed, so they refetch it. Values are only ever added: a
 * consumer ignores the ones it does not keep.
 */
export const SPACE_CHANGES = [
  'name',
  'kind',
  'status',
  'municipality',
  'operator',
  /** nameKana, nameEn */
  'other-names',
  /** latitude, longitude */
  'location',
  /** postal code, town, address line, building */
  'address',
  'facilities',
  'capacity',
  /** admission policy */
  'admission',
  /** drop-in and monthly prices */
  'prices',
  /** weekly hours and whether it closes on public holidays */
  'hours',
  /** dates with other hours or closed */
  'hours-exceptions',
  /** description, descriptionEn */
  'description',
  'house-rules',
  /** website and phone */
  'contact',
  'links',
  'photos',
  'opened-on',
] as const;
export const ZSpaceChange = z.enum(SPACE_CHANGES);

/** A space changed; written only when something did, with every fact (not only the changed). */
export const ZSpaceUpdated = ZSpaceFacts.extend({
  /** Which of the space's facts changed. */
  changed: z.array(ZSpaceChange).min(1),
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

/**
 * A network of spaces as it now is, after any change (created, renamed, a space's terms added,
 * changed or removed): every member space with its terms, so a consumer is right with the
 * newest event alone. A member of any listed space on at least `minimumPlan` is welcome at
 * each host for `freeDaysPerMonth` days a month.
 */
export const ZSpaceNetworkChanged = z.object({
  networkId: z.uuid(),
  name: z.string(),
  kind: ZSpaceNetworkKind,
  sites: z.array(
    z.object({
      spaceId: z.uuid(),
      freeDaysPerMonth: z.number().int().min(0),
      discountPercent: z.number().int().min(0).max(100),
      noticeDays: z.number().int().min(0),
      minimumPlan: ZSpaceMembershipPlan,
    }),
  ),
});

/** A satellite-office room is let to a tenant organisation for a period (Tokyo days). */
const ZSatelliteLeaseFacts = z.object({
  leaseId: z.uuid(),
  spaceId: z.uuid(),
  roomId: z.uuid(),
  /** Organization (members service) whose people may use the room. */
  tenantOrganizationId: z.uuid(),
  startsOn: ZTokyoDate,
  /** The last day (inclusive); null while open-ended. */
  endsOn: ZTokyoDate.nullable(),
});

export const ZSatelliteLeaseGranted = ZSatelliteLeaseFacts;

/** A lease was ended early: `endsOn` is now its last day. */
export const ZSatelliteLeaseEnded = ZSatelliteLeaseFacts.extend({ endsOn: ZTokyoDate });

/** A pass was used for a day at a host space: ids and the day only. */
const ZPassRedemptionFacts = z.object({
  redemptionId: z.uuid(),
  passId: z.uuid(),
  networkId: z.uuid(),
  memberId: z.uuid(),
  hostSpaceId: z.uuid(),
  date: ZTokyoDate,
});

export const ZPassRedeemed = ZPassRedemptionFacts;

/** A redemption was cancelled: the day counts no more against the month's free days. */
export const ZPassRedemptionCancelled = ZPassRedemptionFacts;

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
  'spaces.space-network.changed': { version: 1, schema: ZSpaceNetworkChanged },
  'spaces.satellite-lease.granted': { version: 1, schema: ZSatelliteLeaseGranted },
  'spaces.satellite-lease.ended': { version: 1, schema: ZSatelliteLeaseEnded },
  'spaces.pass.redeemed': { version: 1, schema: ZPassRedeemed },
  'spaces.pass.redemption-cancelled': { version: 1, schema: ZPassRedemptionCancelled },
} as const satisfies ServiceEvents<'spaces'>;
