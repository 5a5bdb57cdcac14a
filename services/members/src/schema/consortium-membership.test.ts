import { randomUUID } from 'node:crypto';
import type { Identity } from '@hub/identity';
import { asAdmin, asMember, asPartner } from '@hub/testing';
import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  countStatements,
  ERROR_FIELDS,
  newMember,
  newOrganization,
  typedErrorOf,
  useMembers,
} from '../../test/support/index.js';

// Consortium members named without their say (docs/authorization.md, "Links that name another
// organisation"). The review's reproduction: a member created a consortium "of" 札幌市, and
// anonymous callers then saw it among 札幌市's consortia.

const hub = useMembers();

type Role = 'staff' | 'coordinator' | 'admin';
const staffOf = (organizationId: string, role: Role = 'staff', memberId: string = randomUUID()) =>
  asMember(memberId, { staffOf: [{ organizationId, role }] });

const CREATE = `mutation ($input: CreateOrganizationInput!) {
  createOrganization(input: $input) { ... on CreateOrganizationSuccess { organization { id memberOrganizations { id } } } ... on Error { __typename code message messageEn field } }
}`;

/** A member (a real row: the creator becomes the consortium's ADMIN) creates a consortium. */
async function createConsortium(creator: Identity, memberOrganizationIds: string[]) {
  const response = await hub.gql<{
    createOrganization: { organization: { id: string; memberOrganizations: { id: string }[] } };
  }>(
    CREATE,
    {
      input: {
        name: `テスト協議会 ${randomUUID().slice(0, 6)}`,
        kind: 'CONSORTIUM',
        memberOrganizationIds,
      },
    },
    creator,
  );
  expect(response.errors).toBeUndefined();
  return response.data!.createOrganization.organization;
}

const PUBLIC_LISTS = 'consortia { id } memberOrganizations { id }';
const PENDING = `pendingConsortiumMemberships {
  consortium { id } memberOrganization { id } confirmedAt isConfirmed
}`;

type TMembership = {
  consortium: { id: string };
  memberOrganization: { id: string };
  confirmedAt: string | null;
  isConfirmed: boolean;
};
type TOrganization = {
  id: string;
  consortia?: { id: string }[];
  memberOrganizations?: { id: string }[];
  pendingConsortiumMemberships?: TMembership[] | null;
};

const organizations = (identity: Identity | null, ids: string[], fields = PUBLIC_LISTS) =>
  hub.gql<{ _entities: TOrganization[] }>(
    `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { id ${fields} } } }`,
    { r: ids.map((id) => ({ __typename: 'Organization', id })) },
    identity,
  );

const ids = (list: { id: string }[] | undefined) => (list ?? []).map((entry) => entry.id);

const CONFIRM = `mutation ($input: ConfirmConsortiumMembershipInput!) {
  confirmConsortiumMembership(input: $input) {
    ... on ConfirmConsortiumMembershipSuccess {
      membership { consortium { id } memberOrganization { id } isConfirmed confirmedAt }
    }
    ${ERROR_FIELDS}
  }
}`;
const DECLINE = `mutation ($input: DeclineConsortiumMembershipInput!) {
  declineConsortiumMembership(input: $input) {
    ... on DeclineConsortiumMembershipSuccess {
      membership { consortium { id } memberOrganization { id } isConfirmed }
    }
    ${ERROR_FIELDS}
  }
}`;

describe('the review’s reproduction', () => {
  it('does not show a self-made consortium under 札幌市 without its say', async () => {
    const sapporo = await newOrganization(hub.prisma, '札幌市 (テスト)');
    const creator = asMember(await newMember(hub.prisma));
    // Only fields that existed before the rule, so this also runs against the old schema.
    const consortium = await createConsortium(creator, [sapporo]);
    expect(consortium.memberOrganizations).toEqual([]);
    const [forSapporo, forConsortium] = (await organizations(null, [sapporo, consortium.id])).data!
      ._entities;
    expect(ids(forSapporo!.consortia)).not.toContain(consortium.id);
    expect(forConsortium!.memberOrganizations).toEqual([]);
  });
});

