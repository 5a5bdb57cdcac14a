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
`;

type PublishedProgram = { id: string; title: string; isAcceptingApplications: boolean };

async function publish(input: Record<string, unknown>): Promise<PublishedProgram> {
  const response = await gqlAs<{ publishProgram: PublishedProgram }>(admin, PUBLISH, { input });
  expect(response.errors).toBeUndefined();
  return response.data!.publishProgram;
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
    const response = await gqlAs<{ publishProgram: Record<string, unknown> }>(admin, PUBLISH, {
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
    const program = response.data!.publishProgram;
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

  it.each([
    ['an empty title', { title: ' ' }, 'title'],
    // Refused by the kit at the schema boundary, which names the whole argument path.
    ['a title over 200 characters', { title: 'あ'.repeat(201) }, 'input.title'],
    [
      'a window that closes before it opens',
      {
        applicationOpensAt: '2030-05-01T00:00:00+09:00',
        applicationClosesAt: '2030-04-01T00:00:00+09:00',
      },
      'applicationClosesAt',
    ],
    [
      'a window that closes when it opens',
      {
        applicationOpensAt: '2030-05-01T00:00:00+09:00',
        applicationClosesAt: '2030-05-01T00:00:00+09:00',
      },
      'applicationClosesAt',
    ],
    ['a capacity of 0', { capacity: 0 }, 'capacity'],
    ['a provider id that is not a UUID', { providerId: 'bank' }, 'input.providerId'],
    ['a space id that is not a UUID', { spaceId: 'space-1' }, 'input.spaceId'],
  ])('rejects %s as BAD_USER_INPUT and writes nothing', async (_name, change, field) => {
    const [programs, outbox] = [await count('program'), await count('outbox_event')];
    const response = await gqlAs(admin, PUBLISH, { input: { ...valid, ...change } });
    expect(response.data).toBeNull();
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect([await count('program'), await count('outbox_event')]).toEqual([programs, outbox]);
  });

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
      gql<{ _entities: { id: string; programs: { id: string }[] }[] }>(
        `query($representations: [_Any!]!) {
          _entities(representations: $representations) { ... on Organization { id programs { id } } }
        }`,
        {
          representations: [bank, city, idle].map((id) => ({ __typename: 'Organization', id })),
        },
      ),
    );
    expect(response.errors).toBeUndefined();
    expect(statements).toBe(1);
    expect(
      response.data!._entities.map((org) => org.programs.map((program) => program.id)),
    ).toEqual([
      // By title: 創業… (U+5275) sorts before 経営… (U+7D4C).
      [loan.id, consult.id],
      [move.id],
      [],
    ]);
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

describe('programs and programsConnection', () => {
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
        await gql<{ programs: { id: string }[] }>(
          'query($filter: ProgramFilter) { programs(filter: $filter) { id } }',
          { filter },
        )
      ).data!.programs.map((program) => program.id);
    expect((await list({ providerId })).sort()).toEqual([...ids].sort());
    expect(await list({ providerId, kind: 'JOINT_CONTRACTING' })).toEqual([ids[2]]);
    const bad = await gql('{ programs(filter: { providerId: "x" }) { id } }');
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.providerId',
    });
  });

  it('pages through programsConnection', async () => {
    const page = (after?: string) =>
      gql<{
        programsConnection: {
          edges: { node: { id: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      }>(
        'query($filter: ProgramFilter, $after: String) { programsConnection(filter: $filter, first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }',
        { filter: { providerId }, after },
      );
    const first = (await page()).data!.programsConnection;
    expect(first.edges).toHaveLength(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await page(first.pageInfo.endCursor)).data!.programsConnection;
    expect(second.pageInfo.hasNextPage).toBe(false);
    const seen = [...first.edges, ...second.edges].map((edge) => edge.node.id);
    expect(seen).toEqual([...ids].sort());
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
    const response = await gqlAs<{ publishProgram: { provider: { id: string } } }>(
      staffOf(providerId),
      PUBLISH,
      { input },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.publishProgram.provider).toEqual({ id: providerId });
  });

  it('keeps the support menu open to anonymous callers and partners', async () => {
    for (const identity of [null, asPartner(), asMember(uuid())]) {
      const response = await gqlAs<{ programs: unknown[] }>(
        identity,
        '{ programs(limit: 2) { id title isAcceptingApplications provider { id } } }',
      );
      expect(response.errors).toBeUndefined();
      expect(response.data!.programs.length).toBeGreaterThan(0);
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
