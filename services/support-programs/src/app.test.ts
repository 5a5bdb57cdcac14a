import { createInProcessBus } from '@hub/event-bus';
import { createLogger, type Identity } from '@hub/service-kit';
import {
  asAdmin,
  asMember,
  asPartner,
  describeDataExportField,
  type sendAsGateway,
  sendGraphQL,
  startTestService,
  type TestService,
  waitFor,
} from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSupportProgramsService } from './app.js';

const bus = createInProcessBus();
let service: TestService;
let sql: TestService['sql'];

beforeAll(async () => {
  service = await startTestService({
    name: 'support-programs',
    migrationsDir: new URL('../prisma/migrations', import.meta.url).pathname,
    start: startSupportProgramsService,
    bus,
    logger: createLogger({ name: 'support-programs-test', level: 'silent' }),
  });
  sql = service.sql;
});

afterAll(async () => {
  await service?.stop();
  await bus.close();
});

type Result<T> = Awaited<ReturnType<typeof sendAsGateway<T>>>;
// Reads are open to anyone, so they go anonymously; mutations need a caller who may make them.
const gql = <T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>) =>
  service.gql<T>(query, variables);
const gqlAs = <T = Record<string, unknown>>(
  identity: Identity | null,
  query: string,
  variables?: Record<string, unknown>,
) => service.gql<T>(query, variables, identity);
const admin = asAdmin();
const uuid = () => crypto.randomUUID();

const PUBLISH = /* GraphQL */ `
  mutation Publish($input: PublishProgramInput!) {
    publishProgram(input: $input) {
      __typename
      ... on PublishProgramSuccess {
        program {
          id
          title
          titleEn
          kind
          status
          capacity
          applicationOpensAt
          applicationClosesAt
          isAcceptingApplications
          provider { id }
          space { id }
        }
      }
      ... on Error { code message messageEn field }
    }
  }
`;

type PublishedProgram = { id: string; title: string; isAcceptingApplications: boolean };
type Payload = {
  __typename: string;
  program?: PublishedProgram & Record<string, unknown>;
  code?: string;
  message?: string;
  messageEn?: string;
  field?: string | null;
};

async function publish(input: Record<string, unknown>): Promise<PublishedProgram> {
  const response = await gqlAs<{ publishProgram: Payload }>(admin, PUBLISH, { input });
  expect(response.errors).toBeUndefined();
  return response.data!.publishProgram.program!;
}

async function count(table: string): Promise<number> {
  const { rows } = await sql.query(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0].n;
}

/**
 * SQL statements one request costs. The outbox relay polls on the same pool in the
 * background, so the cheapest of a few tries is the request's own cost (an N+1 costs more on
 * every try).
 */
async function statementsFor<T>(
  send: () => Promise<Result<T>>,
): Promise<{ statements: number; response: Result<T> }> {
  await waitFor(async () => (await count('outbox_event WHERE sent_at IS NULL')) === 0, {
    message: 'outbox drained',
  });
  let best: { statements: number; response: Result<T> } | undefined;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const before = service.queryCount();
    const response = await send();
    const statements = service.queryCount() - before;
    if (!best || statements < best.statements) best = { statements, response };
  }
  return best!;
}

