import type { EventType } from '@hub/contracts';
import { describe, expect, it } from '@jest/globals';
import { createEvent, InvalidEventError, isEvent, parseEvent } from './events.js';

const memberId = '0190a6f2-8c3e-7b1a-9d4f-2a6b8c0d1e2f';

function registered() {
  return createEvent('members.member.registered', {
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

  it('rejects a type that is not in the catalog', () => {
    expect(() =>
      createEvent('members.member.vanished' as EventType, {
        subject: 's',
        data: {} as never,
      }),
    ).toThrow(/Unknown event type 'members\.member\.vanished'/);
  });

  it('rejects an empty subject', () => {
    const event = registered();
    expect(() =>
      createEvent('members.member.registered', { subject: '', data: event.data }),
    ).toThrow(/^Invalid envelope for event 'members\.member\.registered': subject: /);
  });

  it('takes the source from the type: the service that owns it', () => {
    const uuid = memberId;
    const cases = [
      createEvent('spaces.space.opened', {
        subject: uuid,
        data: {
          spaceId: uuid,
          name: 'n',
          kind: 'coworking',
          municipalityCode: '011002',
          operatorId: null,
        },
      }),
      createEvent('support-programs.program.published', {
        subject: uuid,
        data: { programId: uuid, providerId: uuid, title: 't', kind: 'subsidy' },
      }),
    ];
    expect(cases.map((event) => event.source)).toEqual(['spaces', 'support-programs']);
  });

  it('drops data fields the contract does not define', () => {
    const event = createEvent('matching.work-order.posted', {
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
      "Unknown event type 'members.member.teleported': it is not in the @hub/contracts event catalog",
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

  it('isEvent narrows to the typed data', () => {
    const event = parseEvent(registered());
    if (!isEvent(event, 'members.member.registered')) throw new Error('expected a registration');
    expect(event.data.skills[0]?.level).toBe(5);
    expect(isEvent(event, 'spaces.space.opened')).toBe(false);
  });
});
