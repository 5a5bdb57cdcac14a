import { describe, expect, it } from '@jest/globals';
import { checkEventData, type EventData, type EventType, eventCatalog } from './catalog.js';
import { EVENTS_EVENTS } from './events/events.js';
import { MATCHING_EVENTS } from './events/matching.js';
import { MEMBERS_EVENTS } from './events/members.js';
import { SPACES_EVENTS } from './events/spaces.js';
import { SUPPORT_PROGRAMS_EVENTS } from './events/support-programs.js';

const uuid = '0190a6f2-8c3e-7b1a-9d4f-2a6b8c0d1e2f';

// One valid example of every type: the mapped type makes a new type fail the typecheck here
// until it has one.
const samples: { [K in EventType]: EventData<K> } = {
  'members.member.registered': {
    memberId: uuid,
    displayName: '山田 花子',
    kind: 'founder',
    municipalityCode: null,
    skills: [{ code: 'design', level: 5 }],
  },
  'members.member.profile-updated': {
    memberId: uuid,
    displayName: '佐藤',
    kind: 'teleworker',
    municipalityCode: '012157',
    homeMunicipalityCode: null,
    availableHoursPerWeek: 20,
    skills: [{ code: 'data-entry', level: 3, isVerified: true }],
    profileVisibility: 'members',
    changed: ['availability', 'profileVisibility'],
  },
  'members.member.erased': {
    memberId: uuid,
    erasedAt: '2026-11-21T09:00:00+09:00',
    requestedBy: 'member',
  },
  'members.organization.created': {
    organizationId: uuid,
    name: '美唄市',
    kind: 'municipality',
    municipalityCode: '012157',
  },
  'members.affiliation.changed': {
    affiliationId: uuid,
    memberId: uuid,
    organizationId: uuid,
    role: 'leader',
    startsOn: '2026-04-01',
    endsOn: null,
    change: 'started',
  },
  'members.consent.granted': {
    memberId: uuid,
    recipientOrganizationId: uuid,
    purpose: 'work-matching',
    noticeVersion: '2026-12',
    grantedAt: '2026-12-04T09:00:00.000Z',
  },
  'members.consent.withdrawn': {
    memberId: uuid,
    recipientOrganizationId: uuid,
    purpose: 'work-matching',
    withdrawnAt: '2026-12-05T09:00:00.000Z',
    cause: 'withdrawal',
  },
  'members.referral.changed': {
    memberId: uuid,
    referredById: '0190a6f2-8c3e-7b1a-9d4f-2a6b8c0d1e30',
    profileVisibility: 'members',
  },
  'spaces.space.opened': {
    spaceId: uuid,
    name: 'n',
    kind: 'telework-centre',
    municipalityCode: '011002',
    operatorId: null,
  },
  'spaces.space.registered': {
    spaceId: uuid,
    name: 'Garage labs',
    kind: 'coworking',
    status: 'planned',
    municipalityCode: '011002',
    operatorId: uuid,
    latitude: 43.0621,
    longitude: 141.3544,
  },
  'spaces.space.updated': {
    spaceId: uuid,
    name: 'Garage labs',
    kind: 'coworking',
    status: 'open',
    municipalityCode: '011002',
    operatorId: null,
    latitude: null,
    longitude: null,
    changed: ['operator', 'status', 'hours-exceptions', 'prices'],
  },
  'spaces.space-membership.started': {
    membershipId: uuid,
    memberId: uuid,
    spaceId: uuid,
    spaceKind: 'telework-centre',
    municipalityCode: '202151',
    plan: 'monthly',
    startsOn: '2026-12-01',
    endsOn: null,
  },
  'spaces.space-membership.ended': {
    membershipId: uuid,
    memberId: uuid,
    spaceId: uuid,
    spaceKind: 'telework-centre',
    municipalityCode: '202151',
    plan: 'monthly',
    startsOn: '2026-12-01',
    endsOn: '2027-03-31',
  },
  'spaces.patrol-visit.recorded': {
    visitId: uuid,
    spaceId: uuid,
    supporterId: uuid,
    visitedOn: '2012-08-20',
    needs: ['work', 'funding'],
    publicSummary: null,
    requests: [
      { requestId: uuid, kind: 'consultation', subject: '融資', requesterMemberId: uuid },
      { requestId: uuid, kind: 'expert-dispatch', subject: 'Web', requesterMemberId: null },
    ],
  },
  'spaces.patrol-visit.summary-published': {
    visitId: uuid,
    spaceId: uuid,
    supporterId: uuid,
    visitedOn: '2012-08-20',
    publicSummary: 'Garage labs を訪問しました。',
  },
  'spaces.presence.checked-in': {
    visitId: uuid,
    memberId: uuid,
    spaceId: uuid,
    roomId: null,
    checkedInAt: '2026-12-06T00:30:00.000Z',
    overridden: false,
  },
  'spaces.presence.checked-out': {
    visitId: uuid,
    memberId: uuid,
    spaceId: uuid,
    roomId: uuid,
    checkedInAt: '2026-12-06T00:30:00.000Z',
    checkedOutAt: '2026-12-06T09:00:00.000Z',
    automatic: true,
  },
  'spaces.space-network.changed': {
    networkId: uuid,
    name: '中信3拠点',
    kind: 'visa',
    sites: [
      {
        spaceId: uuid,
        freeDaysPerMonth: 2,
        discountPercent: 0,
        noticeDays: 1,
        minimumPlan: 'monthly',
      },
    ],
  },
  'spaces.satellite-lease.granted': {
    leaseId: uuid,
    spaceId: uuid,
    roomId: uuid,
    tenantOrganizationId: uuid,
    startsOn: '2026-12-01',
    endsOn: null,
  },
  'spaces.satellite-lease.ended': {
    leaseId: uuid,
    spaceId: uuid,
    roomId: uuid,
    tenantOrganizationId: uuid,
    startsOn: '2026-12-01',
    endsOn: '2027-03-31',
  },
  'spaces.pass.redeemed': {
    redemptionId: uuid,
    passId: uuid,
    networkId: uuid,
    memberId: uuid,
    hostSpaceId: uuid,
    date: '2026-12-10',
  },
  'spaces.pass.redemption-cancelled': {
    redemptionId: uuid,
    passId: uuid,
    networkId: uuid,
    memberId: uuid,
    hostSpaceId: uuid,
    date: '2026-12-10',
  },
  'events.event.published': {
    eventId: uuid,
    title: 't',
    kind: 'jelly',
    startsAt: '2025-04-01T19:00:00+09:00',
    venueSpaceIds: [uuid],
  },
  'events.event.cancelled': { eventId: uuid, reason: 'venue-declined' },
  'matching.work-order.posted': { workOrderId: uuid, clientId: uuid, title: 't', category: 'web' },
  'matching.partner-read.recorded': {
    auditEntryId: uuid,
    memberId: uuid,
    apiKeyId: uuid,
    organizationId: uuid,
    fields: ['Worker.displayName', 'Worker.skills'],
    requestId: 'req-1',
    readAt: '2026-12-05T09:00:00.000Z',
  },
  'matching.help-request.opened': {
    helpRequestId: uuid,
    askerId: uuid,
    visibleTo: 'members',
    skills: [{ code: 'web-design', minLevel: 3 }],
    municipalityCode: '202151',
    spaceId: null,
  },
  'matching.introduction.made': {
    introductionId: uuid,
    memberAId: uuid,
    memberBId: uuid,
    introducedById: uuid,
    organizationId: null,
  },
  'matching.work-order.status-changed': {
    workOrderId: uuid,
    rootId: uuid,
    from: 'open',
    to: 'assigning',
    byMemberId: null,
  },
  'matching.work-order.delegated': {
    workOrderId: uuid,
    parentId: uuid,
    rootId: uuid,
    clientId: uuid,
    partnerOrganizationId: uuid,
    volume: 40,
    volumeUnit: 'hours',
    leaderMemberId: uuid,
  },
  'matching.assignment.offered': {
    assignmentId: uuid,
    workOrderId: uuid,
    memberId: uuid,
    role: 'worker',
    allocatedVolume: 10,
  },
  'matching.assignment.accepted': {
    assignmentId: uuid,
    workOrderId: uuid,
    memberId: uuid,
    role: 'worker',
    allocatedVolume: 10,
  },
  'matching.assignment.declined': {
    assignmentId: uuid,
    workOrderId: uuid,
    memberId: uuid,
    role: 'leader',
    allocatedVolume: 10,
  },
  'matching.assignment.completed': {
    assignmentId: uuid,
    workOrderId: uuid,
    memberId: uuid,
    role: 'worker',
    allocatedVolume: 10,
    deliveredVolume: 9,
    rating: 4,
  },
  'matching.assignment.withdrawn': {
    assignmentId: uuid,
    workOrderId: uuid,
    memberId: uuid,
    role: 'worker',
    allocatedVolume: 10,
  },
  'support-programs.program.published': {
    programId: uuid,
    providerId: uuid,
    title: 't',
    kind: 'subsidy',
  },
};