describe('a consortium membership named without the member’s say', () => {
  let sapporo: string;
  let consortium: string;
  let creator: Identity;

  beforeAll(async () => {
    sapporo = await newOrganization(hub.prisma, '札幌市 (保留テスト)');
    const creatorId = await newMember(hub.prisma);
    consortium = (await createConsortium(asMember(creatorId), [sapporo])).id;
    // The creator is the consortium's ADMIN (with the next token).
    creator = staffOf(consortium, 'admin', creatorId);
  });

  it('is listed publicly on neither side, for anyone', async () => {
    for (const identity of [null, asMember(randomUUID()), staffOf(sapporo), creator, asAdmin()]) {
      const [forSapporo, forConsortium] = (await organizations(identity, [sapporo, consortium]))
        .data!._entities;
      expect(ids(forSapporo!.consortia)).not.toContain(consortium);
      expect(forConsortium!.memberOrganizations).toEqual([]);
    }
  });

  it('is shown to both sides and hub admins, and to nobody else', async () => {
    const expected = [
      {
        consortium: { id: consortium },
        memberOrganization: { id: sapporo },
        confirmedAt: null,
        isConfirmed: false,
      },
    ];
    for (const [identity, side] of [
      [staffOf(sapporo, 'coordinator'), sapporo],
      [creator, consortium],
      [asAdmin(), sapporo],
      [asAdmin(), consortium],
    ] as const) {
      const response = await organizations(identity, [side], PENDING);
      expect(response.errors).toBeUndefined();
      expect(response.data!._entities[0]!.pendingConsortiumMemberships).toEqual(expected);
    }
    for (const [identity, code] of [
      [null, 'UNAUTHENTICATED'],
      [asMember(randomUUID()), 'FORBIDDEN'],
      [creator, 'FORBIDDEN'],
      [asPartner({ organizationId: sapporo }), 'FORBIDDEN'],
    ] as const) {
      const response = await organizations(identity, [sapporo], PENDING);
      expect(response.data!._entities[0]!.pendingConsortiumMemberships).toBeNull();
      expect(response.errors?.[0]?.extensions?.code).toBe(code);
    }
  });

  it('may be answered only by the member organisation’s admin or a hub admin', async () => {
    const input = { consortiumId: consortium, memberOrganizationId: sapporo };
    for (const [identity, code] of [
      [null, 'UNAUTHENTICATED'],
      [staffOf(sapporo, 'coordinator'), 'FORBIDDEN'],
      [creator, 'FORBIDDEN'],
      [asMember(randomUUID()), 'FORBIDDEN'],
    ] as const) {
      for (const mutation of [CONFIRM, DECLINE]) {
        const response = await hub.gql(mutation, { input }, identity);
        expect(response.data).toBeNull();
        expect(response.errors?.[0]?.extensions?.code).toBe(code);
      }
    }
  });

  it('counts once the member organisation’s admin confirms it', async () => {
    const admin = staffOf(sapporo, 'admin');
    const input = { consortiumId: consortium, memberOrganizationId: sapporo };
    const response = await hub.gql<{ confirmConsortiumMembership: { membership: TMembership } }>(
      CONFIRM,
      { input },
      admin,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.confirmConsortiumMembership.membership).toMatchObject({
      consortium: { id: consortium },
      memberOrganization: { id: sapporo },
      isConfirmed: true,
      confirmedAt: expect.any(String),
    });
    const [forSapporo, forConsortium] = (await organizations(null, [sapporo, consortium])).data!
      ._entities;
    expect(ids(forSapporo!.consortia)).toContain(consortium);
    expect(ids(forConsortium!.memberOrganizations)).toEqual([sapporo]);
    const pending = await organizations(admin, [sapporo], PENDING);
    expect(pending.data!._entities[0]!.pendingConsortiumMemberships).toEqual([]);

    // Confirming again changes nothing; declining a confirmed membership is a conflict.
    const again = await hub.gql<{ confirmConsortiumMembership: { membership: TMembership } }>(
      CONFIRM,
      { input },
      admin,
    );
    expect(again.data!.confirmConsortiumMembership.membership.confirmedAt).toBe(
      response.data!.confirmConsortiumMembership.membership.confirmedAt,
    );
    const decline = await hub.gql(DECLINE, { input }, admin);
    expect(typedErrorOf(decline, 'declineConsortiumMembership')).toMatchObject({
      __typename: 'ConflictError',
      code: 'CONFLICT',
      field: 'input.memberOrganizationId',
    });
  });
});

