import { AFFILIATION_ROLES, isoDate } from '@hub/contracts';
import type { EventDraft } from '@hub/event-bus';
import type { Affiliation } from '../generated/prisma/client.js';

/** `members.affiliation.changed` for an affiliation that started or ended (its row as stored). */
export function affiliationChangedEvent(
  affiliation: Affiliation,
  change: 'started' | 'ended',
): EventDraft {
  return {
    type: 'members.affiliation.changed',
    subject: affiliation.memberId,
    data: {
      affiliationId: affiliation.id,
      memberId: affiliation.memberId,
      organizationId: affiliation.organizationId,
      role: AFFILIATION_ROLES.valueOf(affiliation.role),
      startsOn: isoDate(affiliation.startsOn),
      endsOn: affiliation.endsOn ? isoDate(affiliation.endsOn) : null,
      change,
    },
  };
}
