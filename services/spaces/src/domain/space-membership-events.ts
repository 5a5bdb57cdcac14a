import { isoDate, SPACE_KINDS, SPACE_MEMBERSHIP_PLANS } from '@hub/contracts';
import type { EventDraft } from '@hub/event-bus';
import type { Space, SpaceMembership } from '../generated/prisma/client.js';

/** The facts of a membership as `spaces.space-membership.*` carry them. */
function membershipFacts(membership: SpaceMembership, space: Space) {
  return {
    membershipId: membership.id,
    memberId: membership.memberId,
    spaceId: space.id,
    spaceKind: SPACE_KINDS.valueOf(space.kind),
    municipalityCode: space.municipalityCode,
    plan: SPACE_MEMBERSHIP_PLANS.valueOf(membership.plan),
    startsOn: isoDate(membership.startsOn),
    endsOn: membership.endsOn ? isoDate(membership.endsOn) : null,
  };
}

export function membershipStartedEvent(
  membership: SpaceMembership,
  space: Space,
): EventDraft<'spaces.space-membership.started'> {
  return {
    type: 'spaces.space-membership.started',
    subject: membership.id,
    data: membershipFacts(membership, space),
  };
}

export function membershipEndedEvent(
  membership: SpaceMembership & { endsOn: Date },
  space: Space,
): EventDraft<'spaces.space-membership.ended'> {
  return {
    type: 'spaces.space-membership.ended',
    subject: membership.id,
    data: { ...membershipFacts(membership, space), endsOn: isoDate(membership.endsOn) },
  };
}
