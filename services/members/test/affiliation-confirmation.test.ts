import { randomUUID } from 'node:crypto';
import { todayInJapan } from '@hub/contracts';
import type { MemberIdentity } from '@hub/identity';
import { asAdmin, asMember, asPartner, type GraphQLResponse } from '@hub/testing';
import { describe, expect, it } from '@jest/globals';
import { activeStaffOf } from '../src/identity/staff-of.js';
import {
  ERROR_FIELDS,
  errorCodeAt,
  newAccount,
  newMember,
  outboxOf,
  typedErrorOf,
  useMembers,
} from './support/index.js';

// Any member may create an organisation (becoming its ADMIN) and its admins and staff may add
// people to it; staff read the personal data of the people registered with their organisation.
// An affiliation added by the organisation therefore counts only once the member confirms it.

const hub = useMembers();

const CREATE_ORGANIZATION =
  'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { ... on CreateOrganizationSuccess { organization { id } } ... on Error { __typename code message messageEn field } } }';
const ADD = `mutation($input: AddAffiliationInput!) { addAffiliation(input: $input) {
  ... on AddAffiliationSuccess { affiliation { id role isConfirmed confirmedAt endsOn } }
  ${ERROR_FIELDS} } }`;
const PROMOTE = `mutation($m: ID!, $o: ID!, $role: AffiliationRole!, $from: Date!) {
  promoteMember(input: { memberId: $m, organizationId: $o, role: $role, startsOn: $from }) {
    ... on PromoteMemberSuccess { affiliation { id role isConfirmed confirmedAt } }
    ${ERROR_FIELDS} } }`;
const END = `mutation($id: ID!, $on: Date!) { endAffiliation(input: { id: $id, endsOn: $on }) {
  ... on EndAffiliationSuccess { affiliation { id endsOn } } ${ERROR_FIELDS} } }`;
const CONFIRM = `mutation($id: ID!) { confirmAffiliation(input: { id: $id }) {
  ... on ConfirmAffiliationSuccess { affiliation { id isConfirmed confirmedAt endsOn } }
  ${ERROR_FIELDS} } }`;
const DECLINE = `mutation($id: ID!) { declineAffiliation(input: { id: $id }) {
  ... on DeclineAffiliationSuccess { affiliation { id isConfirmed confirmedAt endsOn } }
  ${ERROR_FIELDS} } }`;
const PENDING = `query($id: ID!) { member(id: $id) {
  pendingAffiliations { id role isConfirmed organization { id } } } }`;
const PERSONAL_FIELDS = ['email', 'contactPhone', 'homeMunicipalityCode', 'careerPath'] as const;
const PERSONAL = `query($id: ID!) { member(id: $id) { id displayName email contactPhone
  homeMunicipalityCode careerPath { id role isConfirmed endsOn organization { id } } } }`;
const BY_HOME = `{ members(first: 100, filter: { homeMunicipalityCode: "131016" }) {
  edges { node { id } } } }`;

type Added = { id: string; role: string; isConfirmed: boolean; confirmedAt: string | null };
type PersonalData = {
  member: {
    id: string;
    displayName: string;
    email: string | null;
    contactPhone: string | null;
    homeMunicipalityCode: string | null;
    careerPath: { id: string; isConfirmed: boolean; endsOn: string | null }[] | null;
  };
};

/** A member with an account and personal data, unrelated to anyone. */
async function newStranger(): Promise<string> {
  const id = await newMember(hub.prisma, {
    displayName: '見知らぬ 人',
    contactPhone: '090-0000-0000',
    homeMunicipalityCode: '131016',
    skills: [{ code: 'writing', level: 2 }],
  });
  await newAccount(hub.prisma, id);
  return id;
}

/**
 * A signed-in member who creates an organisation and so becomes its ADMIN, with the staffOf
 * their next access token carries (read as sign-in and refresh read it).
 */
