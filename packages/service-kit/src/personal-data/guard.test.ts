import { randomUUID } from 'node:crypto';
import type { Identity, PartnerIdentity } from '@hub/identity';
import { describe, expect, it } from '@jest/globals';
import { createBaseContext, type HubContext } from '../context.js';
import { AppError } from '../errors.js';
import { createLogger } from '../logger.js';
import type { PartnerStanding } from './decide.js';
import { personalDataGuard } from './guard.js';
import { type PartnerRead, partnerReadAudit } from './partner-reads.js';
import type { ProfileVisibilityValue } from './rules.js';

// The field wiring and the list conditions, over facts held in memory: what a service's schema
// gets from the kit. Services' matrix tests run the same rule against their databases.

const logger = createLogger({ name: 'guard-test', level: 'silent' });
const organizationId = randomUUID();
const subject = { id: randomUUID(), visibility: 'MEMBERS' as ProfileVisibilityValue };
type Thing = typeof subject;

const TABLE = {
  id: { group: 'public', about: 'ID' },
  bio: { group: 'profile', about: '自己紹介 (bio)' },
  hours: { group: 'personal', about: '稼働時間 (hours)' },
  log: { group: 'owner', about: '記録 (log)' },
} as const;

function setup(options: { standing?: PartnerStanding; consent?: boolean } = {}) {
  const writes: PartnerRead[][] = [];
  const guard = personalDataGuard<HubContext, Thing, keyof typeof TABLE>({
    fields: TABLE,
    subjectOf: (thing) => ({ memberId: thing.id, visibility: thing.visibility }),
    facts: {
      registeredWith: async (_context, _memberId, ids) => ids.filter((id) => id === organizationId),
      partnerStanding: async () => options.standing ?? null,
      hasConsent: async (_context, _memberId, recipient) =>
        (options.consent ?? true) && recipient.organizationId === organizationId,
    },
    audit: partnerReadAudit(async (_context, _partner, reads) => {
      writes.push(reads);
    }),
    auditName: (field) => `Thing.${field}`,
  });
  return { guard, writes };
}

const contextOf = (identity: Identity | null) =>
  createBaseContext({ requestId: randomUUID(), identity, clientAddress: null }, logger);
const partner = (more: Partial<PartnerIdentity> = {}): PartnerIdentity => ({
  kind: 'partner',
  keyId: randomUUID(),
  organizationId,
  scopes: ['public:read', 'members:personal:read'],
  purpose: 'work-matching',
  ...more,
});
const member = (memberId: string, staffOf: string[] = []): Identity => ({
  kind: 'member',
  memberId,
  sessionId: randomUUID(),
  roles: [],
  staffOf: staffOf.map((id) => ({ organizationId: id, role: 'staff' })),
});

/** What a field's wiring answers: the value allowed, or the refusal's code. */
async function read(
  guard: ReturnType<typeof setup>['guard'],
  identity: Identity | null,
  field: keyof typeof TABLE,
) {
  const context = contextOf(identity);
  const auth = guard.fieldAuth(field);
  if (!auth.authScopes) return 'ok';
  if (await auth.authScopes(subject, {}, context)) return 'ok';
  return auth.unauthorizedError!(subject, {}, context).extensions.code;
}

describe('personalDataGuard: field wiring', () => {
  it('leaves public fields unguarded', () => {
    expect(setup().guard.fieldAuth('id')).toEqual({});
  });

  it('answers refusals with the code the rule gives', async () => {
    const { guard } = setup({ consent: false });
    expect(await read(guard, null, 'hours')).toBe('UNAUTHENTICATED');
    expect(await read(guard, member(randomUUID()), 'hours')).toBe('FORBIDDEN');
    expect(await read(guard, member(randomUUID()), 'bio')).toBe('ok');
    expect(await read(guard, partner(), 'hours')).toBe('CONSENT_REQUIRED');
    expect(await read(guard, partner(), 'bio')).toBe('CONSENT_REQUIRED');
    expect(await read(guard, partner(), 'log')).toBe('FORBIDDEN');
    expect(await read(guard, partner({ scopes: ['public:read'] }), 'hours')).toBe('FORBIDDEN');
    expect(await read(setup({ standing: 'NOT_A_PARTNER' }).guard, partner(), 'hours')).toBe(
      'NOT_A_PARTNER',
    );
    expect(
      await read(setup({ standing: 'OUTSIDE_PARTNER_CEILING' }).guard, partner(), 'hours'),
    ).toBe('OUTSIDE_PARTNER_CEILING');
  });

  it('opens personal fields to staff of the member’s organisation, and to consenting partners with an audit', async () => {
    const { guard, writes } = setup();
    expect(await read(guard, member(randomUUID(), [organizationId]), 'hours')).toBe('ok');
    expect(await read(guard, member(randomUUID(), [randomUUID()]), 'hours')).toBe('FORBIDDEN');
    expect(writes).toEqual([]);
    expect(await read(guard, partner(), 'hours')).toBe('ok');
    expect(writes).toEqual([
      [{ entryId: expect.any(String), memberId: subject.id, fields: ['Thing.hours'], isNew: true }],
    ]);
  });

  it('with organizationsOf, opens an object to staff of its own organisation only', async () => {
    // The member is registered with both organisations; each row belongs to one of them.
    const other = randomUUID();
    const asked: (readonly string[])[] = [];
    const guard = personalDataGuard<HubContext, { memberId: string; owner: string }, 'hours'>({
      fields: { hours: { group: 'personal', about: '稼働時間 (hours)' } },
      subjectOf: (row) => ({ memberId: row.memberId }),
      facts: {
        registeredWith: async (_context, _memberId, ids) => {
          asked.push(ids);
          return ids;
        },
        partnerStanding: async () => null,
        hasConsent: async () => false,
      },
      audit: partnerReadAudit(async () => {}),
      organizationsOf: async (_context, row) => [row.owner],
    });
    const memberId = randomUUID();
    const atOther = { memberId, owner: other };
    const staffOfBoth = contextOf(member(randomUUID(), [organizationId, other]));
    expect(
      await guard.decide(contextOf(member(randomUUID(), [organizationId])), atOther, 'hours'),
    ).toBe('FORBIDDEN');
    expect(asked).toEqual([]);
    expect(await guard.decide(staffOfBoth, atOther, 'hours')).toBe('ok');
    expect(asked).toEqual([[other]]);
    expect(await guard.decide(contextOf(member(memberId)), atOther, 'hours')).toBe('ok');
    // Without it the same facts decide per member: staff of either read every row.
    expect(await read(setup().guard, member(randomUUID(), [organizationId]), 'hours')).toBe('ok');
  });

  it('refuses to wire a field missing from the table', () => {
    expect(() => setup().guard.fieldAuth('nope' as never)).toThrow(
      /not in the personal-data table/,
    );
  });
});

