import { randomUUID } from 'node:crypto';
import type { Identity } from '@hub/identity';
import { asAdmin, asMember, asPartner } from '@hub/testing';
import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  codeOf,
  consentTo,
  errorCodeAt,
  newMember,
  newOrganization,
  newPartner,
  useMembers,
} from './support/index.js';

// Partner status: granted, changed and withdrawn by hub admins, audited; who sees it.
const hub = useMembers();
const ADMIN_ID = '0196f3b4-6c1e-7000-8000-0000000000a9';
const hubAdmin = asAdmin(ADMIN_ID);

const PARTNERSHIP = 'basis scopes purposes isActive withdrawnAt organization { id }';
const RESULT = (success: string) =>
  `... on Error { __typename code field message messageEn } ... on ${success} { partnership { ${PARTNERSHIP} } }`;
const GRANT = `mutation($input: GrantPartnershipInput!) {
  grantPartnership(input: $input) { ${RESULT('GrantPartnershipSuccess')} } }`;
const UPDATE = `mutation($input: UpdatePartnershipInput!) {
  updatePartnership(input: $input) { ${RESULT('UpdatePartnershipSuccess')} } }`;
// No typed error (NOT_A_PARTNER comes in errors[]): its payload has no Error member to spread.
const WITHDRAW = `mutation($id: ID!) { withdrawPartnership(input: { organizationId: $id }) {
  __typename ... on WithdrawPartnershipSuccess { partnership { ${PARTNERSHIP} } } } }`;

async function municipality(name = `テスト市 ${randomUUID().slice(0, 6)}`) {
  const created = await hub.prisma.organization.create({ data: { name, kind: 'MUNICIPALITY' } });
  return created.id;
}

const relocation = (organizationId: string) => ({
  organizationId,
  basis: 'MUNICIPALITY',
  scopes: ['PUBLIC_READ', 'MEMBERS_PERSONAL_READ'],
  purposes: ['MUNICIPAL_RELOCATION_SUPPORT'],
});