const issuesOf = (type: EventType, data: unknown) => {
  const check = checkEventData(type, data);
  return check.isValid ? [] : check.issues.map(({ path, message }) => `${path}: ${message}`);
};

describe('the event catalog', () => {
  it('holds each service’s events under that service’s name, versioned', () => {
    const modules = {
      members: MEMBERS_EVENTS,
      spaces: SPACES_EVENTS,
      events: EVENTS_EVENTS,
      matching: MATCHING_EVENTS,
      'support-programs': SUPPORT_PROGRAMS_EVENTS,
    };
    for (const [service, events] of Object.entries(modules)) {
      for (const [type, definition] of Object.entries(events)) {
        expect(type).toMatch(new RegExp(`^${service}\\.[a-z-]+\\.[a-z-]+$`));
        expect(Number.isInteger(definition.version) && definition.version > 0).toBe(true);
      }
    }
    const all = Object.values(modules).flatMap((events) => Object.keys(events));
    expect(Object.keys(eventCatalog).sort()).toEqual([...all].sort());
  });

  it.each(Object.keys(samples) as EventType[])('accepts valid data of %s', (type) => {
    expect(checkEventData(type, structuredClone(samples[type]))).toEqual({
      isValid: true,
      data: samples[type],
    });
  });

  it('names every bad field', () => {
    expect(
      issuesOf('members.member.registered', {
        memberId: 'not-a-uuid',
        displayName: 'x',
        kind: 'pirate',
        municipalityCode: null,
        skills: [{ code: 'x', level: 9 }],
      }),
    ).toEqual([
      expect.stringMatching(/^memberId: Invalid UUID/),
      expect.stringMatching(/^kind: /),
      expect.stringMatching(/^skills\.0\.level: Too big/),
    ]);
  });

  it('drops fields the schema does not define', () => {
    const check = checkEventData('matching.work-order.posted', {
      ...samples['matching.work-order.posted'],
      secret: 1,
    });
    expect(check).toEqual({ isValid: true, data: samples['matching.work-order.posted'] });
  });

  it('keeps space facts checkable: a uuid operator, and an update that names what changed', () => {
    const facts = samples['spaces.space.registered'];
    expect(issuesOf('spaces.space.registered', { ...facts, operatorId: 'garage' })).toEqual([
      expect.stringMatching(/^operatorId: /),
    ]);
    expect(issuesOf('spaces.space.registered', { ...facts, status: 'OPEN' })).toEqual([
      expect.stringMatching(/^status: /),
    ]);
    expect(issuesOf('spaces.space.updated', { ...facts, changed: [] })).toEqual([
      expect.stringMatching(/^changed: /),
    ]);
    expect(issuesOf('spaces.space.updated', { ...facts, changed: ['weather'] })).toEqual([
      expect.stringMatching(/^changed\.0: /),
    ]);
    expect(issuesOf('spaces.space.updated', { ...facts, changed: ['operator'] })).toEqual([]);
    expect(issuesOf('spaces.space.updated', { ...facts, changed: ['address', 'hours'] })).toEqual(
      [],
    );
    expect(issuesOf('spaces.space.registered', { ...facts, latitude: '43' })).toEqual([
      expect.stringMatching(/^latitude: /),
    ]);
  });

  it('reads a space event written before it carried a location as nowhere (null)', () => {
    const {
      latitude: _latitude,
      longitude: _longitude,
      ...older
    } = samples['spaces.space.registered'];
    expect(checkEventData('spaces.space.registered', older)).toEqual({
      isValid: true,
      data: { ...older, latitude: null, longitude: null },
    });
  });

  it('keeps network terms and pass days checkable', () => {
    const network = samples['spaces.space-network.changed'];
    expect(
      issuesOf('spaces.space-network.changed', {
        ...network,
        kind: 'VISA',
        sites: [{ ...network.sites[0], minimumPlan: 'MONTHLY' }],
      }),
    ).toEqual([
      expect.stringMatching(/^kind: /),
      expect.stringMatching(/^sites\.0\.minimumPlan: /),
    ]);
    expect(
      issuesOf('spaces.pass.redemption-cancelled', {
        ...samples['spaces.pass.redemption-cancelled'],
        date: '2026-12-1',
      }),
    ).toEqual([expect.stringMatching(/^date: /)]);
    expect(
      issuesOf('spaces.satellite-lease.ended', {
        ...samples['spaces.satellite-lease.ended'],
        endsOn: null,
      }),
    ).toEqual([expect.stringMatching(/^endsOn: /)]);
  });

  it('uses the shared vocabulary: municipality codes with their check digit, Tokyo dates, roles', () => {
    const space = samples['spaces.space.opened'];
    expect(issuesOf('spaces.space.opened', { ...space, municipalityCode: '011003' })).toEqual([
      expect.stringMatching(/^municipalityCode: .*check digit/),
    ]);
    const member = samples['members.member.profile-updated'];
    expect(
      issuesOf('members.member.profile-updated', { ...member, homeMunicipalityCode: '1234' }),
    ).toHaveLength(1);
    const affiliation = samples['members.affiliation.changed'];
    expect(
      issuesOf('members.affiliation.changed', { ...affiliation, startsOn: '2026-4-1' }),
    ).toEqual([expect.stringMatching(/^startsOn: /)]);
    expect(issuesOf('members.affiliation.changed', { ...affiliation, role: 'LEADER' })).toEqual([
      expect.stringMatching(/^role: /),
    ]);
    expect(
      issuesOf('members.member.registered', {
        ...samples['members.member.registered'],
        kind: 'small_business',
      }),
    ).toHaveLength(1);
    // Visibilities as events spell them (members' GraphQL enum says PUBLIC/MEMBERS/STAFF).
    const referral = samples['members.referral.changed'];
    expect(
      issuesOf('members.referral.changed', { ...referral, profileVisibility: 'MEMBERS' }),
    ).toEqual([expect.stringMatching(/^profileVisibility: /)]);
    expect(issuesOf('members.referral.changed', { ...referral, referredById: null })).toEqual([]);
  });
});
