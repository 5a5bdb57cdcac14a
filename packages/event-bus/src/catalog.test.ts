import { describe, expect, it } from '@jest/globals';
import {
  createEvent,
  type EventType,
  eventCatalog,
  InvalidEventError,
  isEvent,
  parseEvent,
  streamFor,
  streamForType,
  subjectFor,
} from './catalog.js';

const memberId = '0190a6f2-8c3e-7b1a-9d4f-2a6b8c0d1e2f';

function registered() {
  return createEvent('members.member.registered', {
    source: 'members',
    subject: memberId,
    data: {
      memberId,
      displayName: '山田 花子',
      kind: 'founder',
      municipalityCode: null,
      skills: [{ code: 'design', level: 5 }],
    },
  });
}

describe('createEvent', () => {
  it('builds a v7-id, versioned, UTC-stamped envelope', () => {
    const before = Date.now();
    const event = registered();
    expect(event).toMatchObject({
      type: 'members.member.registered',
      version: 1,
      source: 'members',
      subject: memberId,
      data: { memberId, kind: 'founder' },
    });
    expect(event.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(event.occurredAt).toMatch(/Z$/);
    expect(Date.parse(event.occurredAt)).toBeGreaterThanOrEqual(before);
  });

  it('gives each event a new, time-ordered id', () => {
    const ids = Array.from({ length: 50 }, () => registered().id);
    expect(new Set(ids).size).toBe(50);
    expect([...ids].sort()).toEqual(ids);
  });

  it('rejects invalid data with a message naming the type and each bad field', () => {
    const build = () =>
      createEvent('members.member.registered', {
        source: 'members',
        subject: memberId,
        data: {
          memberId: 'not-a-uuid',
          displayName: 'x',
          kind: 'pirate' as 'founder',
          municipalityCode: null,
          skills: [{ code: 'x', level: 9 }],
        },
      });
    expect(build).toThrow(InvalidEventError);
    expect(build).toThrow(/^Invalid data for event 'members\.member\.registered': /);
    expect(build).toThrow(/data\.memberId: Invalid UUID/);
    expect(build).toThrow(/data\.kind: /);
    expect(build).toThrow(/data\.skills\.0\.level: Too big/);
  });

  it('drops fields the schema does not define', () => {
    const event = createEvent('matching.work-order.posted', {
      source: 'matching',
      subject: memberId,
      data: {
        workOrderId: memberId,
        clientId: memberId,
        title: 't',
        category: 'c',
        secret: 1,
      } as never,
    });
    expect(event.data).not.toHaveProperty('secret');
  });

  it('rejects a type that is not in the catalog', () => {
    expect(() =>
      createEvent('members.member.vanished' as EventType, {
        source: 'members',
        subject: 's',
        data: {} as never,
      }),
    ).toThrow(/Unknown event type 'members\.member\.vanished'/);
  });

  it('rejects an empty source or subject', () => {
    const event = registered();
    expect(() =>
      createEvent('members.member.registered', { source: '', subject: memberId, data: event.data }),
    ).toThrow(/source/);
  });
});

describe('parseEvent', () => {
  it('returns the event for a valid object or JSON text', () => {
    const event = registered();
    expect(parseEvent(structuredClone(event))).toEqual(event);
    expect(parseEvent(JSON.stringify(event))).toEqual(event);
  });

  it('rejects an unknown type clearly', () => {
    const event = { ...registered(), type: 'members.member.teleported' };
    expect(() => parseEvent(event)).toThrow(
      "Unknown event type 'members.member.teleported': it is not in the @hub/event-bus event catalog",
    );
  });

  it('rejects bad data, naming type, id and field', () => {
    const event = registered();
    const bad = { ...event, data: { ...event.data, skills: [{ code: 'x', level: 0 }] } };
    expect(() => parseEvent(bad)).toThrow(
      new RegExp(
        `Invalid data for event 'members\\.member\\.registered' \\(id ${event.id}\\): data\\.skills\\.0\\.level: Too small`,
      ),
    );
  });

  it('rejects a broken envelope and a version this build does not know', () => {
    const event = registered();
    const { id: _id, ...withoutId } = event;
    expect(() => parseEvent(withoutId)).toThrow(
      /Invalid event envelope 'members\.member\.registered': id: /,
    );
    expect(() => parseEvent({ ...event, occurredAt: 'yesterday' })).toThrow(/occurredAt/);
    expect(() => parseEvent({ ...event, version: 2 })).toThrow(
      /Unsupported version 2 .*knows version 1/,
    );
    expect(() => parseEvent('{oops')).toThrow('Invalid event: payload is not JSON');
    expect(() => parseEvent(null)).toThrow(InvalidEventError);
  });

  it('accepts every catalog type with valid data', () => {
    const uuid = memberId;
    const samples: { [K in EventType]: unknown } = {
      'members.member.registered': registered().data,
      'members.organization.created': {
        organizationId: uuid,
        name: 'n',
        kind: 'k',
        municipalityCode: '011002',
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
      },
      'spaces.space.updated': {
        spaceId: uuid,
        name: 'Garage labs',
        kind: 'coworking',
        status: 'open',
        municipalityCode: '011002',
        operatorId: null,
        changed: ['operator', 'status'],
      },
      'events.event.cancelled': { eventId: uuid, reason: 'venue-declined' },
      'events.event.published': {
        eventId: uuid,
        title: 't',
        kind: 'meetup',
        startsAt: '2025-04-01T19:00:00+09:00',
        venueSpaceIds: [uuid],
      },
      'matching.work-order.posted': {
        workOrderId: uuid,
        clientId: uuid,
        title: 't',
        category: 'web',
      },
      'members.member.profile-updated': {
        memberId: uuid,
        displayName: '佐藤',
        kind: 'teleworker',
        municipalityCode: '012157',
        homeMunicipalityCode: null,
        availableHoursPerWeek: 20,
        skills: [{ code: 'data-entry', level: 3, isVerified: true }],
        changed: ['availability'],
      },
      'members.member.erased': {
        memberId: uuid,
        erasedAt: '2026-11-21T09:00:00+09:00',
        requestedBy: 'member',
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
      'matching.partner-read.recorded': {
        auditEntryId: uuid,
        memberId: uuid,
        apiKeyId: uuid,
        organizationId: uuid,
        fields: ['Worker.displayName', 'Worker.skills'],
        requestId: 'req-1',
        readAt: '2026-12-05T09:00:00.000Z',
      },
      'support-programs.program.published': {
        programId: uuid,
        providerId: uuid,
        title: 't',
        kind: 'subsidy',
      },
    };
    for (const type of Object.keys(eventCatalog) as EventType[]) {
      const event = createEvent(type, {
        source: 'test',
        subject: uuid,
        data: samples[type] as never,
      });
      expect(parseEvent(JSON.parse(JSON.stringify(event)))).toEqual(event);
    }
  });

  it('keeps space facts checkable: a uuid operator, and an update that names what changed', () => {
    const facts = {
      spaceId: memberId,
      name: 'Garage labs',
      kind: 'coworking',
      status: 'open',
      municipalityCode: '011002',
      operatorId: memberId,
    } as const;
    const build = (type: 'spaces.space.registered' | 'spaces.space.updated', data: object) => () =>
      createEvent(type, { source: 'spaces', subject: memberId, data: data as never });
    expect(build('spaces.space.registered', facts)).not.toThrow();
    expect(build('spaces.space.registered', { ...facts, operatorId: 'garage' })).toThrow(
      /data\.operatorId/,
    );
    expect(build('spaces.space.registered', { ...facts, status: 'OPEN' })).toThrow(/data\.status/);
    expect(build('spaces.space.updated', { ...facts, changed: [] })).toThrow(/data\.changed/);
    expect(build('spaces.space.updated', { ...facts, changed: ['address'] })).toThrow(
      /data\.changed\.0/,
    );
    expect(build('spaces.space.updated', { ...facts, changed: ['operator'] })).not.toThrow();
  });

  it('isEvent narrows to the typed data', () => {
    const event = parseEvent(registered());
    if (!isEvent(event, 'members.member.registered')) throw new Error('expected a registration');
    expect(event.data.skills[0]?.level).toBe(5);
    expect(isEvent(event, 'spaces.space.opened')).toBe(false);
  });
});

describe('subjects and streams', () => {
  it('maps a type to hub.<service>.<aggregate>.<event>', () => {
    expect(subjectFor('members.member.registered')).toBe('hub.members.member.registered');
    expect(subjectFor('matching.work-order.posted', 'ci-1')).toBe(
      'ci-1.hub.matching.work-order.posted',
    );
  });

  it('names one stream per service covering all its subjects', () => {
    expect(streamFor('members')).toEqual({ name: 'HUB_MEMBERS', subjects: ['hub.members.>'] });
    expect(streamFor('support-programs')).toEqual({
      name: 'HUB_SUPPORT_PROGRAMS',
      subjects: ['hub.support-programs.>'],
    });
    expect(streamForType('support-programs.program.published')).toEqual(
      streamFor('support-programs'),
    );
    expect(streamFor('spaces', 'ci-1')).toEqual({
      name: 'CI_1_HUB_SPACES',
      subjects: ['ci-1.hub.spaces.>'],
    });
  });

  it('refuses names that would break subjects or stream names', () => {
    expect(() => streamFor('Members')).toThrow(/Invalid service name 'Members'/);
    expect(() => streamFor('a.b')).toThrow(/Invalid service name/);
    expect(() => streamFor('members', 'x y')).toThrow(/Invalid namespace/);
  });
});
