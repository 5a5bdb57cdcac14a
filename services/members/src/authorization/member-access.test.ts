import { randomUUID } from 'node:crypto';
import type { ConsentPurpose, Identity, PartnerIdentity } from '@hub/identity';
import { asAdmin, asMember, asPartner, type GraphQLResponse } from '@hub/testing';
import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  consentTo,
  countStatements,
  errorCodeAt,
  newAccount,
  newMember,
  newOrganization,
  newPartner,
  useMembers,
} from '../../test/support/index.js';
import { addAffiliation } from '../domain/add-affiliation.js';

const hub = useMembers();
let organizationId: string;
let otherOrganizationId: string;
/** Members registered with organizationId, with consent to work-matching. */
let crowd: string[];
let traveller: string;

/** The partner the crowd consented to (work matching) and the traveller (relocation). */
let partnerId: string;
/** Another partner nobody here consented to. */
let otherPartnerId: string;

/** A key of the consented partner (unless `organizationId` says otherwise). */
const partnerKey = (
  purpose: ConsentPurpose = 'work-matching',
  organizationId: string = partnerId,
): PartnerIdentity =>
  asPartner({ organizationId, scopes: ['public:read', 'members:personal:read'], purpose });

beforeAll(async () => {
  organizationId = await newOrganization(hub.prisma);
  otherOrganizationId = await newOrganization(hub.prisma);
  partnerId = await newPartner(hub.prisma);
  otherPartnerId = await newPartner(hub.prisma);
  crowd = [];
  for (let i = 0; i < 60; i += 1) {
    const id = await newMember(hub.prisma, {
      kind: 'STUDENT',
      profileVisibility: (['PUBLIC', 'MEMBERS', 'STAFF'] as const)[i % 3],
      availableHoursPerWeek: i,
      skills: [{ code: 'writing', level: 2 }],
      links: [{ label: 'web', url: `https://example.com/${i}` }],
    });
    await newAccount(hub.prisma, id);
    await addAffiliation(
      { prisma: hub.prisma },
      {
        memberId: id,
        organizationId,
        role: 'WORKER',
        startsOn: '2024-04-01',
      },
      { confirmed: true },
    );
    await consentTo(hub.prisma, id, partnerId, 'work-matching');
    crowd.push(id);
  }
  // Lists page by id, and ids are random: give the visibilities in id order, so that any page
  // (5 or 50) holds all three and needs the same kinds of statements (a list's referrals are
  // fetched only when some member on the page shows them to the caller).
  // crowd[i] then shows its profile to visibilities[i % 3], as when it was created.
  const visibilities = ['PUBLIC', 'MEMBERS', 'STAFF'] as const;
  crowd.sort();
  for (const [index, id] of crowd.entries()) {
    await hub.prisma.member.update({
      where: { id },
      data: { profileVisibility: visibilities[index % 3] },
    });
  }
  // Comes from Tokyo (131016), shows their profile to staff only, consents to relocation support.
  traveller = await newMember(hub.prisma, {
    kind: 'FOUNDER',
    municipalityCode: '012157',
    homeMunicipalityCode: '131016',
    profileVisibility: 'STAFF',
  });
  await addAffiliation(
    { prisma: hub.prisma },
    {
      memberId: traveller,
      organizationId: otherOrganizationId,
      role: 'WORKER',
      startsOn: '2024-04-01',
    },
    { confirmed: true },
  );
  await consentTo(hub.prisma, traveller, partnerId, 'municipal-relocation-support');
  await waitForQuietOutbox();
}, 120_000);

/**
 * The relay publishing the setup's events shares the service's pool; let it finish so the
 * statement counts below are about the request alone.
 */