async function memberWithOwnOrganization(): Promise<{
  organizationId: string;
  founder: MemberIdentity;
}> {
  const memberId = await newMember(hub.prisma);
  await newAccount(hub.prisma, memberId);
  const created = await hub.gql<{ createOrganization: { organization: { id: string } } }>(
    CREATE_ORGANIZATION,
    { input: { name: `自作の組織 ${randomUUID().slice(0, 6)}`, kind: 'NONPROFIT' } },
    asMember(memberId),
  );
  expect(created.errors).toBeUndefined();
  const organizationId = created.data!.createOrganization.organization.id;
  // The creator's ADMIN affiliation is confirmed: it is their own.
  const staffOf = await activeStaffOf(hub.prisma, memberId, new Date());
  expect(staffOf).toEqual([{ organizationId, role: 'admin' }]);
  return { organizationId, founder: asMember(memberId, { staffOf }) };
}

async function add(
  caller: MemberIdentity,
  input: { memberId: string; organizationId: string; role: string; startsOn?: string },
): Promise<Added> {
  const response = await hub.gql<{ addAffiliation: { affiliation: Added } }>(
    ADD,
    { input: { startsOn: todayInJapan(), ...input } },
    caller,
  );
  expect(response.errors).toBeUndefined();
  return response.data!.addAffiliation.affiliation;
}

/** The affiliation was not confirmed or declined: a typed ConflictError at its id. */
function expectConflict(response: GraphQLResponse<unknown>) {
  const [mutation] = Object.keys(response.data ?? {});
  expect(typedErrorOf(response, mutation!)).toMatchObject({
    __typename: 'ConflictError',
    code: 'CONFLICT',
    field: 'input.id',
  });
}

async function affiliationEvents(memberId: string) {
  return (await outboxOf(hub, memberId))
    .filter((event) => event.type === 'members.affiliation.changed')
    .map((event) => event.payload.data);
}

function expectRefusedPersonalData(response: GraphQLResponse<PersonalData>, memberId: string) {
  expect(response.data!.member).toEqual({
    id: memberId,
    displayName: '見知らぬ 人',
    email: null,
    contactPhone: null,
    homeMunicipalityCode: null,
    careerPath: null,
  });
  for (const field of PERSONAL_FIELDS) {
    expect(errorCodeAt(response, ['member', field])).toBe('FORBIDDEN');
  }
}

