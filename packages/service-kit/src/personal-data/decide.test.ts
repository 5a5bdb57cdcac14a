import { randomUUID } from 'node:crypto';
import type { ConsentPurpose, Identity } from '@hub/identity';
import { describe, expect, it } from '@jest/globals';
import { type AccessFacts, callerKindOf, decideAccess, type PartnerStanding } from './decide.js';
import {
  ACCESS_BY_CALLER,
  ACCESS_COLUMNS,
  type AccessColumn,
  CALLER_KINDS,
  type CallerKind,
  type FieldGroup,
  type ProfileVisibilityValue,
} from './rules.js';

// The decision function against the rule's own table: every kind of caller, every column, and
// only the facts that could change the answer asked.

const subjectId = randomUUID();
const organizationId = randomUUID();

type Situation = {
  identity: Identity | null;
  registered?: boolean;
  standing?: PartnerStanding;
  consentsTo?: ConsentPurpose[];
};

const member = (memberId: string, more: Partial<Extract<Identity, { kind: 'member' }>> = {}) =>
  ({
    kind: 'member',
    memberId,
    sessionId: randomUUID(),
    roles: [],
    staffOf: [],
    ...more,
  }) as const satisfies Identity;
const partner = (more: Partial<Extract<Identity, { kind: 'partner' }>> = {}) =>
  ({
    kind: 'partner',
    keyId: randomUUID(),
    organizationId,
    scopes: ['public:read', 'members:personal:read'],
    purpose: 'work-matching',
    ...more,
  }) as const satisfies Identity;
const staff = member(randomUUID(), { staffOf: [{ organizationId, role: 'coordinator' }] });

/** One situation of each kind. */
const SITUATIONS: Record<CallerKind, Situation> = {
  anonymous: { identity: null },
  self: { identity: member(subjectId) },
  otherMember: { identity: member(randomUUID()) },
  registeredStaff: { identity: staff, registered: true },
  hubAdmin: { identity: member(randomUUID(), { roles: ['admin'] }) },
  partnerWithoutScope: {
    identity: partner({ scopes: ['public:read'] }),
    consentsTo: ['work-matching'],
  },
  partnerNotAPartner: {
    identity: partner(),
    standing: 'NOT_A_PARTNER',
    consentsTo: ['work-matching'],
  },
  partnerOutsideCeiling: {
    identity: partner(),
    standing: 'OUTSIDE_PARTNER_CEILING',
    consentsTo: ['work-matching'],
  },
  partnerWithoutConsent: { identity: partner(), consentsTo: ['program-guidance'] },
  partnerWithConsent: { identity: partner(), consentsTo: ['work-matching'] },
};

/** Facts answering as the situation says, counting what was asked. */
function factsOf(situation: Situation) {
  const asked: string[] = [];
  const facts: AccessFacts = {
    isRegisteredWithCallerStaff: async () => {
      asked.push('registered');
      return situation.registered ?? false;
    },
    partnerStanding: async () => {
      asked.push('standing');
      return situation.standing ?? null;
    },
    hasConsent: async (purpose) => {
      asked.push(`consent:${purpose}`);
      return situation.consentsTo?.includes(purpose) ?? false;
    },
  };
  return { facts, asked };
}

const GROUP_OF: Record<AccessColumn, [FieldGroup, ProfileVisibilityValue | undefined]> = {
  public: ['public', undefined],
  'profile:PUBLIC': ['profile', 'PUBLIC'],
  'profile:MEMBERS': ['profile', 'MEMBERS'],
  'profile:STAFF': ['profile', 'STAFF'],
  personal: ['personal', undefined],
  owner: ['owner', undefined],
};

async function decide(situation: Situation, column: AccessColumn) {
  const [group, visibility] = GROUP_OF[column];
  const { facts, asked } = factsOf(situation);
  const outcome = await decideAccess({
    identity: situation.identity,
    memberId: subjectId,
    group,
    visibility,
    facts,
  });
  return { outcome, asked };
}

const kinds = Object.keys(CALLER_KINDS) as CallerKind[];

describe('decideAccess', () => {
  it.each(kinds)('%s: each situation is the kind it stands for', async (kind) => {
    const situation = SITUATIONS[kind];
    expect(await callerKindOf(situation.identity, subjectId, factsOf(situation).facts)).toBe(kind);
  });

  const cells = kinds.flatMap((kind) => ACCESS_COLUMNS.map((column) => [kind, column] as const));
  it.each(cells)('%s, %s: the outcome of ACCESS_BY_CALLER', async (kind, column) => {
    const { outcome } = await decide(SITUATIONS[kind], column);
    expect(outcome).toBe(ACCESS_BY_CALLER[kind][column]);
  });

  it('asks nothing for public fields and public profiles', async () => {
    for (const kind of kinds) {
      for (const column of ['public', 'profile:PUBLIC'] as const) {
        expect((await decide(SITUATIONS[kind], column)).asked).toEqual([]);
      }
    }
  });

  it('asks nothing of the member themself, hub admins, or anonymous callers', async () => {
    for (const kind of ['self', 'hubAdmin', 'anonymous'] as const) {
      for (const column of ACCESS_COLUMNS) {
        expect((await decide(SITUATIONS[kind], column)).asked).toEqual([]);
      }
    }
  });

  it('asks staff for affiliations only where being registered matters', async () => {
    expect((await decide(SITUATIONS.registeredStaff, 'personal')).asked).toEqual(['registered']);
    expect((await decide(SITUATIONS.registeredStaff, 'profile:STAFF')).asked).toEqual([
      'registered',
    ]);
    // Any member sees MEMBERS profiles; nobody but the member and admins sees owner fields.
    expect((await decide(SITUATIONS.registeredStaff, 'profile:MEMBERS')).asked).toEqual([]);
    expect((await decide(SITUATIONS.registeredStaff, 'owner')).asked).toEqual([]);
    // A member with no staff role anywhere cannot be registered staff.
    expect((await decide(SITUATIONS.otherMember, 'personal')).asked).toEqual([]);
  });

  it('asks partners for standing, then consent to the key’s purpose, only when consent could open the field', async () => {
    expect((await decide(SITUATIONS.partnerWithConsent, 'personal')).asked).toEqual([
      'standing',
      'consent:work-matching',
    ]);
    // Refused on standing: consent is not asked.
    expect((await decide(SITUATIONS.partnerNotAPartner, 'personal')).asked).toEqual(['standing']);
    // Owner fields never open for a partner; a key without the scope reads through no consent.
    expect((await decide(SITUATIONS.partnerWithConsent, 'owner')).asked).toEqual([]);
    expect((await decide(SITUATIONS.partnerWithoutScope, 'personal')).asked).toEqual([]);
  });

  it('refuses a key that declares no purpose with CONSENT_REQUIRED, without asking for consent', async () => {
    const situation = { identity: partner({ purpose: null }), consentsTo: ['work-matching'] };
    const { outcome, asked } = await decide(situation as Situation, 'personal');
    expect(outcome).toBe('CONSENT_REQUIRED');
    expect(asked).toEqual(['standing']);
  });

  it('treats a profile field of a member whose visibility the service does not know as STAFF', async () => {
    const { facts } = factsOf(SITUATIONS.otherMember);
    const outcome = await decideAccess({
      identity: SITUATIONS.otherMember.identity,
      memberId: subjectId,
      group: 'profile',
      facts,
    });
    expect(outcome).toBe(ACCESS_BY_CALLER.otherMember['profile:STAFF']);
  });
});