describe('grantPartnership, updatePartnership, withdrawPartnership', () => {
  it('are for hub admins only, and a refused call writes nothing', async () => {
    const organizationId = await municipality();
    const orgAdmin = asMember(randomUUID(), { staffOf: [{ organizationId, role: 'admin' }] });
    const callers: [Identity | null, string][] = [
      [null, 'UNAUTHENTICATED'],
      [asMember(randomUUID()), 'FORBIDDEN'],
      // Not even its own admin: partner status is the hub's decision.
      [orgAdmin, 'FORBIDDEN'],
      [asPartner({ organizationId }), 'FORBIDDEN'],
    ];
    for (const [identity, code] of callers) {
      expect(codeOf(await hub.gql(GRANT, { input: relocation(organizationId) }, identity))).toBe(
        code,
      );
      expect(codeOf(await hub.gql(WITHDRAW, { id: organizationId }, identity))).toBe(code);
    }
    expect(await hub.prisma.partnership.count({ where: { organizationId } })).toBe(0);
  });

  it('grant, change and withdraw, each audited with the ceiling', async () => {
    const organizationId = await municipality();
    const granted = await hub.gql(GRANT, { input: relocation(organizationId) }, hubAdmin);
    expect(granted.data).toEqual({
      grantPartnership: {
        partnership: {
          basis: 'MUNICIPALITY',
          scopes: ['PUBLIC_READ', 'MEMBERS_PERSONAL_READ'],
          purposes: ['MUNICIPAL_RELOCATION_SUPPORT'],
          isActive: true,
          withdrawnAt: null,
          organization: { id: organizationId },
        },
      },
    });
    const auditBefore = await hub.prisma.auditLogEntry.count({ where: { organizationId } });
    const again = await hub.gql(GRANT, { input: relocation(organizationId) }, hubAdmin);
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual({
      grantPartnership: {
        __typename: 'ConflictError',
        code: 'CONFLICT',
        field: 'input.organizationId',
        message: 'この組織はすでにパートナーです。範囲の変更は updatePartnership で',
        messageEn: 'already a partner; change its ceiling with updatePartnership',
      },
    });
    expect(await hub.prisma.auditLogEntry.count({ where: { organizationId } })).toBe(auditBefore);
    const updated = await hub.gql(
      UPDATE,
      { input: { organizationId, scopes: ['PUBLIC_READ'], purposes: [] } },
      hubAdmin,
    );
    expect(updated.data).toMatchObject({
      updatePartnership: {
        partnership: { basis: 'MUNICIPALITY', scopes: ['PUBLIC_READ'], purposes: [] },
      },
    });
    const withdrawn = await hub.gql(WITHDRAW, { id: organizationId }, hubAdmin);
    expect(withdrawn.data).toMatchObject({
      withdrawPartnership: { partnership: { isActive: false, withdrawnAt: expect.any(String) } },
    });
    // Withdrawing again changes nothing; changing a withdrawn partnership is refused.
    expect((await hub.gql(WITHDRAW, { id: organizationId }, hubAdmin)).errors).toBeUndefined();
    expect(
      codeOf(
        await hub.gql(
          UPDATE,
          { input: { organizationId, scopes: ['PUBLIC_READ'], purposes: [] } },
          hubAdmin,
        ),
      ),
    ).toBe('NOT_A_PARTNER');
    // A new grant after a withdrawal is allowed.
    expect((await hub.gql(GRANT, { input: relocation(organizationId) }, hubAdmin)).errors).toBe(
      undefined,
    );

    const history = await hub.gql<{
      organization: { partnership: { history: { nodes: { action: string; fields: string[] }[] } } };
    }>(
      'query($id: ID!) { organization(id: $id) { partnership { history { nodes { action fields actorMemberId } } } } }',
      { id: organizationId },
      hubAdmin,
    );
    const ceiling = [
      'basis:municipality',
      'scope:public:read',
      'scope:members:personal:read',
      'purpose:municipal-relocation-support',
    ];
    expect(history.data!.organization.partnership.history.nodes).toEqual([
      { action: 'PARTNERSHIP_GRANTED', fields: ceiling, actorMemberId: ADMIN_ID },
      { action: 'PARTNERSHIP_WITHDRAWN', fields: [], actorMemberId: ADMIN_ID },
      {
        action: 'PARTNERSHIP_UPDATED',
        fields: ['basis:municipality', 'scope:public:read'],
        actorMemberId: ADMIN_ID,
      },
      { action: 'PARTNERSHIP_GRANTED', fields: ceiling, actorMemberId: ADMIN_ID },
    ]);
  });

  it.each([
    ['no scope', { scopes: [], purposes: [] }, 'BAD_USER_INPUT', 'scopes'],
    [
      'personal data without a purpose',
      { scopes: ['MEMBERS_PERSONAL_READ'], purposes: [] },
      'BAD_USER_INPUT',
      'purposes',
    ],
    [
      'a purpose without personal data',
      { scopes: ['PUBLIC_READ'], purposes: ['WORK_MATCHING'] },
      'BAD_USER_INPUT',
      'purposes',
    ],
    ['basis MUNICIPALITY for a company', { kind: 'CLIENT_COMPANY' }, 'BAD_USER_INPUT', 'basis'],
    ['an unknown organisation', { organizationId: randomUUID() }, 'NOT_FOUND', 'organizationId'],
  ])('refuses %s', async (_label, change, code, field) => {
    const { kind, ...input } = change as Record<string, unknown> & { kind?: string };
    const organizationId = kind
      ? (await hub.prisma.organization.create({ data: { name: '会社', kind: 'CLIENT_COMPANY' } }))
          .id
      : await municipality();
    const response = await hub.gql(
      GRANT,
      { input: { ...relocation(organizationId), ...input } },
      hubAdmin,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      grantPartnership: {
        __typename: code === 'NOT_FOUND' ? 'NotFoundError' : 'InvalidInputError',
        code,
        field: `input.${field}`,
        message: expect.any(String),
        messageEn: expect.any(String),
      },
    });
    expect(await hub.prisma.partnership.count({ where: { organizationId } })).toBe(0);
  });

  it('refuses to change or withdraw what is not a partner', async () => {
    const organizationId = await municipality();
    expect(codeOf(await hub.gql(WITHDRAW, { id: organizationId }, hubAdmin))).toBe('NOT_A_PARTNER');
    expect(
      codeOf(
        await hub.gql(
          UPDATE,
          { input: { organizationId, scopes: ['PUBLIC_READ'], purposes: [] } },
          hubAdmin,
        ),
      ),
    ).toBe('NOT_A_PARTNER');
  });
});