describe('personalDataGuard: who a list or filter may match', () => {
  it('matches everyone for hub admins and public fields', async () => {
    const { guard } = setup();
    const admin: Identity = { ...member(randomUUID()), roles: ['admin'] } as Identity;
    expect(await guard.readableMembers(contextOf(admin), 'personal')).toEqual({ all: true });
    expect(await guard.readableMembers(contextOf(null), 'public')).toEqual({ all: true });
  });

  it('matches a member themself and the members registered with their staff organisations', async () => {
    const { guard } = setup();
    const caller = member(randomUUID(), [organizationId]);
    expect(await guard.readableMembers(contextOf(caller), 'personal')).toEqual({
      all: false,
      visibilities: [],
      memberId: caller.kind === 'member' ? caller.memberId : null,
      registeredWith: [organizationId],
      consentingTo: null,
    });
    expect(await guard.readableMembers(contextOf(caller), 'profile')).toMatchObject({
      visibilities: ['PUBLIC', 'MEMBERS'],
    });
  });

  it('matches a partner’s consenting members, or refuses it outright with the code', async () => {
    const { guard } = setup();
    expect(await guard.readableMembers(contextOf(partner()), 'personal')).toEqual({
      all: false,
      visibilities: [],
      memberId: null,
      registeredWith: [],
      consentingTo: { organizationId, purpose: 'work-matching' },
    });
    const refusedWith = async (identity: Identity | null, standing?: PartnerStanding) => {
      const readable = await setup({ standing }).guard.readableMembers(
        contextOf(identity),
        'personal',
      );
      return readable instanceof AppError ? readable.code : 'matched';
    };
    expect(await refusedWith(null)).toBe('UNAUTHENTICATED');
    expect(await refusedWith(partner({ scopes: ['public:read'] }))).toBe('FORBIDDEN');
    expect(await refusedWith(partner({ purpose: null }))).toBe('CONSENT_REQUIRED');
    expect(await refusedWith(partner(), 'NOT_A_PARTNER')).toBe('NOT_A_PARTNER');
    expect(await refusedWith(partner(), 'OUTSIDE_PARTNER_CEILING')).toBe('OUTSIDE_PARTNER_CEILING');
    // Profile filters are never refused outright: public profiles are everyone's.
    expect(
      await setup({ standing: 'NOT_A_PARTNER' }).guard.readableMembers(
        contextOf(partner()),
        'profile',
      ),
    ).toMatchObject({ visibilities: ['PUBLIC'], consentingTo: null });
  });

  it('audits a partner’s filter on fields it reads only through consent, for every member returned', async () => {
    const { guard, writes } = setup();
    const context = contextOf(partner());
    const publicProfile = { id: randomUUID(), visibility: 'PUBLIC' as const };
    await guard.recordFilterReads(context, [subject, publicProfile], ['bio', 'hours', 'id']);
    expect(writes.flat()).toEqual([
      {
        entryId: expect.any(String),
        memberId: subject.id,
        fields: ['Thing.bio', 'Thing.hours'],
        isNew: true,
      },
      {
        entryId: expect.any(String),
        memberId: publicProfile.id,
        fields: ['Thing.hours'],
        isNew: true,
      },
    ]);
    await guard.recordFilterReads(contextOf(member(randomUUID())), [subject], ['hours']);
    expect(writes).toHaveLength(1);
  });
});