describe('the gap: create an organisation, add a stranger, read their personal data', () => {
  it('is closed until the stranger confirms; once confirmed, the staff may read it', async () => {
    const { organizationId, founder } = await memberWithOwnOrganization();
    const strangerId = await newStranger();

    const added = await add(founder, { memberId: strangerId, organizationId, role: 'WORKER' });
    expect(added).toMatchObject({ role: 'WORKER', isConfirmed: false, confirmedAt: null });
    // Not announced: the affiliation does not hold for anyone yet.
    expect(await affiliationEvents(strangerId)).toEqual([]);

    const refused = await hub.gql<PersonalData>(PERSONAL, { id: strangerId }, founder);
    expectRefusedPersonalData(refused, strangerId);
    // Nor through a filter, a skill verification or the list of pending affiliations.
    const filtered = await hub.gql<{ members: { edges: { node: { id: string } }[] } }>(
      BY_HOME,
      {},
      founder,
    );
    expect(filtered.errors).toBeUndefined();
    expect(filtered.data!.members.edges.map((edge) => edge.node.id)).not.toContain(strangerId);
    const verify = await hub.gql(
      'mutation($id: ID!) { verifyMemberSkill(input: { memberId: $id, skillCode: "writing" }) { __typename } }',
      { id: strangerId },
      founder,
    );
    expect(verify.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const othersPending = await hub.gql(PENDING, { id: strangerId }, founder);
    expect(errorCodeAt(othersPending, ['member', 'pendingAffiliations'])).toBe('FORBIDDEN');

    // The stranger sees what awaits them…
    const pending = await hub.gql<{ member: { pendingAffiliations: unknown[] } }>(
      PENDING,
      { id: strangerId },
      asMember(strangerId),
    );
    expect(pending.data!.member.pendingAffiliations).toEqual([
      { id: added.id, role: 'WORKER', isConfirmed: false, organization: { id: organizationId } },
    ]);

    // …and confirms it.
    const confirmed = await hub.gql<{ confirmAffiliation: { affiliation: Added } }>(
      CONFIRM,
      { id: added.id },
      asMember(strangerId),
    );
    expect(confirmed.errors).toBeUndefined();
    expect(confirmed.data!.confirmAffiliation.affiliation).toMatchObject({
      id: added.id,
      isConfirmed: true,
      confirmedAt: expect.any(String),
      endsOn: null,
    });
    expect(await affiliationEvents(strangerId)).toEqual([
      {
        affiliationId: added.id,
        memberId: strangerId,
        organizationId,
        role: 'worker',
        startsOn: todayInJapan(),
        endsOn: null,
        change: 'started',
      },
    ]);
    const none = await hub.gql<{ member: { pendingAffiliations: unknown[] } }>(
      PENDING,
      { id: strangerId },
      asMember(strangerId),
    );
    expect(none.data!.member.pendingAffiliations).toEqual([]);

    const allowed = await hub.gql<PersonalData>(PERSONAL, { id: strangerId }, founder);
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data!.member).toMatchObject({
      email: `${strangerId}@example.test`,
      contactPhone: '090-0000-0000',
      homeMunicipalityCode: '131016',
      careerPath: [{ id: added.id, isConfirmed: true, endsOn: null }],
    });

    // Confirming again changes nothing; a confirmed affiliation is ended, not declined.
    const again = await hub.gql<{ confirmAffiliation: { affiliation: Added } }>(
      CONFIRM,
      { id: added.id },
      asMember(strangerId),
    );
    expect(again.data!.confirmAffiliation.affiliation.confirmedAt).toBe(
      confirmed.data!.confirmAffiliation.affiliation.confirmedAt,
    );
    expect(await affiliationEvents(strangerId)).toHaveLength(1);
    const decline = await hub.gql(DECLINE, { id: added.id }, asMember(strangerId));
    expectConflict(decline);
  });
});