describe('who learns about partner status', () => {
  let partnerId: string;
  let withdrawnId: string;

  beforeAll(async () => {
    partnerId = await newPartner(hub.prisma, {
      name: 'あ公開パートナー市',
      scopes: ['public:read', 'members:personal:read'],
      purposes: ['municipal-relocation-support'],
    });
    withdrawnId = await newPartner(hub.prisma, { name: 'あ取り消し市' });
    await hub.gql(WITHDRAW, { id: withdrawnId }, hubAdmin);
  });

  const ORGANIZATION = `query($id: ID!) { organization(id: $id) {
    isPartner partnerPurposes partnership { scopes purposes } } }`;

  it('anyone learns whether an organisation is a partner, and for which purposes', async () => {
    for (const identity of [null, asMember(randomUUID()), asPartner()]) {
      const response = await hub.gql(ORGANIZATION, { id: partnerId }, identity);
      expect(response.data).toEqual({
        organization: {
          isPartner: true,
          partnerPurposes: ['MUNICIPAL_RELOCATION_SUPPORT'],
          partnership: null,
        },
      });
      expect(errorCodeAt(response, ['organization', 'partnership'])).toBe(
        identity ? 'FORBIDDEN' : 'UNAUTHENTICATED',
      );
      const withdrawn = await hub.gql(ORGANIZATION, { id: withdrawnId }, identity);
      expect(withdrawn.data).toMatchObject({
        organization: { isPartner: false, partnerPurposes: [] },
      });
    }
  });

  it('the ceiling is for hub admins and the organisation’s own staff', async () => {
    const staff = asMember(randomUUID(), {
      staffOf: [{ organizationId: partnerId, role: 'staff' }],
    });
    for (const identity of [hubAdmin, staff]) {
      const response = await hub.gql(ORGANIZATION, { id: partnerId }, identity);
      expect(response.errors).toBeUndefined();
      expect(response.data).toMatchObject({
        organization: {
          partnership: {
            scopes: ['PUBLIC_READ', 'MEMBERS_PERSONAL_READ'],
            purposes: ['MUNICIPAL_RELOCATION_SUPPORT'],
          },
        },
      });
    }
    const history = await hub.gql(
      'query($id: ID!) { organization(id: $id) { partnership { history { nodes { action } } } } }',
      { id: partnerId },
      staff,
    );
    expect(errorCodeAt(history, ['organization', 'partnership', 'history'])).toBe('FORBIDDEN');
  });

  it('partners lists current partners for anyone; withdrawn ones for hub admins', async () => {
    const LIST = `query($all: Boolean) { partners(includeWithdrawn: $all, first: 100) {
      totalCount nodes { id isPartner } } }`;
    type List = { partners: { totalCount: number; nodes: { id: string }[] } };
    const current = await hub.gql<List>(LIST, {});
    const ids = current.data!.partners.nodes.map((partner) => partner.id);
    expect(current.data!.partners.totalCount).toBe(ids.length);
    expect(ids).toContain(partnerId);
    expect(ids).not.toContain(withdrawnId);
    expect(codeOf(await hub.gql(LIST, { all: true }, asMember(randomUUID())))).toBe('FORBIDDEN');
    const all = await hub.gql<List>(LIST, { all: true }, hubAdmin);
    expect(all.data!.partners.totalCount).toBeGreaterThan(current.data!.partners.totalCount);
    expect(all.data!.partners.nodes.map((partner) => partner.id)).toEqual(
      expect.arrayContaining([partnerId, withdrawnId]),
    );
  });
});

describe('a partner key whose organisation lost its standing', () => {
  const BY_HOURS = `{ members(filter: { minAvailableHoursPerWeek: 0 }) { edges { node { id } } } }`;
  const READ = 'query($id: ID!) { member(id: $id) { displayName contactPhone } }';
  let memberId: string;

  beforeAll(async () => {
    memberId = await newMember(hub.prisma, {
      availableHoursPerWeek: 10,
      contactPhone: '03-0000-0001',
    });
  });

  async function consentedPartner() {
    const partnerId = await newPartner(hub.prisma);
    await consentTo(hub.prisma, memberId, partnerId, 'work-matching');
    const key = asPartner({
      organizationId: partnerId,
      scopes: ['public:read', 'members:personal:read'],
      purpose: 'work-matching',
    });
    expect((await hub.gql(BY_HOURS, {}, key)).errors).toBeUndefined();
    return { partnerId, key };
  }

  it('is refused at once after a withdrawal (members does not wait for the gateway cache)', async () => {
    const { partnerId, key } = await consentedPartner();
    await hub.gql(WITHDRAW, { id: partnerId }, hubAdmin);
    expect(codeOf(await hub.gql(BY_HOURS, {}, key))).toBe('NOT_A_PARTNER');
    const read = await hub.gql(READ, { id: memberId }, key);
    expect(read.data).toEqual({ member: { displayName: expect.any(String), contactPhone: null } });
    expect(errorCodeAt(read, ['member', 'contactPhone'])).toBe('NOT_A_PARTNER');
  });

  it('is refused once its purpose leaves the ceiling', async () => {
    const { partnerId, key } = await consentedPartner();
    await hub.gql(
      UPDATE,
      {
        input: {
          organizationId: partnerId,
          scopes: ['PUBLIC_READ', 'MEMBERS_PERSONAL_READ'],
          purposes: ['PROGRAM_GUIDANCE'],
        },
      },
      hubAdmin,
    );
    expect(codeOf(await hub.gql(BY_HOURS, {}, key))).toBe('OUTSIDE_PARTNER_CEILING');
    const read = await hub.gql(READ, { id: memberId }, key);
    expect(errorCodeAt(read, ['member', 'contactPhone'])).toBe('OUTSIDE_PARTNER_CEILING');
  });

  it('an organisation that never was a partner reads nothing, whatever its key says', async () => {
    const key = asPartner({
      organizationId: await newOrganization(hub.prisma),
      scopes: ['public:read', 'members:personal:read'],
      purpose: 'work-matching',
    });
    expect(codeOf(await hub.gql(BY_HOURS, {}, key))).toBe('NOT_A_PARTNER');
  });
});
