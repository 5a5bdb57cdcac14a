import { randomUUID } from 'node:crypto';
import type { EventData } from '@hub/contracts';
import { createEvent } from '@hub/event-bus';

// Spaces and members events the place and referral read models are built from, as their
// producers write them. Every id is fresh unless given, so tests never share rows.

export type SpaceFacts = EventData<'spaces.space.registered'>;

export function spaceRegistered(overrides: Partial<SpaceFacts> = {}) {
  const data: SpaceFacts = {
    spaceId: randomUUID(),
    name: '美唄市テレワークセンター',
    kind: 'telework-centre',
    status: 'open',
    municipalityCode: '012157',
    operatorId: randomUUID(),
    latitude: 43.33,
    longitude: 141.85,
    ...overrides,
  };
  return createEvent('spaces.space.registered', { subject: data.spaceId, data });
}

export function spaceUpdated(
  space: SpaceFacts,
  changes: Partial<SpaceFacts>,
  changed: EventData<'spaces.space.updated'>['changed'],
) {
  const data = { ...space, ...changes, changed };
  return createEvent('spaces.space.updated', { subject: space.spaceId, data });
}

export type MembershipFacts = EventData<'spaces.space-membership.started'>;

export function membershipStarted(overrides: Partial<MembershipFacts> = {}) {
  const data: MembershipFacts = {
    membershipId: randomUUID(),
    memberId: randomUUID(),
    spaceId: randomUUID(),
    spaceKind: 'coworking',
    municipalityCode: '012157',
    plan: 'monthly',
    startsOn: '2024-04-01',
    endsOn: null,
    ...overrides,
  };
  return createEvent('spaces.space-membership.started', { subject: data.membershipId, data });
}

export function membershipEnded(started: MembershipFacts, endsOn: string) {
  const data = { ...started, endsOn };
  return createEvent('spaces.space-membership.ended', { subject: data.membershipId, data });
}

export function networkChanged(
  overrides: Partial<EventData<'spaces.space-network.changed'>> & { spaceIds?: string[] } = {},
) {
  const { spaceIds = [randomUUID()], ...rest } = overrides;
  const data: EventData<'spaces.space-network.changed'> = {
    networkId: randomUUID(),
    name: '北海道コワーキングビザ',
    kind: 'visa',
    sites: spaceIds.map((spaceId) => ({
      spaceId,
      freeDaysPerMonth: 2,
      discountPercent: 0,
      noticeDays: 0,
      minimumPlan: 'monthly',
    })),
    ...rest,
  };
  return createEvent('spaces.space-network.changed', { subject: data.networkId, data });
}

export type LeaseFacts = EventData<'spaces.satellite-lease.granted'>;

export function leaseGranted(overrides: Partial<LeaseFacts> = {}) {
  const data: LeaseFacts = {
    leaseId: randomUUID(),
    spaceId: randomUUID(),
    roomId: randomUUID(),
    tenantOrganizationId: randomUUID(),
    startsOn: '2024-04-01',
    endsOn: null,
    ...overrides,
  };
  return createEvent('spaces.satellite-lease.granted', { subject: data.leaseId, data });
}

export function leaseEnded(granted: LeaseFacts, endsOn: string) {
  const data = { ...granted, endsOn };
  return createEvent('spaces.satellite-lease.ended', { subject: data.leaseId, data });
}

export function referralChanged(
  memberId: string,
  referredById: string | null,
  profileVisibility: EventData<'members.referral.changed'>['profileVisibility'] = 'members',
) {
  return createEvent('members.referral.changed', {
    subject: memberId,
    data: { memberId, referredById, profileVisibility },
  });
}