describe('confirmAffiliation and declineAffiliation', () => {
  it('are for the member themself only; others change nothing', async () => {
    const { organizationId, founder } = await memberWithOwnOrganization();
    const strangerId = await newStranger();
    const added = await add(founder, { memberId: strangerId, organizationId, role: 'WORKER' });
    for (const mutation of [CONFIRM, DECLINE]) {
      for (const [identity, code] of [
        [null, 'UNAUTHENTICATED'],
        [founder, 'FORBIDDEN'],
        [asAdmin(), 'FORBIDDEN'],
        [asMember(randomUUID()), 'FORBIDDEN'],
        [asPartner({ scopes: ['members:personal:read'], purpose: 'work-matching' }), 'FORBIDDEN'],
      ] as const) {
        const response = await hub.gql(mutation, { id: added.id }, identity);
        expect(response.errors?.[0]?.extensions?.code).toBe(code);
      }
      // Unknown ids are refused like someone else's, so ids cannot be probed; a malformed one
      // is refused for its form, which says nothing about any affiliation.
      const unknown = await hub.gql(mutation, { id: randomUUID() }, asMember(strangerId));
      expect(unknown.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const malformed = await hub.gql(mutation, { id: 'not-an-id' }, asMember(strangerId));
      expect(malformed.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.id',
      });
    }
    expect(
      await hub.rows('SELECT confirmed_at, ends_on FROM affiliation WHERE id = $1', [added.id]),
    ).toEqual([{ confirmed_at: null, ends_on: null }]);
  });

  it('declining ends the affiliation today, keeps it as history and grants nothing', async () => {
    const { organizationId, founder } = await memberWithOwnOrganization();
    const strangerId = await newStranger();
    const added = await add(founder, {
      memberId: strangerId,
      organizationId,
      role: 'WORKER',
      startsOn: '2024-04-01',
    });
    const declined = await hub.gql<{
      declineAffiliation: { affiliation: Added & { endsOn: string } };
    }>(DECLINE, { id: added.id }, asMember(strangerId));
    expect(declined.errors).toBeUndefined();
    expect(declined.data!.declineAffiliation.affiliation).toEqual({
      id: added.id,
      isConfirmed: false,
      confirmedAt: null,
      endsOn: todayInJapan(),
    });
    const pending = await hub.gql<{ member: { pendingAffiliations: unknown[] } }>(
      PENDING,
      { id: strangerId },
      asMember(strangerId),
    );
    expect(pending.data!.member.pendingAffiliations).toEqual([]);
    const own = await hub.gql<PersonalData>(PERSONAL, { id: strangerId }, asMember(strangerId));
    expect(own.data!.member.careerPath).toEqual([
      {
        id: added.id,
        role: 'WORKER',
        isConfirmed: false,
        endsOn: todayInJapan(),
        organization: { id: organizationId },
      },
    ]);
    expectRefusedPersonalData(
      await hub.gql<PersonalData>(PERSONAL, { id: strangerId }, founder),
      strangerId,
    );
    // Never announced, so nothing to announce now.
    expect(await affiliationEvents(strangerId)).toEqual([]);
    // A declined affiliation cannot be confirmed or declined afterwards.
    for (const mutation of [CONFIRM, DECLINE]) {
      const response = await hub.gql(mutation, { id: added.id }, asMember(strangerId));
      expectConflict(response);
    }
  });

  it('an affiliation that has not started yet is answered from its first day', async () => {
    const { organizationId, founder } = await memberWithOwnOrganization();
    const strangerId = await newStranger();
    const added = await add(founder, {
      memberId: strangerId,
      organizationId,
      role: 'WORKER',
      startsOn: '2999-04-01',
    });
    const pending = await hub.gql<{ member: { pendingAffiliations: unknown[] } }>(
      PENDING,
      { id: strangerId },
      asMember(strangerId),
    );
    expect(pending.data!.member.pendingAffiliations).toEqual([]);
    for (const mutation of [CONFIRM, DECLINE]) {
      const response = await hub.gql(mutation, { id: added.id }, asMember(strangerId));
      expectConflict(response);
    }
  });

  it('ending an unconfirmed affiliation announces nothing', async () => {
    const { organizationId, founder } = await memberWithOwnOrganization();
    const strangerId = await newStranger();
    const added = await add(founder, {
      memberId: strangerId,
      organizationId,
      role: 'WORKER',
      startsOn: '2024-04-01',
    });
    const ended = await hub.gql(END, { id: added.id, on: '2024-09-30' }, founder);
    expect(ended.data).toEqual({
      endAffiliation: { affiliation: { id: added.id, endsOn: '2024-09-30' } },
    });
    expect(await affiliationEvents(strangerId)).toEqual([]);
  });
});

describe('confirmed as they are created', () => {
  it('by a hub admin, or by the member themself', async () => {
    const { organizationId, founder } = await memberWithOwnOrganization();
    const strangerId = await newStranger();
    const byAdmin = await add(asAdmin(), { memberId: strangerId, organizationId, role: 'WORKER' });
    expect(byAdmin).toMatchObject({ isConfirmed: true, confirmedAt: expect.any(String) });
    expect(await affiliationEvents(strangerId)).toEqual([
      expect.objectContaining({ affiliationId: byAdmin.id, change: 'started' }),
    ]);
    const read = await hub.gql<PersonalData>(PERSONAL, { id: strangerId }, founder);
    expect(read.errors).toBeUndefined();
    expect(read.data!.member.contactPhone).toBe('090-0000-0000');

    const byThemself = await add(founder, {
      memberId: founder.memberId,
      organizationId,
      role: 'EXPERT',
    });
    expect(byThemself.isConfirmed).toBe(true);
  });

  it('by registerMember: a coordinator registering a local worker without an account', async () => {
    const { organizationId, founder } = await memberWithOwnOrganization();
    const registered = await hub.gql<{
      registerMember: { member: { id: string; careerPath: { isConfirmed: boolean }[] } };
    }>(
      `mutation($input: RegisterMemberInput!) { registerMember(input: $input) {
        ... on RegisterMemberSuccess { member { id careerPath { isConfirmed } } } } }`,
      {
        input: {
          displayName: '地域 ワーカー',
          kind: 'TELEWORKER',
          contactPhone: '0263-00-0000',
          organizationId,
        },
      },
      founder,
    );
    expect(registered.errors).toBeUndefined();
    expect(registered.data!.registerMember.member.careerPath).toEqual([{ isConfirmed: true }]);
    const read = await hub.gql<{ member: { contactPhone: string } }>(
      'query($id: ID!) { member(id: $id) { contactPhone } }',
      { id: registered.data!.registerMember.member.id },
      founder,
    );
    expect(read.data!.member.contactPhone).toBe('0263-00-0000');
  });

  it('by createOrganization, for its creator', async () => {
    const { organizationId, founder } = await memberWithOwnOrganization();
    const rows = await hub.rows<{ confirmed_at: Date | null }>(
      'SELECT confirmed_at FROM affiliation WHERE organization_id = $1 AND member_id = $2',
      [organizationId, founder.memberId],
    );
    expect(rows).toEqual([{ confirmed_at: expect.any(Date) }]);
  });
});

