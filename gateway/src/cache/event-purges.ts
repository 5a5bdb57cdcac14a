import type { EventType } from '@hub/contracts';

/** Purge every cached answer, whatever it selects. */
export const PURGE_ALL = '*';

/**
 * Which cached answers a domain event makes stale, by the GraphQL entity types they select
 * (selected-types.ts). Type-wide rather than per id: an event can also change which entities a
 * list holds (a registered space, a space moved to another municipality), and a per-id tag
 * cannot find the lists an entity is about to join. Writes are rare next to reads, so dropping
 * every answer about spaces when one space changes costs little.
 *
 * Effects across services are listed too: the events service keeps space operators from the
 * space events (an event's venue and a space's upcoming events), matching keeps workers from the
 * members events. `satisfies Record<EventType, …>` makes a new event type in @hub/contracts a
 * compile error here until it is given its purge; an event of a type unknown at run time (a
 * newer producer) purges everything.
 */
export const EVENT_PURGES = {
  'spaces.space.registered': ['Space', 'Event', 'EventVenue'],
  'spaces.space.updated': ['Space', 'Event', 'EventVenue'],
  'spaces.space.opened': ['Space', 'Event', 'EventVenue'],
  // Memberships are never answered to anonymous callers (the only ones cached); listed so a
  // future public count of members per space is purged with them.
  'spaces.space-membership.started': ['SpaceMembership', 'Member'],
  'spaces.space-membership.ended': ['SpaceMembership', 'Member'],
  // A new visit joins its space's and its supporter's lists (only public summaries are cached).
  'spaces.patrol-visit.recorded': ['PatrolVisit'],
  'spaces.patrol-visit.summary-published': ['PatrolVisit'],
  // Occupancy is never answered to anonymous callers (the only ones cached); listed so a
  // future public occupancy is purged when people come and go.
  'spaces.presence.checked-in': ['Visit', 'Space', 'Room'],
  'spaces.presence.checked-out': ['Visit', 'Space', 'Room'],
  // A network's terms show on the network and on each member space (Space.networks); a space
  // that left it is in the answer cached before, so every space answer goes.
  'spaces.space-network.changed': ['SpaceNetwork', 'SpaceNetworkTerms', 'Space'],
  'spaces.satellite-lease.granted': ['SatelliteLease', 'Room'],
  'spaces.satellite-lease.ended': ['SatelliteLease', 'Room'],
  // Passes are never answered to anonymous callers (the only ones cached); listed so a future
  // public count of days used is purged with them.
  'spaces.pass.redeemed': ['Pass', 'PassRedemption'],
  'spaces.pass.redemption-cancelled': ['Pass', 'PassRedemption'],
  'events.event.published': ['Event', 'EventVenue'],
  'events.event.cancelled': ['Event', 'EventVenue'],
  'matching.work-order.posted': ['WorkOrder'],
  'matching.partner-read.recorded': ['AuditLogEntry'],
  // Help requests and introductions are never answered to anonymous callers (the only ones
  // cached); listed so the lists they join are purged if that ever changes.
  'matching.help-request.opened': ['HelpRequest', 'Member'],
  'matching.introduction.made': ['Introduction', 'Member'],
  // A status, a new child order, or an assignment changes the order's figures (status,
  // remainingVolume, openRoles); assignments themselves are never answered to anonymous callers.
  'matching.work-order.status-changed': ['WorkOrder'],
  'matching.work-order.delegated': ['WorkOrder'],
  'matching.assignment.offered': ['Assignment', 'WorkOrder'],
  'matching.assignment.accepted': ['Assignment', 'WorkOrder'],
  'matching.assignment.declined': ['Assignment', 'WorkOrder'],
  'matching.assignment.completed': ['Assignment', 'WorkOrder'],
  'matching.assignment.withdrawn': ['Assignment', 'WorkOrder'],
  'members.member.registered': ['Member', 'Worker'],
  'members.member.profile-updated': ['Member', 'Worker', 'MemberSkill', 'WorkerSkill', 'Skill'],
  // An erased member's data must leave every answer at once, whichever type carried it.
  'members.member.erased': [PURGE_ALL],
  'members.organization.created': ['Organization'],
  'members.affiliation.changed': ['Affiliation', 'Member', 'Organization', 'Worker'],
  'members.consent.granted': ['Consent', 'Member', 'Worker'],
  'members.consent.withdrawn': ['Consent', 'Member', 'Worker'],
  // Who referred whom, and who may see it: Member.referrals / referredBy and trust distances.
  'members.referral.changed': ['Member'],
  'support-programs.program.published': ['Program'],
} as const satisfies Record<EventType, readonly string[]>;

/** The entity types to purge for an event type, or PURGE_ALL. */
export function purgeOf(eventType: string): readonly string[] {
  return Object.hasOwn(EVENT_PURGES, eventType)
    ? EVENT_PURGES[eventType as EventType]
    : [PURGE_ALL];
}

/** Every event type of the catalog: what a forwarder of events to the cache subscribes to. */
export const CACHE_PURGING_EVENT_TYPES = Object.keys(EVENT_PURGES) as EventType[];