describe('publishProgram', () => {
  it('publishes a program, reads it back and writes support-programs.program.published', async () => {
    const providerId = uuid();
    const spaceId = uuid();
    const response = await gqlAs<{ publishProgram: Payload }>(admin, PUBLISH, {
      input: {
        title: 'テレワーカー スキルアップ研修',
        titleEn: 'Teleworker skill-up training',
        kind: 'TRAINING',
        providerId,
        spaceId,
        applicationOpensAt: '2020-04-01T00:00:00+09:00',
        applicationClosesAt: '2099-03-31T23:59:59+09:00',
        capacity: 20,
      },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!.publishProgram.__typename).toBe('PublishProgramSuccess');
    const program = response.data!.publishProgram.program!;
    expect(program).toMatchObject({
      title: 'テレワーカー スキルアップ研修',
      kind: 'TRAINING',
      status: 'PUBLISHED',
      capacity: 20,
      applicationOpensAt: '2020-03-31T15:00:00.000Z',
      isAcceptingApplications: true,
      provider: { id: providerId },
      space: { id: spaceId },
    });

    const read = await gql<{ program: { id: string; titleEn: string } }>(
      'query($id: ID!) { program(id: $id) { id titleEn } }',
      { id: program.id },
    );
    expect(read.data?.program).toEqual({ id: program.id, titleEn: 'Teleworker skill-up training' });

    const { rows } = await sql.query('SELECT type, payload FROM outbox_event WHERE subject = $1', [
      program.id,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0].type).toBe('support-programs.program.published');
    expect(rows[0].payload.data).toEqual({
      programId: program.id,
      providerId,
      title: 'テレワーカー スキルアップ研修',
      kind: 'training',
    });
    await waitFor(
      async () =>
        (await sql.query('SELECT sent_at FROM outbox_event WHERE subject = $1', [program.id]))
          .rows[0].sent_at,
      { message: 'outbox row sent' },
    );
  });

  it('is not accepting applications before its window opens', async () => {
    const later = await publish({
      title: '来年度の補助金',
      kind: 'SUBSIDY',
      providerId: uuid(),
      applicationOpensAt: '2098-04-01T00:00:00+09:00',
    });
    expect(later.isAcceptingApplications).toBe(false);
  });

  const valid = { title: '創業融資', kind: 'LOAN', providerId: uuid() };

  // The domain's rules: a typed InvalidInputError in the payload, naming the input path.
  it.each([
    ['an empty title', { title: ' ' }, 'input.title'],
    [
      'a window that closes before it opens',
      {
        applicationOpensAt: '2030-05-01T00:00:00+09:00',
        applicationClosesAt: '2030-04-01T00:00:00+09:00',
      },
      'input.applicationClosesAt',
    ],
    [
      'a window that closes when it opens',
      {
        applicationOpensAt: '2030-05-01T00:00:00+09:00',
        applicationClosesAt: '2030-05-01T00:00:00+09:00',
      },
      'input.applicationClosesAt',
    ],
    ['a capacity of 0', { capacity: 0 }, 'input.capacity'],
  ])('returns %s as InvalidInputError and writes nothing', async (_name, change, field) => {
    const [programs, outbox] = [await count('program'), await count('outbox_event')];
    const response = await gqlAs<{ publishProgram: Payload }>(admin, PUBLISH, {
      input: { ...valid, ...change },
    });
    expect(response.errors).toBeUndefined();
    const error = response.data!.publishProgram;
    expect(error).toMatchObject({ __typename: 'InvalidInputError', code: 'BAD_USER_INPUT', field });
    expect(error.message).toMatch(/[ぁ-んァ-ン一-龥]/);
    expect(error.messageEn).toMatch(new RegExp(`^invalid input: ${field.slice('input.'.length)}`));
    expect([await count('program'), await count('outbox_event')]).toEqual([programs, outbox]);
  });

  // Limits the kit checks before anything runs stay in errors[], naming the whole path.
  it.each([
    ['a title over 200 characters', { title: 'あ'.repeat(201) }, 'input.title'],
    ['a provider id that is not a UUID', { providerId: 'bank' }, 'input.providerId'],
    ['a space id that is not a UUID', { spaceId: 'space-1' }, 'input.spaceId'],
  ])(
    'refuses %s as BAD_USER_INPUT in errors[] and writes nothing',
    async (_name, change, field) => {
      const [programs, outbox] = [await count('program'), await count('outbox_event')];
      const response = await gqlAs(admin, PUBLISH, { input: { ...valid, ...change } });
      expect(response.data).toBeNull();
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect([await count('program'), await count('outbox_event')]).toEqual([programs, outbox]);
    },
  );

  it('rejects a kind outside the enum before any resolver runs', async () => {
    const response = await gqlAs(admin, PUBLISH, { input: { ...valid, kind: 'GIFT' } });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers a malformed id with BAD_USER_INPUT, not an internal error', async () => {
    const response = await gql('{ program(id: "not-a-uuid") { id } }');
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it('refuses requests that do not come from the gateway', async () => {
    const response = await sendGraphQL(service.url, '{ __typename }');
    expect(response.status).toBe(401);
  });
});

describe('Organization.programs', () => {
  it('answers three Organization representations with ONE SQL statement', async () => {
    const [bank, city, idle] = [uuid(), uuid(), uuid()];
    const loan = await publish({ title: '創業支援融資', kind: 'LOAN', providerId: bank });
    const consult = await publish({ title: '経営相談', kind: 'CONSULTATION', providerId: bank });
    const move = await publish({
      title: '移住支援金',
      kind: 'RELOCATION_SUPPORT',
      providerId: city,
    });
    const { statements, response } = await statementsFor(() =>
      gql<{
        _entities: { id: string; programs: { totalCount: number; nodes: { id: string }[] } }[];
      }>(
        `query($representations: [_Any!]!) {
          _entities(representations: $representations) {
            ... on Organization { id programs { totalCount nodes { id } } }
          }
        }`,
        {
          representations: [bank, city, idle].map((id) => ({ __typename: 'Organization', id })),
        },
      ),
    );
    expect(response.errors).toBeUndefined();
    expect(statements).toBe(1);
    expect(
      response.data!._entities.map((org) => [
        org.programs.totalCount,
        org.programs.nodes.map((program) => program.id),
      ]),
    ).toEqual([
      // By title: 創業… (U+5275) sorts before 経営… (U+7D4C).
      [2, [loan.id, consult.id]],
      [1, [move.id]],
      [0, []],
    ]);
    // A page of one, then the rest after its cursor.
    type Page = {
      totalCount: number;
      nodes: { id: string }[];
      pageInfo: { hasNextPage: boolean; endCursor: string };
    };
    const pageOf = async (after?: string) =>
      (
        await gql<{ _entities: { programs: Page }[] }>(
          `query($r: [_Any!]!, $after: String) {
            _entities(representations: $r) {
              ... on Organization { programs(first: 1, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }
            }
          }`,
          { r: [{ __typename: 'Organization', id: bank }], after },
        )
      ).data!._entities[0]!.programs;
    const first = await pageOf();
    expect(first).toMatchObject({
      totalCount: 2,
      nodes: [{ id: loan.id }],
      pageInfo: { hasNextPage: true },
    });
    const second = await pageOf(first.pageInfo.endCursor);
    expect(second).toMatchObject({
      totalCount: 2,
      nodes: [{ id: consult.id }],
      pageInfo: { hasNextPage: false },
    });
  });

  it('resolves several Program representations with ONE SQL statement', async () => {
    const programs = [
      await publish({ title: 'A', kind: 'WELFARE', providerId: uuid() }),
      await publish({ title: 'B', kind: 'WELFARE', providerId: uuid() }),
    ];
    const { statements, response } = await statementsFor(() =>
      gql<{ _entities: ({ id: string; title: string } | null)[] }>(
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Program { id title } } }',
        {
          r: [
            ...programs.map((program) => ({ __typename: 'Program', id: program.id })),
            { __typename: 'Program', id: uuid() },
          ],
        },
      ),
    );
    expect(statements).toBe(1);
    expect(response.data!._entities).toEqual([
      { id: programs[0]!.id, title: 'A' },
      { id: programs[1]!.id, title: 'B' },
      null,
    ]);
  });
});

describe('programs', () => {
  const providerId = uuid();
  let ids: string[];

  beforeAll(async () => {
    ids = [
      (await publish({ title: '専門家派遣', kind: 'EXPERT_DISPATCH', providerId })).id,
      (await publish({ title: '開設サポート', kind: 'SPACE_OPENING_SUPPORT', providerId })).id,
      (await publish({ title: '共同受託', kind: 'JOINT_CONTRACTING', providerId })).id,
    ];
  });

  it('filters by provider and kind', async () => {
    const list = async (filter: Record<string, unknown>) =>
      (
        await gql<{ programs: { totalCount: number; nodes: { id: string }[] } }>(
          'query($filter: ProgramFilter) { programs(filter: $filter) { totalCount nodes { id } } }',
          { filter },
        )
      ).data!.programs;
    const all = await list({ providerId });
    expect(all.nodes.map((program) => program.id).sort()).toEqual([...ids].sort());
    expect(all.totalCount).toBe(3);
    expect(await list({ providerId, kind: 'JOINT_CONTRACTING' })).toEqual({
      totalCount: 1,
      nodes: [{ id: ids[2] }],
    });
    const bad = await gql('{ programs(filter: { providerId: "x" }) { totalCount } }');
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.providerId',
    });
  });

  it('pages through programs by kind and title', async () => {
    const page = (after?: string) =>
      gql<{
        programs: {
          totalCount: number;
          edges: { node: { id: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      }>(
        'query($filter: ProgramFilter, $after: String) { programs(filter: $filter, first: 2, after: $after) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }',
        { filter: { providerId }, after },
      );
    const first = (await page()).data!.programs;
    expect(first.edges).toHaveLength(2);
    expect(first.totalCount).toBe(3);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await page(first.pageInfo.endCursor)).data!.programs;
    expect(second.pageInfo.hasNextPage).toBe(false);
    const seen = [...first.edges, ...second.edges].map((edge) => edge.node.id);
    const { rows } = await sql.query(
      'SELECT id FROM program WHERE provider_id = $1 ORDER BY kind, title, id',
      [providerId],
    );
    expect(seen).toEqual(rows.map((row) => row.id));
  });
});

describe('authorization of publishProgram', () => {
  const providerId = uuid();
  const input = { title: '専門家相談', kind: 'CONSULTATION', providerId };
  const staffOf = (...organizationIds: string[]) =>
    asMember(uuid(), {
      staffOf: organizationIds.map((organizationId) => ({ organizationId, role: 'staff' })),
    });
  const rows = async () => [await count('program'), await count('outbox_event')];

  it.each<[string, string, Identity | null]>([
    ['an anonymous caller', 'UNAUTHENTICATED', null],
    ['a member without a staff role', 'FORBIDDEN', asMember(uuid())],
    ['staff of another organisation', 'FORBIDDEN', staffOf(uuid())],
    ['a partner key', 'FORBIDDEN', asPartner({ organizationId: providerId })],
  ])('refuses %s (%s) and writes nothing', async (_who, code, identity) => {
    const before = await rows();
    const response = await gqlAs(identity, PUBLISH, { input });
    expect(response.data).toBeNull();
    expect(response.errors?.[0]?.extensions?.code).toBe(code);
    expect(response.errors?.[0]?.message).toMatch(/[ぁ-んァ-ン一-龥]/);
    expect(await rows()).toEqual(before);
  });

  it('lets staff of the provider publish its program', async () => {
    const response = await gqlAs<{ publishProgram: Payload }>(staffOf(providerId), PUBLISH, {
      input,
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!.publishProgram.program!.provider).toEqual({ id: providerId });
  });

  it('keeps the support menu open to anonymous callers and partners', async () => {
    for (const identity of [null, asPartner(), asMember(uuid())]) {
      const response = await gqlAs<{ programs: { nodes: unknown[] } }>(
        identity,
        '{ programs(first: 2) { nodes { id title isAcceptingApplications provider { id } } } }',
      );
      expect(response.errors).toBeUndefined();
      expect(response.data!.programs.nodes.length).toBeGreaterThan(0);
    }
  });
});

describeDataExportField({
  field: 'supportPrograms',
  serviceName: 'support-programs',
  url: () => service.url,
  expected: {
    applications: [],
    consultations: [],
    note: expect.stringMatching(/^支援制度サービス.*\(/),
  },
});