describe('declining a consortium membership', () => {
  it('removes it: nothing is left to list or answer', async () => {
    const [company, other] = [await newOrganization(hub.prisma), await newOrganization(hub.prisma)];
    // The creator is staff of `other`, not of `company`.
    const creatorId = await newMember(hub.prisma);
    const consortium = (
      await createConsortium(staffOf(other, 'staff', creatorId), [company, other])
    ).id;
    const input = { consortiumId: consortium, memberOrganizationId: company };
    const response = await hub.gql<{ declineConsortiumMembership: { membership: TMembership } }>(
      DECLINE,
      { input },
      staffOf(company, 'admin'),
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.declineConsortiumMembership.membership).toEqual({
      consortium: { id: consortium },
      memberOrganization: { id: company },
      isConfirmed: false,
    });
    const after = await organizations(
      asAdmin(),
      [company, consortium],
      `${PUBLIC_LISTS} ${PENDING}`,
    );
    const [forCompany, forConsortium] = after.data!._entities;
    expect(forCompany!.pendingConsortiumMemberships).toEqual([]);
    expect(forConsortium!.pendingConsortiumMemberships).toEqual([]);
    expect(ids(forConsortium!.memberOrganizations)).toEqual([other]);
    const again = await hub.gql(CONFIRM, { input }, staffOf(company, 'admin'));
    expect(typedErrorOf(again, 'confirmConsortiumMembership')).toMatchObject({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
      field: 'input.memberOrganizationId',
    });
  });
});

describe('memberships that count at once', () => {
  it('counts members the creator is staff of, and leaves the others pending', async () => {
    const [first, second, stranger] = [
      await newOrganization(hub.prisma),
      await newOrganization(hub.prisma),
      await newOrganization(hub.prisma),
    ];
    const creator = asMember(await newMember(hub.prisma), {
      staffOf: [
        { organizationId: first, role: 'coordinator' },
        { organizationId: second, role: 'staff' },
      ],
    });
    const consortium = await createConsortium(creator, [first, second, stranger]);
    expect(ids(consortium.memberOrganizations).sort()).toEqual([first, second].sort());
    const forStranger = await organizations(asAdmin(), [stranger], PENDING);
    expect(
      forStranger.data!._entities[0]!.pendingConsortiumMemberships!.map((m) => m.consortium.id),
    ).toEqual([consortium.id]);
  });

  it('counts every member a hub admin names', async () => {
    const [first, second] = [await newOrganization(hub.prisma), await newOrganization(hub.prisma)];
    const consortium = await createConsortium(asAdmin(), [first, second]);
    expect(ids(consortium.memberOrganizations).sort()).toEqual([first, second].sort());
    const [forFirst] = (await organizations(null, [first])).data!._entities;
    expect(ids(forFirst!.consortia)).toEqual([consortium.id]);
  });
});

describe('answering with bad input', () => {
  it.each([
    [
      'a consortium id that is not a UUID',
      { consortiumId: 'scs' },
      'BAD_USER_INPUT',
      'input.consortiumId',
    ],
    [
      'a member id that is not a UUID',
      { memberOrganizationId: 'sapporo' },
      'BAD_USER_INPUT',
      'input.memberOrganizationId',
    ],
  ])('refuses %s with a stable code in errors[]', async (_name, change, code, field) => {
    for (const mutation of [CONFIRM, DECLINE]) {
      const response = await hub.gql(
        mutation,
        { input: { consortiumId: randomUUID(), memberOrganizationId: randomUUID(), ...change } },
        asAdmin(),
      );
      expect(response.data).toBeNull();
      expect(response.errors?.[0]?.extensions).toMatchObject({ code, field });
      expect(response.errors?.[0]?.message).toMatch(/[ぁ-んァ-ヶ一-龠]/);
    }
  });

  it('answers a membership that does not exist with a typed NotFoundError', async () => {
    for (const [mutation, name] of [
      [CONFIRM, 'confirmConsortiumMembership'],
      [DECLINE, 'declineConsortiumMembership'],
    ] as const) {
      const response = await hub.gql(
        mutation,
        { input: { consortiumId: randomUUID(), memberOrganizationId: randomUUID() } },
        asAdmin(),
      );
      expect(typedErrorOf(response, name)).toMatchObject({
        __typename: 'NotFoundError',
        code: 'NOT_FOUND',
        field: 'input.memberOrganizationId',
      });
    }
  });
});

describe('Organization.pendingConsortiumMemberships', () => {
  it('costs one statement for all organisations, and one for the organisations they name', async () => {
    const consortia: string[] = [];
    for (let n = 0; n < 2; n += 1) {
      const named = [await newOrganization(hub.prisma), await newOrganization(hub.prisma)];
      consortia.push((await createConsortium(asMember(await newMember(hub.prisma)), named)).id);
    }
    const { result, statements } = await countStatements(() =>
      organizations(asAdmin(), consortia, PENDING),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities.map((o) => o.pendingConsortiumMemberships!.length)).toEqual([
      2, 2,
    ]);
    // The consortia, their pending memberships, and the four organisations they name.
    expect(statements).toBe(3);
  });
});
