import { isoDate } from '@hub/contracts';
import type { EventDraft } from '@hub/event-bus';
import type { SatelliteLease } from '../generated/prisma/client.js';

/** The facts of a lease as `spaces.satellite-lease.*` carry them. */
function leaseFacts(lease: SatelliteLease, spaceId: string) {
  return {
    leaseId: lease.id,
    spaceId,
    roomId: lease.roomId,
    tenantOrganizationId: lease.tenantOrganizationId,
    startsOn: isoDate(lease.startsOn),
    endsOn: lease.endsOn ? isoDate(lease.endsOn) : null,
  };
}

export function leaseGrantedEvent(
  lease: SatelliteLease,
  spaceId: string,
): EventDraft<'spaces.satellite-lease.granted'> {
  return {
    type: 'spaces.satellite-lease.granted',
    subject: lease.id,
    data: leaseFacts(lease, spaceId),
  };
}

export function leaseEndedEvent(
  lease: SatelliteLease & { endsOn: Date },
  spaceId: string,
): EventDraft<'spaces.satellite-lease.ended'> {
  return {
    type: 'spaces.satellite-lease.ended',
    subject: lease.id,
    data: { ...leaseFacts(lease, spaceId), endsOn: isoDate(lease.endsOn) },
  };
}