async function waitForQuietOutbox(): Promise<void> {
  for (;;) {
    const [row] = await hub.rows<{ n: string }>(
      'SELECT count(*) AS n FROM outbox_event WHERE sent_at IS NULL',
    );
    if (row?.n === '0') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const EVERY_FIELD = `id displayName displayNameKana kind isErased bio aspiration interests
  skills { level skill { code } } links { url } municipalityCode municipality { code }
  relocationInterest referralCount referrals { nodes { id } } createdAt email contactPhone
  availableHoursPerWeek homeMunicipalityCode affiliations { role organization { name } }
  careerPath { role } referredBy { id } consents { purpose } profileVisibility erasedAt
  auditLog { nodes { action } }`;
const LIST = `query($first: Int!) { members(first: $first, filter: { kind: STUDENT }) {
  edges { node { ${EVERY_FIELD} } } } }`;

type ListData = { members: { edges: { node: Record<string, unknown> }[] } };

async function statementsFor(first: number, identity: Identity | null) {
  const before = hub.service.queryCount();
  const { result: response, statements } = await countStatements(() =>
    hub.gql<ListData>(LIST, { first }, identity),
  );
  return { response, statements, counted: hub.service.queryCount() - before };
}

describe('no N+1: the checks for a list use a bounded number of statements', () => {
  // Built when the test runs: the organisation exists only after beforeAll.
  const staff = () =>
    asMember(randomUUID(), { staffOf: [{ organizationId, role: 'coordinator' }] });
  const partner = () => partnerKey();
  it.each([
    ['anonymous', () => null],
    ['another member', () => asMember(randomUUID())],
    ['staff of their organisation', staff],
    ['a hub admin', () => asAdmin()],
    ['a consenting partner', partner],
  ] as [string, () => Identity | null][])(
    'as %s: 5 members cost what 50 do',
    async (_label, caller) => {
      const identity = caller();
      const few = await statementsFor(5, identity);
      const many = await statementsFor(50, identity);
      expect(many.response.data!.members.edges).toHaveLength(50);
      // One statement per kind of thing, whatever the page size.
      expect(many.statements).toBe(few.statements);
      expect(many.statements).toBeLessThanOrEqual(16);
      // The kit's counter agrees within the relay's idle poll (see countStatements).
      expect(many.counted).toBeLessThanOrEqual(many.statements + 3);
    },
  );

  it('staff of their organisation read every personal field of all 50', async () => {
    const { response } = await statementsFor(50, staff());
    for (const { node } of response.data!.members.edges) {
      expect(node.email).toEqual(expect.stringContaining('@example.test'));
      expect(node.availableHoursPerWeek).toEqual(expect.any(Number));
      expect(node.skills).toHaveLength(1);
    }
    expect(errorCodeAt(response, ['members', 'edges', 0, 'node', 'auditLog'])).toBe('FORBIDDEN');
  });

  it('a partner reading 50 members leaves one audit entry per member, written at once', async () => {
    const { response } = await statementsFor(50, partner());
    const entries = await hub.rows<{ member_id: string; fields: string[] }>(
      'SELECT member_id, fields FROM audit_log_entry WHERE request_id = $1',
      [response.headers['x-request-id']],
    );
    expect(entries).toHaveLength(50);
    expect(new Set(entries.map((entry) => entry.member_id)).size).toBe(50);
    for (const entry of entries) expect(entry.fields).toContain('email');
  });
});

describe('filters do not reveal what reading would refuse', () => {
  const byHome = `{ members(filter: { homeMunicipalityCode: "131016" }) {
    totalCount edges { node { id } } } }`;
  const countByHome = '{ members(filter: { homeMunicipalityCode: "131016" }) { totalCount } }';
  const byPlace = `{ members(filter: { municipalityCode: "012157" }) { edges { node { id } } } }`;
  const idsOf = (response: GraphQLResponse<unknown>) =>
    (response.data as ListData | undefined)?.members.edges.map((edge) => edge.node.id);

  it('refuses personal filters to callers who may read nobody’s personal data', async () => {
    const anonymous = await hub.gql(byHome);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const keyWithoutScope = await hub.gql(byHome, {}, asPartner({ scopes: ['public:read'] }));
    expect(keyWithoutScope.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  const callers: Record<string, [() => Identity, boolean]> = {
    'another member': [() => asMember(randomUUID()), false],
    'staff of an unrelated organisation': [
      () => asMember(randomUUID(), { staffOf: [{ organizationId, role: 'staff' }] }),
      false,
    ],
    'staff of their organisation': [
      () =>
        asMember(randomUUID(), {
          staffOf: [{ organizationId: otherOrganizationId, role: 'staff' }],
        }),
      true,
    ],
    'the member': [() => asMember(traveller), true],
    'a hub admin': [() => asAdmin(), true],
    'a partner without consent': [() => partnerKey(), false],
    'a partner with consent': [() => partnerKey('municipal-relocation-support'), true],
    // The review's reproduction: the member consented to this purpose — for another partner.
    'another partner, the member consented to the first one': [
      () => partnerKey('municipal-relocation-support', otherPartnerId),
      false,
    ],
  };
  it.each(Object.keys(callers))('by home municipality, as %s', async (label) => {
    const [identity, isFound] = callers[label]!;
    const response = await hub.gql(byHome, {}, identity());
    expect(response.errors).toBeUndefined();
    expect(idsOf(response)).toEqual(isFound ? [traveller] : []);
    // The count is of the same members: it tells no more than the page.
    expect((response.data as { members: { totalCount: number } }).members.totalCount).toBe(
      isFound ? 1 : 0,
    );
    const count = await hub.gql(countByHome, {}, identity());
    expect(count.data).toEqual({ members: { totalCount: isFound ? 1 : 0 } });
  });

  it('by a profile field, only where the profile is visible', async () => {
    expect(idsOf(await hub.gql(byPlace))).toEqual([]);
    expect(idsOf(await hub.gql(byPlace, {}, asMember(randomUUID())))).toEqual([]);
    const staff = asMember(randomUUID(), {
      staffOf: [{ organizationId: otherOrganizationId, role: 'coordinator' }],
    });
    expect(idsOf(await hub.gql(byPlace, {}, staff))).toEqual([traveller]);
  });

  it('a partner’s personal filter is audited for the members it returns', async () => {
    const partner = partnerKey('municipal-relocation-support');
    const response = await hub.gql(byHome, {}, partner);
    expect(idsOf(response)).toEqual([traveller]);
    const entries = await hub.rows<{ member_id: string; fields: string[]; api_key_id: string }>(
      'SELECT member_id, fields, api_key_id FROM audit_log_entry WHERE request_id = $1',
      [response.headers['x-request-id']],
    );
    expect(entries).toEqual([
      { member_id: traveller, fields: ['homeMunicipalityCode'], api_key_id: partner.keyId },
    ]);
  });

  it('so is a partner’s filtered count, which tells of each member counted that it matched', async () => {
    const partner = partnerKey('municipal-relocation-support');
    const response = await hub.gql(countByHome, {}, partner);
    expect(response.data).toEqual({ members: { totalCount: 1 } });
    const entries = await hub.rows<{ member_id: string; fields: string[] }>(
      'SELECT member_id, fields FROM audit_log_entry WHERE request_id = $1',
      [response.headers['x-request-id']],
    );
    expect(entries).toEqual([{ member_id: traveller, fields: ['homeMunicipalityCode'] }]);
  });
});

describe('consent and audit per request', () => {
  it('a withdrawal refuses the partner from the very next request', async () => {
    const memberId = await newMember(hub.prisma, { contactPhone: '03-0000-0000' });
    await consentTo(hub.prisma, memberId, partnerId, 'program-guidance');
    const partner = partnerKey('program-guidance');
    const read = () =>
      hub.gql<{ member: { contactPhone: string | null } }>(
        'query($id: ID!) { member(id: $id) { contactPhone } }',
        { id: memberId },
        partner,
      );
    expect((await read()).data!.member.contactPhone).toBe('03-0000-0000');
    const withdrawn = await hub.gql(
      `mutation($to: ID!) { withdrawConsent(input: { recipientOrganizationId: $to, purpose: PROGRAM_GUIDANCE }) {
        ... on WithdrawConsentSuccess { consent { isActive withdrawnAt } } } }`,
      { to: partnerId },
      asMember(memberId),
    );
    expect(withdrawn.data).toEqual({
      withdrawConsent: { consent: { isActive: false, withdrawnAt: expect.any(String) } },
    });
    const after = await read();
    expect(after.data!.member.contactPhone).toBeNull();
    expect(errorCodeAt(after, ['member', 'contactPhone'])).toBe('CONSENT_REQUIRED');
  });

  it('one entry per member per request, even when a nested selection reads them again', async () => {
    const [a, b] = [crowd[0]!, crowd[3]!];
    await hub.prisma.member.update({ where: { id: b }, data: { referredById: a } });
    const partner = partnerKey();
    const response = await hub.gql(
      `query($id: ID!) { member(id: $id) { email referredBy { id email contactPhone
          referrals { nodes { id availableHoursPerWeek } } } } }`,
      { id: b },
      partner,
    );
    expect(response.errors).toBeUndefined();
    const entries = await hub.rows<{ member_id: string; fields: string[] }>(
      'SELECT member_id, fields FROM audit_log_entry WHERE request_id = $1 ORDER BY member_id',
      [response.headers['x-request-id']],
    );
    const expected = [
      { member_id: a, fields: ['contactPhone', 'email'] },
      { member_id: b, fields: ['availableHoursPerWeek', 'email', 'referredBy'] },
    ].sort((x, y) => x.member_id.localeCompare(y.member_id));
    expect(entries).toEqual(expected);
  });

  it('public reads by partners are not audited', async () => {
    const response = await hub.gql(
      'query($id: ID!) { member(id: $id) { id displayName kind } }',
      { id: crowd[0] },
      partnerKey(),
    );
    const entries = await hub.rows('SELECT 1 FROM audit_log_entry WHERE request_id = $1', [
      response.headers['x-request-id'],
    ]);
    expect(entries).toEqual([]);
  });
});

describe('who belongs to an organisation', () => {
  const QUERY = `query($id: ID!) { organization(id: $id) { name
    affiliations(first: 100) { totalCount nodes { role } } } }`;

  it('is for its staff and hub admins', async () => {
    const staff = asMember(randomUUID(), { staffOf: [{ organizationId, role: 'staff' }] });
    const seen = await hub.gql<{
      organization: { affiliations: { totalCount: number; nodes: unknown[] } | null };
    }>(QUERY, { id: organizationId }, staff);
    expect(seen.data!.organization.affiliations!.nodes).toHaveLength(60);
    expect(seen.data!.organization.affiliations!.totalCount).toBe(60);
    for (const identity of [null, asMember(randomUUID()), partnerKey()]) {
      const refused = await hub.gql<{ organization: { name: string; affiliations: null } }>(
        QUERY,
        { id: organizationId },
        identity,
      );
      expect(refused.data!.organization).toEqual({ name: expect.any(String), affiliations: null });
    }
  });
});
