import { describe, expect, it } from '@jest/globals';
import { streamFor, streamForType, subjectFor } from './subjects.js';

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