describe('promoteMember keeps the confirmation of the affiliation it follows', () => {
  it('unconfirmed stays unconfirmed (and unannounced) until the member confirms', async () => {
    const { organizationId, founder } = await memberWithOwnOrganization();
    const strangerId = await newStranger();
    await add(founder, {
      memberId: strangerId,
      organizationId,
      role: 'WORKER',
      startsOn: '2024-04-01',
    });
    const promoted = await hub.gql<{ promoteMember: { affiliation: Added } }>(
      PROMOTE,
      { m: strangerId, o: organizationId, role: 'LEADER', from: '2025-04-01' },
      founder,
    );
    expect(promoted.errors).toBeUndefined();
    expect(promoted.data!.promoteMember.affiliation).toMatchObject({
      isConfirmed: false,
      confirmedAt: null,
    });
    expect(await affiliationEvents(strangerId)).toEqual([]);
    const pending = await hub.gql<{ member: { pendingAffiliations: { id: string }[] } }>(
      PENDING,
      { id: strangerId },
      asMember(strangerId),
    );
    expect(pending.data!.member.pendingAffiliations.map((a) => a.id)).toEqual([
      promoted.data!.promoteMember.affiliation.id,
    ]);
    expectRefusedPersonalData(
      await hub.gql<PersonalData>(PERSONAL, { id: strangerId }, founder),
      strangerId,
    );
  });

  it('confirmed stays confirmed', async () => {
    const { organizationId, founder } = await memberWithOwnOrganization();
    const strangerId = await newStranger();
    const worker = await add(asAdmin(), {
      memberId: strangerId,
      organizationId,
      role: 'WORKER',
      startsOn: '2024-04-01',
    });
    const promoted = await hub.gql<{ promoteMember: { affiliation: Added } }>(
      PROMOTE,
      { m: strangerId, o: organizationId, role: 'LEADER', from: '2025-04-01' },
      founder,
    );
    expect(promoted.data!.promoteMember.affiliation).toMatchObject({
      isConfirmed: true,
      confirmedAt: worker.confirmedAt,
    });
    expect((await affiliationEvents(strangerId)).map((event) => event.change)).toEqual([
      'started',
      'ended',
      'started',
    ]);
  });
});

describe('staff rights (staffOf) come only from confirmed staff roles', () => {
  it('a staff role an organisation gives someone counts once they confirm it', async () => {
    const { organizationId, founder } = await memberWithOwnOrganization();
    const strangerId = await newStranger();
    const added = await add(founder, {
      memberId: strangerId,
      organizationId,
      role: 'COORDINATOR',
    });
    expect(added.isConfirmed).toBe(false);
    expect(await activeStaffOf(hub.prisma, strangerId, new Date())).toEqual([]);
    await hub.gql(CONFIRM, { id: added.id }, asMember(strangerId));
    expect(await activeStaffOf(hub.prisma, strangerId, new Date())).toEqual([
      { organizationId, role: 'coordinator' },
    ]);
  });
});
