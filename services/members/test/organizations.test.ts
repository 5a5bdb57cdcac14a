import { randomUUID } from 'node:crypto';
import { todayInJapan } from '@hub/contracts';
import { asAdmin, asMember, asPartner } from '@hub/testing';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { addAffiliation } from '../src/domain/add-affiliation.js';
import {
  ERROR_FIELDS,
  newMember,
  newOrganization,
  outboxOf,
  typedErrorOf,
  useMembers,
} from './support/index.js';

const hub = useMembers();

const CREATE = `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) {
  ... on CreateOrganizationSuccess { organization { id name affiliations { nodes { role } } } } ... on Error { __typename code message messageEn field } } }`;

describe('createOrganization', () => {
  it('a member who creates one becomes its ADMIN, in the same transaction', async () => {
    const memberId = await newMember(hub.prisma);
    const creator = asMember(memberId);
    const response = await hub.gql<{
      createOrganization: { organization: { id: string; affiliations: null } };
    }>(
      CREATE,
      { input: { name: 'コワーキング ゆい', kind: 'SPACE_OPERATOR', municipalityCode: '202151' } },
      creator,
    );
    const organizationId = response.data!.createOrganization.organization.id;
    // Staff rights come with the next access token (staffOf is read from the token).
    expect(response.data!.createOrganization.organization.affiliations).toBeNull();
    expect(response.errors?.map((error) => error.path)).toEqual([
      ['createOrganization', 'organization', 'affiliations'],
    ]);
    const withNewToken = asMember(memberId, { staffOf: [{ organizationId, role: 'admin' }] });
    const listed = await hub.gql(
      'query($id: ID!) { organization(id: $id) { affiliations { totalCount nodes { role member { id } } } } }',
      { id: organizationId },
      withNewToken,
    );
    expect(listed.data).toEqual({
      organization: {
        affiliations: { totalCount: 1, nodes: [{ role: 'ADMIN', member: { id: memberId } }] },
      },
    });
    const affiliations = await hub.rows(
      'SELECT member_id, role::text, starts_on::text, ends_on FROM affiliation WHERE organization_id = $1',
      [organizationId],
    );
    expect(affiliations).toEqual([
      { member_id: memberId, role: 'admin', starts_on: todayInJapan(), ends_on: null },
    ]);
    expect((await outboxOf(hub, organizationId)).map((event) => event.type)).toEqual([
      'members.organization.created',
    ]);
    const memberEvents = await outboxOf(hub, memberId);
    expect(memberEvents.at(-1)).toMatchObject({
      type: 'members.affiliation.changed',
      payload: {
        data: { organizationId, memberId, role: 'admin', change: 'started', endsOn: null },
      },
    });
  });

  it('a hub admin creates one without becoming part of it; others may not', async () => {
    const input = { name: `管理者作成 ${randomUUID().slice(0, 6)}`, kind: 'NONPROFIT' };
    const byAdmin = await hub.gql<{ createOrganization: { organization: { id: string } } }>(
      CREATE,
      { input },
      asAdmin(),
    );
    expect(byAdmin.errors).toBeUndefined();
    const rows = await hub.rows('SELECT 1 FROM affiliation WHERE organization_id = $1', [
      byAdmin.data!.createOrganization.organization.id,
    ]);
    expect(rows).toEqual([]);
    expect((await hub.gql(CREATE, { input })).errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    expect((await hub.gql(CREATE, { input }, asPartner())).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
  });

  it('rejects a wrong corporate number with INVALID_CORPORATE_NUMBER and writes nothing', async () => {
    const memberId = await newMember(hub.prisma);
    const [before] = await hub.rows<{ n: string }>('SELECT count(*) AS n FROM organization');
    const response = await hub.gql(
      CREATE,
      { input: { name: '誤り', kind: 'BANK', corporateNumber: '8000012050002' } },
      asMember(memberId),
    );
    expect(typedErrorOf(response, 'createOrganization')).toMatchObject({
      __typename: 'InvalidInputError',
      code: 'INVALID_CORPORATE_NUMBER',
      field: 'input.corporateNumber',
    });
    expect(await hub.rows('SELECT count(*) AS n FROM organization')).toEqual([before]);
    expect(await hub.rows('SELECT 1 FROM affiliation WHERE member_id = $1', [memberId])).toEqual(
      [],
    );
  });

  // A website is shown to other people as a link: only absolute http(s) URLs (the kit's httpUrl).
  it.each(['file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,x'])(
    'rejects the website URL %s with a typed InvalidInputError and writes nothing',
    async (websiteUrl) => {
      const [before] = await hub.rows<{ n: string }>('SELECT count(*) AS n FROM organization');
      const response = await hub.gql(
        CREATE,
        { input: { name: 'リンク', kind: 'NONPROFIT', websiteUrl } },
        asAdmin(),
      );
      expect(typedErrorOf(response, 'createOrganization')).toMatchObject({
        __typename: 'InvalidInputError',
        code: 'BAD_USER_INPUT',
        field: 'input.websiteUrl',
        message: expect.stringContaining('http: または https:'),
      });
      expect(await hub.rows('SELECT count(*) AS n FROM organization')).toEqual([before]);
    },
  );

  it('keeps consortium membership', async () => {
    const [a, b] = [await newOrganization(hub.prisma), await newOrganization(hub.prisma)];
    const response = await hub.gql<{ createOrganization: { organization: { id: string } } }>(
      'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { ... on CreateOrganizationSuccess { organization { id memberOrganizations { id } } } ... on Error { __typename code message messageEn field } } }',
      { input: { name: '協議会', kind: 'CONSORTIUM', memberOrganizationIds: [a, b] } },
      asAdmin(),
    );
    expect(response.data!.createOrganization.organization).toMatchObject({
      memberOrganizations: expect.arrayContaining([{ id: a }, { id: b }]),
    });
  });
});

describe('affiliations', () => {
  let organizationId: string;
  const orgAdmin = () => asMember(randomUUID(), { staffOf: [{ organizationId, role: 'admin' }] });
  const staff = () => asMember(randomUUID(), { staffOf: [{ organizationId, role: 'staff' }] });
  const ADD = `mutation($input: AddAffiliationInput!) { addAffiliation(input: $input) {
    ... on AddAffiliationSuccess {
      affiliation { id role startsOn endsOn isConfirmed member { id } organization { id } }
    }
    ${ERROR_FIELDS} } }`;
  const PROMOTE = `mutation($m: ID!, $o: ID!, $role: AffiliationRole!, $from: Date!) {
    promoteMember(input: { memberId: $m, organizationId: $o, role: $role, startsOn: $from }) {
      ... on PromoteMemberSuccess { affiliation { id role startsOn endsOn } } ${ERROR_FIELDS} } }`;
  const END = `mutation($id: ID!, $on: Date!) { endAffiliation(input: { id: $id, endsOn: $on }) {
    ... on EndAffiliationSuccess { affiliation { id endsOn } } ${ERROR_FIELDS} } }`;
  const CAREER = `query($id: ID!) { member(id: $id) {
    careerPath { role startsOn endsOn organization { id } } affiliations { role startsOn } } }`;

  beforeAll(async () => {
    organizationId = await newOrganization(hub.prisma);
  });

  it('addAffiliation: hub admins and the organisation’s admins and staff; announced once confirmed', async () => {
    const memberId = await newMember(hub.prisma);
    const input = { memberId, organizationId, role: 'WORKER', startsOn: '2024-04-01' };
    for (const [identity, code] of [
      [null, 'UNAUTHENTICATED'],
      [asMember(memberId), 'FORBIDDEN'],
      [
        asMember(randomUUID(), { staffOf: [{ organizationId: randomUUID(), role: 'admin' }] }),
        'FORBIDDEN',
      ],
      [asPartner(), 'FORBIDDEN'],
    ] as const) {
      expect((await hub.gql(ADD, { input }, identity)).errors?.[0]?.extensions?.code).toBe(code);
    }
    const added = await hub.gql<{
      addAffiliation: { affiliation: { id: string; isConfirmed: boolean } };
    }>(ADD, { input }, orgAdmin());
    expect(added.errors).toBeUndefined();
    // Added by the organisation: it awaits the member and is announced when they confirm it.
    expect(added.data!.addAffiliation.affiliation.isConfirmed).toBe(false);
    expect((await outboxOf(hub, memberId)).map((event) => event.type)).toEqual([
      'members.member.registered',
      'members.referral.changed',
    ]);
    const confirmed = await hub.gql(
      'mutation($id: ID!) { confirmAffiliation(input: { id: $id }) { __typename } }',
      { id: added.data!.addAffiliation.affiliation.id },
      asMember(memberId),
    );
    expect(confirmed.data).toEqual({
      confirmAffiliation: { __typename: 'ConfirmAffiliationSuccess' },
    });
    const events = await outboxOf(hub, memberId);
    expect(events.at(-1)).toEqual({
      type: 'members.affiliation.changed',
      payload: expect.objectContaining({
        data: {
          affiliationId: added.data!.addAffiliation.affiliation.id,
          memberId,
          organizationId,
          role: 'worker',
          startsOn: '2024-04-01',
          endsOn: null,
          change: 'started',
        },
      }),
    });
    const overlap = await hub.gql(ADD, { input: { ...input, startsOn: '2024-10-01' } }, staff());
    expect(typedErrorOf(overlap, 'addAffiliation')).toMatchObject({
      __typename: 'ConflictError',
      code: 'CONFLICT',
      field: 'input.startsOn',
    });
    const another = await hub.gql(
      ADD,
      { input: { ...input, role: 'CONTACT', startsOn: '2024-10-01' } },
      staff(),
    );
    expect(another.errors).toBeUndefined();
  });

  it('granting, taking and ending staff roles is for the organisation’s admins', async () => {
    const memberId = await newMember(hub.prisma);
    const asStaff = staff();
    const addStaff = await hub.gql(
      ADD,
      { input: { memberId, organizationId, role: 'COORDINATOR', startsOn: '2024-04-01' } },
      asStaff,
    );
    expect(addStaff.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const worker = await addAffiliation(
      { prisma: hub.prisma },
      {
        memberId,
        organizationId,
        role: 'WORKER',
        startsOn: '2024-04-01',
      },
      { confirmed: true },
    );
    const selfPromotion = await hub.gql(
      PROMOTE,
      { m: asStaff.memberId, o: organizationId, role: 'ADMIN', from: '2025-04-01' },
      asStaff,
    );
    expect(selfPromotion.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const toStaff = await hub.gql(
      PROMOTE,
      { m: memberId, o: organizationId, role: 'STAFF', from: '2025-04-01' },
      asStaff,
    );
    expect(toStaff.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const byAdmin = await hub.gql<{ promoteMember: { affiliation: { id: string } } }>(
      PROMOTE,
      { m: memberId, o: organizationId, role: 'STAFF', from: '2025-04-01' },
      orgAdmin(),
    );
    expect(byAdmin.errors).toBeUndefined();
    const endStaff = await hub.gql(
      END,
      { id: byAdmin.data!.promoteMember.affiliation.id, on: '2025-12-31' },
      asStaff,
    );
    expect(endStaff.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(worker.role).toBe('WORKER');
  });

  it('promoteMember keeps worker → leader → staff as history, oldest first', async () => {
    const memberId = await newMember(hub.prisma);
    await addAffiliation(
      { prisma: hub.prisma },
      {
        memberId,
        organizationId,
        role: 'WORKER',
        startsOn: '2016-04-01',
      },
      { confirmed: true },
    );
    const toLeader = await hub.gql(
      PROMOTE,
      { m: memberId, o: organizationId, role: 'LEADER', from: '2017-04-01' },
      orgAdmin(),
    );
    expect(toLeader.data!.promoteMember).toMatchObject({ affiliation: { role: 'LEADER' } });
    const toStaff = await hub.gql(
      PROMOTE,
      { m: memberId, o: organizationId, role: 'STAFF', from: '2019-04-01' },
      asAdmin(),
    );
    expect(toStaff.data!.promoteMember).toMatchObject({ affiliation: { role: 'STAFF' } });
    const career = await hub.gql<{
      member: { careerPath: unknown[]; affiliations: { role: string }[] };
    }>(CAREER, { id: memberId }, asMember(memberId));
    expect(career.data!.member.careerPath).toEqual([
      {
        role: 'WORKER',
        startsOn: '2016-04-01',
        endsOn: '2017-03-31',
        organization: { id: organizationId },
      },
      {
        role: 'LEADER',
        startsOn: '2017-04-01',
        endsOn: '2019-03-31',
        organization: { id: organizationId },
      },
      { role: 'STAFF', startsOn: '2019-04-01', endsOn: null, organization: { id: organizationId } },
    ]);
    expect(career.data!.member.affiliations.map((a) => a.role)).toEqual([
      'STAFF',
      'LEADER',
      'WORKER',
    ]);
    const changes = (await outboxOf(hub, memberId))
      .filter((event) => event.type === 'members.affiliation.changed')
      .map((event) => [
        event.payload.data.role,
        event.payload.data.change,
        event.payload.data.endsOn,
      ]);
    expect(changes).toEqual([
      ['worker', 'started', null],
      ['worker', 'ended', '2017-03-31'],
      ['leader', 'started', null],
      ['leader', 'ended', '2019-03-31'],
      ['staff', 'started', null],
    ]);
  });

  it.each([
    [
      'no current affiliation there',
      { role: 'LEADER', from: '2025-04-01', fresh: true },
      'NotFoundError',
      'NOT_FOUND',
      'organizationId',
    ],
    [
      'the same role',
      { role: 'WORKER', from: '2025-04-01' },
      'InvalidInputError',
      'BAD_USER_INPUT',
      'role',
    ],
    [
      'a start before the current one’s',
      { role: 'LEADER', from: '2020-04-01' },
      'InvalidInputError',
      'BAD_USER_INPUT',
      'startsOn',
    ],
  ])(
    'promoteMember refuses %s as %s and writes nothing',
    async (_label, change, typename, code, field) => {
      const memberId = await newMember(hub.prisma);
      if (!('fresh' in change)) {
        await addAffiliation(
          { prisma: hub.prisma },
          {
            memberId,
            organizationId,
            role: 'WORKER',
            startsOn: '2020-04-01',
          },
          { confirmed: true },
        );
      }
      const before = await hub.rows('SELECT * FROM affiliation WHERE member_id = $1', [memberId]);
      const events = (await outboxOf(hub, memberId)).length;
      const response = await hub.gql(
        PROMOTE,
        { m: memberId, o: organizationId, role: change.role, from: change.from },
        asAdmin(),
      );
      expect(typedErrorOf(response, 'promoteMember')).toMatchObject({
        __typename: typename,
        code,
        field: `input.${field}`,
      });
      expect(await hub.rows('SELECT * FROM affiliation WHERE member_id = $1', [memberId])).toEqual(
        before,
      );
      expect(await outboxOf(hub, memberId)).toHaveLength(events);
    },
  );

  it('endAffiliation: staff of the organisation or the member; announced; once', async () => {
    const memberId = await newMember(hub.prisma);
    const affiliation = await addAffiliation(
      { prisma: hub.prisma },
      {
        memberId,
        organizationId,
        role: 'WORKER',
        startsOn: '2023-04-01',
      },
      { confirmed: true },
    );
    const outsider = await hub.gql(
      END,
      { id: affiliation.id, on: '2024-03-31' },
      asMember(randomUUID()),
    );
    expect(outsider.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const unknown = await hub.gql(END, { id: randomUUID(), on: '2024-03-31' }, staff());
    expect(unknown.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const early = await hub.gql(END, { id: affiliation.id, on: '2023-03-31' }, asMember(memberId));
    expect(typedErrorOf(early, 'endAffiliation')).toMatchObject({
      __typename: 'InvalidInputError',
      code: 'BAD_USER_INPUT',
      field: 'input.endsOn',
    });
    const ended = await hub.gql(END, { id: affiliation.id, on: '2024-03-31' }, asMember(memberId));
    expect(ended.data).toEqual({
      endAffiliation: { affiliation: { id: affiliation.id, endsOn: '2024-03-31' } },
    });
    expect((await outboxOf(hub, memberId)).at(-1)!.payload.data).toMatchObject({
      affiliationId: affiliation.id,
      change: 'ended',
      endsOn: '2024-03-31',
    });
    const again = await hub.gql(END, { id: affiliation.id, on: '2024-04-30' }, staff());
    expect(typedErrorOf(again, 'endAffiliation')).toMatchObject({
      __typename: 'ConflictError',
      code: 'CONFLICT',
      field: 'input.id',
    });
  });
});
