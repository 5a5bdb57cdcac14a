import { describe, expect, it } from '@jest/globals';
import { callerSpeaksFor, callerSpokenFor, speaksForOf } from './organization-links.js';

const [own, other] = [
  '0196f3b4-6c1e-7000-8000-000000000001',
  '0196f3b4-6c1e-7000-8000-000000000002',
];
const member = (
  staffOf: { organizationId: string; role: 'staff' | 'coordinator' | 'admin' }[],
) => ({
  kind: 'member' as const,
  memberId: '0196f3b4-6c1e-7000-8000-000000000009',
  sessionId: '0196f3b4-6c1e-7000-8000-00000000000a',
  roles: [],
  staffOf,
});

describe('callerSpeaksFor', () => {
  it('speaks for the organisations where the caller holds any staff role', () => {
    for (const role of ['staff', 'coordinator', 'admin'] as const) {
      const speaksFor = callerSpeaksFor(member([{ organizationId: own, role }]));
      expect([speaksFor(own), speaksFor(other)]).toEqual([true, false]);
    }
  });

  it('speaks for every organisation when the caller is a hub admin', () => {
    expect(callerSpeaksFor({ ...member([]), roles: ['admin'] })(other)).toBe(true);
  });

  it('speaks for none when anonymous or a partner key', () => {
    expect(callerSpeaksFor(null)(own)).toBe(false);
    const partner = {
      kind: 'partner' as const,
      keyId: other,
      organizationId: own,
      scopes: ['public:read' as const],
      purpose: null,
    };
    expect(callerSpeaksFor(partner)(own)).toBe(false);
  });
});

describe('callerSpokenFor', () => {
  it('keeps what callerSpeaksFor decides, as data', () => {
    const staff = member([
      { organizationId: own, role: 'coordinator' },
      { organizationId: other, role: 'admin' },
    ]);
    expect(callerSpokenFor(staff)).toEqual([own, other]);
    expect(callerSpokenFor({ ...member([]), roles: ['admin'] })).toBe('all');
    expect(callerSpokenFor(null)).toEqual([]);
  });

  it('answers the same questions once kept (a JSON round trip, as a database keeps it)', () => {
    const kept = JSON.parse(
      JSON.stringify(callerSpokenFor(member([{ organizationId: own, role: 'staff' }]))),
    );
    expect([speaksForOf(kept)(own), speaksForOf(kept)(other)]).toEqual([true, false]);
    expect(speaksForOf('all')(other)).toBe(true);
    expect(speaksForOf([])(own)).toBe(false);
  });
});
