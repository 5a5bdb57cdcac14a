import { createEvent } from '@hub/event-bus';
import type { Affiliation } from '../generated/prisma/client.js';
import { isoDate } from './dates.js';

/** `members.affiliation.changed` for an affiliation that started or ended (its row as stored). */
export function affiliationChangedEvent(affiliation: Affiliation, change: 'started' | 'ended') {
  return createEvent('members.affiliation.changed', {
    source: 'members',
    subject: affiliation.memberId,
    data: {
      affiliationId: affiliation.id,
      memberId: affiliation.memberId,
      organizationId: affiliation.organizationId,
      role: affiliation.role.toLowerCase() as Lowercase<Affiliation['role']>,
      startsOn: isoDate(affiliation.startsOn),
      endsOn: affiliation.endsOn ? isoDate(affiliation.endsOn) : null,
      change,
    },
  });
}
