import { describe, expect, it } from '@jest/globals';
import { callerSpeaksFor } from './organization-links.js';

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
