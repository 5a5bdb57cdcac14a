import { randomUUID } from 'node:crypto';
import type { ConsentPurpose, PartnerScope } from '@hub/identity';
import { asAdmin, asMember, asPartner, TEST_GATEWAY_SECRET } from '@hub/testing';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { ERROR_FIELDS, typedErrorOf, useMembers } from '../test/support/index.js';
import { demoAccess, seedDemoData } from './app.js';

// The members subgraph over real HTTP on a fresh PostgreSQL database, with the demo data.
const hub = useMembers();

beforeAll(async () => {
  await seedDemoData({ databaseUrl: hub.service.databaseUrl });
}, 60_000);

const REGISTER = `mutation($input: RegisterMemberInput!) {
  registerMember(input: $input) {
    ... on RegisterMemberSuccess {
      member { id displayName kind skills { skill { code nameJa } level isVerified } }
    }
    ${ERROR_FIELDS}
  }
}`;
const admin = asAdmin();

describe('registerMember', () => {
  it('is for hub admins and staff only', async () => {
    const input = { displayName: '登録 権限', kind: 'STUDENT' };
    const anonymous = await hub.gql(REGISTER, { input });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const member = await hub.gql(REGISTER, { input }, asMember(randomUUID()));
    expect(member.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const staff = await hub.gql(
      REGISTER,
      { input },
      asMember(randomUUID(), {
        staffOf: [{ organizationId: randomUUID(), role: 'coordinator' }],
      }),
    );
    expect(staff.errors).toBeUndefined();
  });

  it('registers a member and writes member.registered with their skills', async () => {
    const response = await hub.gql<{ registerMember: { member: { id: string } } }>(
      REGISTER,
      {
        input: {
          displayName: '試験 一郎',
          kind: 'TELEWORKER',
          municipalityCode: '012157',
          skills: [{ code: 'data-entry', level: 3 }],
        },
      },
      admin,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.registerMember.member).toMatchObject({
      displayName: '試験 一郎',
      kind: 'TELEWORKER',
      skills: [
        { skill: { code: 'data-entry', nameJa: 'データ入力' }, level: 3, isVerified: false },
      ],
    });
    const [event] = await hub.rows<{ type: string; payload: { data: Record<string, unknown> } }>(
      `SELECT type, payload FROM outbox_event
        WHERE subject = $1 AND type = 'members.member.registered'`,
      [response.data!.registerMember.member.id],
    );
    expect(event!.type).toBe('members.member.registered');
    expect(event!.payload.data).toMatchObject({
      kind: 'teleworker',
      municipalityCode: '012157',
      skills: [{ code: 'data-entry', level: 3 }],
    });
  });

  it.each([
    [
      { skills: [{ code: 'juggling', level: 3 }] },
      'NotFoundError',
      'UNKNOWN_SKILL',
      'skills.0.code',
    ],
    [
      { skills: [{ code: 'design', level: 6 }] },
      'InvalidInputError',
      'SKILL_LEVEL_OUT_OF_RANGE',
      'skills.0.level',
    ],
    [
      { skills: [{ code: 'design', level: 0 }] },
      'InvalidInputError',
      'SKILL_LEVEL_OUT_OF_RANGE',
      'skills.0.level',
    ],
    [
      {
        skills: [
          { code: 'design', level: 2 },
          { code: 'design', level: 3 },
        ],
      },
      'InvalidInputError',
      'BAD_USER_INPUT',
      'skills.1.code',
    ],
    [
      { municipalityCode: '011001' },
      'InvalidInputError',
      'INVALID_MUNICIPALITY_CODE',
      'municipalityCode',
    ],
    [{ displayName: '   ' }, 'InvalidInputError', 'BAD_USER_INPUT', 'displayName'],
    [{ organizationId: randomUUID() }, 'NotFoundError', 'NOT_FOUND', 'organizationId'],
  ])('returns %j as %s (%s) and writes nothing', async (change, typename, code, field) => {
    const outboxBefore = await hub.rows('SELECT count(*) FROM outbox_event');
    const [{ count: before }] = (await hub.rows<{ count: string }>(
      'SELECT count(*) FROM member',
    )) as [{ count: string }];
    const response = await hub.gql(
      REGISTER,
      { input: { displayName: '不正', kind: 'STUDENT', ...change } },
      admin,
    );
    expect(typedErrorOf(response, 'registerMember')).toMatchObject({
      __typename: typename,
      code,
      field: `input.${field}`,
    });
    const [{ count: after }] = (await hub.rows<{ count: string }>(
      'SELECT count(*) FROM member',
    )) as [{ count: string }];
    expect(after).toBe(before);
    expect(await hub.rows('SELECT count(*) FROM outbox_event')).toEqual(outboxBefore);
  });
});

describe('organizations', () => {
  const CREATE =
    'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { ... on CreateOrganizationSuccess { organization { id name kind corporateNumber memberOrganizations { name } } } ... on Error { __typename code message messageEn field } } }';

  it('creates an organization with a valid corporate number', async () => {
    const response = await hub.gql(
      CREATE,
      {
        input: {
          name: '国税庁 (例)',
          kind: 'GOVERNMENT_BUREAU',
          corporateNumber: '7000012050002',
          municipalityCode: '131016',
        },
      },
      admin,
    );
    expect(response.data).toMatchObject({
      createOrganization: { organization: { corporateNumber: '7000012050002' } },
    });
    const before = await hub.rows('SELECT count(*) FROM organization');
    const duplicate = await hub.gql(
      CREATE,
      { input: { name: '重複', kind: 'CLIENT_COMPANY', corporateNumber: '7000012050002' } },
      admin,
    );
    expect(typedErrorOf(duplicate, 'createOrganization')).toMatchObject({
      __typename: 'ConflictError',
      code: 'CONFLICT',
      field: 'input.corporateNumber',
    });
    expect(await hub.rows('SELECT count(*) FROM organization')).toEqual(before);
  });

  it('rejects a corporate number with a wrong check digit', async () => {
    const response = await hub.gql(
      CREATE,
      { input: { name: 'x', kind: 'BANK', corporateNumber: '8000012050002' } },
      admin,
    );
    expect(typedErrorOf(response, 'createOrganization')).toMatchObject({
      __typename: 'InvalidInputError',
      code: 'INVALID_CORPORATE_NUMBER',
      field: 'input.corporateNumber',
    });
  });

  it('pages by name with cursors; totalCount counts what the filter matches', async () => {
    type Page = {
      organizations: {
        totalCount: number;
        nodes: { id: string }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    };
    const PAGE = `query($after: String) { organizations(first: 1, after: $after, filter: { kind: MUNICIPALITY }) {
      totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`;
    const expected = await hub.rows<{ id: string }>(
      'SELECT id FROM organization WHERE kind = \'municipality\' ORDER BY name COLLATE "C", id',
    );
    expect(expected.length).toBeGreaterThan(1);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Awaited<ReturnType<typeof hub.gql<Page>>> = await hub.gql<Page>(PAGE, { after });
      expect(page.errors).toBeUndefined();
      expect(page.data!.organizations.totalCount).toBe(expected.length);
      seen.push(...page.data!.organizations.nodes.map((node) => node.id));
      if (!page.data!.organizations.pageInfo.hasNextPage) break;
      after = page.data!.organizations.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected.map((row) => row.id));
  });

  it('lists a consortium’s members and each member’s consortia (SCS from the demo data)', async () => {
    const response = await hub.gql<{
      organizations: {
        edges: { node: { name: string; memberOrganizations: { name: string }[] } }[];
      };
    }>(
      '{ organizations(filter: { kind: CONSORTIUM, text: "SCS" }) { edges { node { name memberOrganizations { name } } } } }',
    );
    const scs = response.data!.organizations.edges[0]!.node;
    expect(scs.name).toBe('札幌コワーキング・サポーターズ (SCS)');
    expect(scs.memberOrganizations.map((o) => o.name)).toEqual(
      expect.arrayContaining(['経済産業省北海道経済産業局', '札幌市', '北洋銀行']),
    );
    expect(scs.memberOrganizations).toHaveLength(5);
  });

  it('matches % and _ in the search text literally, not as wildcards', async () => {
    const count = async (text: string) => {
      const response = await hub.gql<{ organizations: { totalCount: number } }>(
        'query($text: String) { organizations(filter: { text: $text }) { totalCount } }',
        { text },
      );
      return response.data!.organizations.totalCount;
    };
    expect(await count('%')).toBe(0);
    expect(await count('_')).toBe(0);
    expect(await count('S_S')).toBe(0);
    expect(await count('SCS')).toBe(1);
  });
});

describe('affiliations', () => {
  it('keeps the career path worker → leader → staff as history', async () => {
    type Step = {
      role: string;
      startsOn: string;
      endsOn: string | null;
      organization: { name: string };
    };
    const response = await hub.gql<{
      members: {
        edges: { node: { displayName: string; careerPath: Step[]; affiliations: Step[] } }[];
      };
    }>(
      `{ members(first: 50) { edges { node { displayName
          careerPath { role startsOn endsOn organization { name } }
          affiliations { role startsOn endsOn organization { name } } } } } }`,
      {},
      admin,
    );
    expect(response.errors).toBeUndefined();
    const makoto = response.data!.members.edges.find((e) => e.node.displayName === '伊藤 誠')!.node;
    expect(makoto.careerPath).toEqual([
      {
        role: 'WORKER',
        startsOn: '2016-04-01',
        endsOn: '2017-03-31',
        organization: { name: 'Knower(s) 運営' },
      },
      {
        role: 'LEADER',
        startsOn: '2017-04-01',
        endsOn: '2019-03-31',
        organization: { name: 'Knower(s) 運営' },
      },
      {
        role: 'STAFF',
        startsOn: '2019-04-01',
        endsOn: null,
        organization: { name: '一般社団法人塩尻市振興公社 (KADO)' },
      },
    ]);
    expect(makoto.affiliations).toEqual([...makoto.careerPath].reverse());
  });

  it('rejects an end before the start', async () => {
    const [member] = await hub.rows<{ id: string }>('SELECT id FROM member LIMIT 1');
    const [organization] = await hub.rows<{ id: string }>('SELECT id FROM organization LIMIT 1');
    const response = await hub.gql(
      `mutation($input: AddAffiliationInput!) { addAffiliation(input: $input) { ${ERROR_FIELDS} } }`,
      {
        input: {
          memberId: member!.id,
          organizationId: organization!.id,
          role: 'STAFF',
          startsOn: '2020-04-01',
          endsOn: '2019-04-01',
        },
      },
      admin,
    );
    expect(typedErrorOf(response, 'addAffiliation')).toMatchObject({
      __typename: 'InvalidInputError',
      code: 'BAD_USER_INPUT',
      field: 'input.endsOn',
    });
  });
});

describe('batching and seeding', () => {
  it('resolves many Organization references with one query', async () => {
    const ids = (await hub.rows<{ id: string }>('SELECT id FROM organization')).map((r) => r.id);
    const before = hub.service.queryCount();
    const response = await hub.gql<{ _entities: { name: string }[] }>(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { name } } }',
      { r: ids.map((id) => ({ __typename: 'Organization', id })) },
    );
    expect(response.data!._entities).toHaveLength(ids.length);
    expect(hub.service.queryCount() - before).toBe(1);
  });

  it('demo people sign in with the published password; the demo partner key verifies', async () => {
    const access = demoAccess();
    const admin = access.accounts.find((account) => account.roles.includes('admin'))!;
    const signedIn = await hub.gql<{ signIn: { session: { accessToken: string } } }>(
      `mutation ($input: SignInInput!) {
        signIn(input: $input) { ... on SignInSuccess { session { accessToken } } } }`,
      { input: { email: admin.email, password: access.password } },
    );
    expect(signedIn.errors).toBeUndefined();
    const claims = JSON.parse(
      Buffer.from(signedIn.data!.signIn.session.accessToken.split('.')[1]!, 'base64url').toString(),
    );
    expect(claims.roles).toEqual(['admin']);

    const verified = await fetch(
      hub.service.url.replace(/\/graphql$/, '/_internal/api-keys/verify'),
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-gateway-credential': TEST_GATEWAY_SECRET,
        },
        body: JSON.stringify({ key: access.apiKeys[0]!.key }),
      },
    );
    expect(verified.status).toBe(200);
    expect(await verified.json()).toMatchObject({
      scopes: expect.arrayContaining(['members:personal:read']),
      purpose: 'municipal-relocation-support',
    });
  });

  it('the README walkthrough: 美唄市, a partner, reads 佐藤 美咲 with her consent to it', async () => {
    const MISAKI = '6326d848-bb24-53c1-89ff-c4775df322ce';
    const BIBAI = 'adbee85f-e629-50bf-a275-c1c612450085';
    const bibai = await hub.gql<{ organization: { isPartner: boolean } }>(
      'query($id: ID!) { organization(id: $id) { isPartner partnerPurposes } }',
      { id: BIBAI },
    );
    expect(bibai.data!.organization).toEqual({
      isPartner: true,
      partnerPurposes: ['MUNICIPAL_RELOCATION_SUPPORT'],
    });
    const key = demoAccess().apiKeys[0]!;
    const partner = asPartner({
      organizationId: BIBAI,
      scopes: key.scopes as PartnerScope[],
      purpose: key.purpose as ConsentPurpose,
    });
    const read = await hub.gql(
      'query($id: ID!) { member(id: $id) { displayName availableHoursPerWeek } }',
      { id: MISAKI },
      partner,
    );
    expect(read.errors).toBeUndefined();
    expect(read.data).toEqual({ member: { displayName: '佐藤 美咲', availableHoursPerWeek: 20 } });
    const log = await hub.gql<{
      member: { auditLog: { nodes: { action: string; apiKeyId: string }[] } };
    }>(
      'query($id: ID!) { member(id: $id) { auditLog { nodes { action apiKeyId } } } }',
      { id: MISAKI },
      asMember(MISAKI),
    );
    expect(log.data!.member.auditLog.nodes[0]).toEqual({
      action: 'PARTNER_READ',
      apiKeyId: partner.keyId,
    });
  });

  it('loads the demo data only once', async () => {
    const again = await seedDemoData({ databaseUrl: hub.service.databaseUrl });
    expect(again.created).toBe(0);
  });
});
