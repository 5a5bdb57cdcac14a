import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dayBefore, todayInJapan } from '@hub/contracts';
import { createEvent, createInProcessBus, type EventEnvelope, parseEvent } from '@hub/event-bus';
import { ACCESS_BY_CALLER, createLogger, memberErasureConsumer } from '@hub/service-kit';
import { asAdmin, asMember, handledBy, startTestService, type TestService } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedDemoData, startSpacesService } from '../app.js';
import { renderSpacesMatrix } from '../authorization/matrix-doc.js';
import {
  PATROL_REQUEST_FIELDS,
  PATROL_REQUEST_VIEWER_KINDS,
  PATROL_REQUEST_VIEWERS,
  type PatrolRequestViewer,
} from '../authorization/rules.js';

// Patrol visits on a real PostgreSQL database through the subgraph as the gateway calls it:
// who may record and read them, who may see who asked, the typed errors with nothing written,
// and the event each visit writes to the outbox with its requests.

const migrationsDir = new URL('../../prisma/migrations', import.meta.url).pathname;
const bus = createInProcessBus();
let service: TestService;

const operatorId = randomUUID();
const supporterId = randomUUID();
let spaceId: string;

const admin = asAdmin();
const staff = (organizationId: string, memberId: string = randomUUID()) =>
  asMember(memberId, { staffOf: [{ organizationId, role: 'staff' }] });

beforeAll(async () => {
  service = await startTestService({
    name: 'spaces-patrol',
    migrationsDir,
    start: startSpacesService,
    bus,
    logger: createLogger({ name: 'spaces-patrol-test', level: 'silent' }),
  });
  await service.sql.query(
    "INSERT INTO municipality (code, name, prefecture) VALUES ('011002', '札幌市', '北海道')",
  );
  const created = await service.gql<{ createSpace: { space: { id: string } } }>(
    'mutation ($input: CreateSpaceInput!) { createSpace(input: $input) { ... on CreateSpaceSuccess { space { id } } } }',
    { input: { name: 'Garage labs', kind: 'COWORKING', municipalityCode: '011002', operatorId } },
    admin,
  );
  spaceId = created.data!.createSpace.space.id;
}, 60_000);

afterAll(async () => {
  await service?.stop();
  await bus.close();
});

const RECORD = `mutation ($input: RecordPatrolVisitInput!) {
  recordPatrolVisit(input: $input) {
    __typename
    ... on RecordPatrolVisitSuccess {
      patrolVisit {
        id visitedOn publicSummary notes needs visitors { id } supporter { id } space { id }
        requests { id kind subject isRequesterNamed requester { id } }
      }
    }
    ... on Error { code message messageEn field }
  }
}`;

type Visit = {
  id: string;
  visitedOn: string;
  publicSummary: string | null;
  notes: string | null;
  needs: string[] | null;
  visitors: { id: string }[] | null;
  requests:
    | {
        id: string;
        kind: string;
        subject: string;
        isRequesterNamed: boolean;
        requester: { id: string } | null;
      }[]
    | null;
};
type Payload = {
  __typename: string;
  patrolVisit?: Visit;
  code?: string;
  message?: string;
  messageEn?: string;
  field?: string;
};

const record = (input: Record<string, unknown>, identity = staff(supporterId)) =>
  service.gql<{ recordPatrolVisit: Payload }>(RECORD, { input }, identity);

const validInput = (overrides: Record<string, unknown> = {}) => ({
  spaceId,
  supporterId,
  visitedOn: '2012-08-20',
  visitorIds: [randomUUID()],
  notes: '運営者と面談。Web 制作の仕事を増やしたいという声が多い。',
  needs: ['WORK', 'FUNDING'],
  requests: [
    { kind: 'CONSULTATION', subject: '創業資金の融資について', requesterMemberId: randomUUID() },
    { kind: 'EXPERT_DISPATCH', subject: 'Web マーケティングの専門家' },
  ],
  ...overrides,
});

const counts = async () => {
  const { rows } = await service.sql.query<{ visits: string; requests: string; outbox: string }>(
    `SELECT (SELECT count(*) FROM patrol_visit) AS visits,
            (SELECT count(*) FROM patrol_request) AS requests,
            (SELECT count(*) FROM outbox_event) AS outbox`,
  );
  return rows[0];
};

async function announced(visitId: string): Promise<EventEnvelope[]> {
  const { rows } = await service.sql.query<{ payload: unknown }>(
    'SELECT payload FROM outbox_event WHERE subject = $1 ORDER BY created_at, id',
    [visitId],
  );
  return rows.map((row) => parseEvent(row.payload));
}

describe('recordPatrolVisit', () => {
  it('records the visit with its requests and announces each request with its own id', async () => {
    const input = validInput();
    const response = await record(input);
    // The recording staff may not read who asked (the member is not known to be theirs): that
    // one field is refused, the visit is recorded.
    expect(response.errors!.map((e) => [e.path?.join('.'), e.extensions!.code])).toEqual([
      ['recordPatrolVisit.patrolVisit.requests.0.requester', 'FORBIDDEN'],
    ]);
    const payload = response.data!.recordPatrolVisit;
    expect(payload.__typename).toBe('RecordPatrolVisitSuccess');
    const visit = payload.patrolVisit!;
    expect(visit).toMatchObject({
      visitedOn: '2012-08-20',
      publicSummary: null,
      needs: ['WORK', 'FUNDING'],
      visitors: input.visitorIds.map((id) => ({ id })),
    });
    expect(visit.requests!.map((r) => [r.kind, r.subject, r.isRequesterNamed])).toEqual([
      ['CONSULTATION', '創業資金の融資について', true],
      ['EXPERT_DISPATCH', 'Web マーケティングの専門家', false],
    ]);
    expect(visit.requests![1]!.requester).toBeNull();

    const events = await announced(visit.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'spaces.patrol-visit.recorded',
      source: 'spaces',
      subject: visit.id,
      data: {
        visitId: visit.id,
        spaceId,
        supporterId,
        visitedOn: '2012-08-20',
        needs: ['work', 'funding'],
        publicSummary: null,
        requests: [
          {
            requestId: visit.requests![0]!.id,
            kind: 'consultation',
            subject: '創業資金の融資について',
            requesterMemberId: input.requests[0]!.requesterMemberId,
          },
          {
            requestId: visit.requests![1]!.id,
            kind: 'expert-dispatch',
            subject: 'Web マーケティングの専門家',
            requesterMemberId: null,
          },
        ],
      },
    });
    const ids = events[0]!.data as { requests: { requestId: string }[] };
    expect(new Set(ids.requests.map((r) => r.requestId)).size).toBe(2);
  });

  it('accepts today in Japan as the visit date', async () => {
    const response = await record(validInput({ visitedOn: todayInJapan(), requests: [] }));
    expect(response.data!.recordPatrolVisit.__typename).toBe('RecordPatrolVisitSuccess');
  });

  it('is refused to staff of another organisation and to anonymous callers, writing nothing', async () => {
    const before = await counts();
    const other = await record(validInput(), staff(randomUUID()));
    expect(other.data).toBeNull();
    expect(other.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    // Staff of the space's operator do not speak for the supporter either.
    const operatorStaff = await record(validInput(), staff(operatorId));
    expect(operatorStaff.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const anonymous = await service.gql(RECORD, { input: validInput() }, null);
    expect(anonymous.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect(await counts()).toEqual(before);
  });

  it('lets a hub admin record for any supporter', async () => {
    const response = await record(validInput({ requests: [] }), admin);
    expect(response.data!.recordPatrolVisit.__typename).toBe('RecordPatrolVisitSuccess');
  });
});

describe('bad input: a typed error, nothing written', () => {
  const tomorrow = () => {
    const date = new Date(`${todayInJapan()}T00:00:00Z`);
    date.setUTCDate(date.getUTCDate() + 1);
    return date.toISOString().slice(0, 10);
  };
  it.each([
    [
      'an unknown space',
      () => ({ spaceId: randomUUID() }),
      'NotFoundError',
      'NOT_FOUND',
      'input.spaceId',
    ],
    [
      'a date in the future',
      () => ({ visitedOn: tomorrow() }),
      'InvalidInputError',
      'BAD_USER_INPUT',
      'input.visitedOn',
    ],
    [
      'no visitor',
      () => ({ visitorIds: [] }),
      'InvalidInputError',
      'BAD_USER_INPUT',
      'input.visitorIds',
    ],
    [
      'a request without a subject',
      () => ({
        requests: [
          { kind: 'CONSULTATION', subject: 'ok' },
          { kind: 'CONSULTATION', subject: '   ' },
        ],
      }),
      'InvalidInputError',
      'BAD_USER_INPUT',
      'input.requests.1.subject',
    ],
  ])('%s', async (_name, change, typename, code, field) => {
    const before = await counts();
    const response = await record(validInput(change()));
    expect(response.errors).toBeUndefined();
    const payload = response.data!.recordPatrolVisit;
    expect(payload).toMatchObject({ __typename: typename, code, field });
    expect(payload.message).toMatch(/[ぁ-んァ-ヶ一-龠]/);
    expect(payload.messageEn).not.toMatch(/[ぁ-んァ-ヶ一-龠]/);
    expect(await counts()).toEqual(before);
  });

  it('a requester who is not a member id is refused before anything runs', async () => {
    const before = await counts();
    const response = await record(
      validInput({
        requests: [{ kind: 'CONSULTATION', subject: '相談', requesterMemberId: 'sato' }],
      }),
    );
    expect(response.data).toBeNull();
    expect(response.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.requests.0.requesterMemberId',
    });
    const visitor = await record(validInput({ visitorIds: ['sato'] }));
    expect(visitor.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.visitorIds.0',
    });
    expect(await counts()).toEqual(before);
  });
});

describe('reading patrol visits', () => {
  const VISITS = `query ($id: ID!) {
    space(id: $id) {
      patrolVisits(first: 100) {
        totalCount
        nodes { id publicSummary notes needs visitors { id } requests { subject isRequesterNamed } }
      }
    }
  }`;
  const SUPPORTER_VISITS = `query ($reps: [_Any!]!) {
    _entities(representations: $reps) {
      ... on Organization { patrolVisits(first: 100) { totalCount nodes { id notes publicSummary } } }
    }
  }`;
  type Listed = {
    totalCount: number;
    nodes: {
      id: string;
      publicSummary: string | null;
      notes: string | null;
      requests: { subject: string; requester: { id: string } | null }[] | null;
    }[];
  };
  let ownSpaceId: string;
  let internalId: string;
  let publicId: string;
  const requesterId = randomUUID();
  const ownSupporter = randomUUID();
  const ownOperator = randomUUID();

  beforeAll(async () => {
    // A space and supporter of their own, so other tests' visits do not change the counts.
    const created = await service.gql<{ createSpace: { space: { id: string } } }>(
      'mutation ($input: CreateSpaceInput!) { createSpace(input: $input) { ... on CreateSpaceSuccess { space { id } } } }',
      {
        input: {
          name: 'ドリノキ',
          kind: 'COWORKING',
          municipalityCode: '011002',
          operatorId: ownOperator,
        },
      },
      admin,
    );
    ownSpaceId = created.data!.createSpace.space.id;
    const internal = await record(
      validInput({
        spaceId: ownSpaceId,
        supporterId: ownSupporter,
        visitedOn: '2012-08-01',
        requests: [{ kind: 'CONSULTATION', subject: '融資', requesterMemberId: requesterId }],
      }),
      staff(ownSupporter),
    );
    internalId = internal.data!.recordPatrolVisit.patrolVisit!.id;
    const published = await record(
      validInput({
        spaceId: ownSpaceId,
        supporterId: ownSupporter,
        visitedOn: '2012-08-10',
        publicSummary: 'ドリノキを訪問し、支援メニューを紹介しました。',
      }),
      // Speaking for the operator too, so the summary takes effect at once (see below).
      asMember(randomUUID(), {
        staffOf: [
          { organizationId: ownSupporter, role: 'staff' },
          { organizationId: ownOperator, role: 'staff' },
        ],
      }),
    );
    publicId = published.data!.recordPatrolVisit.patrolVisit!.id;
  });

  const list = async (identity: ReturnType<typeof asMember> | null) => {
    const response = await service.gql<{ space: { patrolVisits: Listed } }>(
      VISITS,
      { id: ownSpaceId },
      identity,
    );
    return response;
  };

  it('shows every visit, newest first, to the supporter’s staff, the operator’s staff and hub admins', async () => {
    for (const viewer of [staff(ownSupporter), staff(ownOperator), admin]) {
      const response = await list(viewer);
      expect(response.errors).toBeUndefined();
      const visits = response.data!.space.patrolVisits;
      expect(visits.totalCount).toBe(2);
      expect(visits.nodes.map((v) => v.id)).toEqual([publicId, internalId]);
      expect(visits.nodes[1]!.notes).toContain('Web 制作');
    }
  });

  it('shows others only the published visit, and only its public fields', async () => {
    for (const viewer of [null, asMember(randomUUID()), staff(randomUUID())]) {
      const response = await list(viewer);
      const visits = response.data!.space.patrolVisits;
      expect(visits.totalCount).toBe(1);
      expect(visits.nodes).toHaveLength(1);
      expect(visits.nodes[0]).toMatchObject({
        id: publicId,
        publicSummary: 'ドリノキを訪問し、支援メニューを紹介しました。',
        notes: null,
        needs: null,
        visitors: null,
        requests: null,
      });
      const codes = response.errors!.map((error) => error.extensions!.code);
      expect(new Set(codes)).toEqual(new Set([viewer ? 'FORBIDDEN' : 'UNAUTHENTICATED']));
    }
  });

  it('lists a supporter’s visits under the organisation with the same rule', async () => {
    const reps = [{ __typename: 'Organization', id: ownSupporter }];
    const own = await service.gql<{ _entities: { patrolVisits: Listed }[] }>(
      SUPPORTER_VISITS,
      { reps },
      staff(ownSupporter),
    );
    expect(own.errors).toBeUndefined();
    expect(own.data!._entities[0]!.patrolVisits.nodes.map((v) => v.id)).toEqual([
      publicId,
      internalId,
    ]);
    const stranger = await service.gql<{ _entities: { patrolVisits: Listed }[] }>(
      SUPPORTER_VISITS,
      { reps },
      asMember(randomUUID()),
    );
    expect(stranger.data!._entities[0]!.patrolVisits).toMatchObject({
      totalCount: 1,
      nodes: [{ id: publicId }],
    });
  });

  // The requester's affiliations as members announced them (confirmed ones), written to the
  // read model as its consumer does: one row per affiliation, ended by setting its last day.
  const affiliationIds = new Map<string, string>();
  const affiliate = async (organizationId: string, endsOn: string | null) => {
    const affiliationId = affiliationIds.get(organizationId) ?? randomUUID();
    affiliationIds.set(organizationId, affiliationId);
    await service.sql.query(
      `INSERT INTO member_affiliation
         (affiliation_id, member_id, organization_id, role, starts_on, ends_on, source_event_at, updated_at)
       VALUES ($1, $2, $3, 'worker', '2012-04-01', $4, now(), now())
       ON CONFLICT (affiliation_id) DO UPDATE SET ends_on = EXCLUDED.ends_on`,
      [affiliationId, requesterId, organizationId, endsOn],
    );
  };
  const yesterday = () => dayBefore(todayInJapan());
  const REQUESTERS = `query ($id: ID!) {
    space(id: $id) { patrolVisits(first: 100) { nodes { id requests { requester { id } } } } }
  }`;
  /** Who asked in the internal visit as `identity` reads it, and the error at that field. */
  const requesterAs = async (identity: ReturnType<typeof asMember>) => {
    const response = await service.gql<{ space: { patrolVisits: Listed } }>(
      REQUESTERS,
      { id: ownSpaceId },
      identity,
    );
    const nodes = response.data!.space.patrolVisits.nodes;
    const index = nodes.findIndex((v) => v.id === internalId);
    const error = response.errors?.find(
      (e) => e.path?.join('.') === `space.patrolVisits.nodes.${index}.requests.0.requester`,
    );
    return { requester: nodes[index]!.requests![0]!.requester, code: error?.extensions?.code };
  };

  it('shows who asked as spaces’ table says, to every viewer that reaches a request', async () => {
    const identities: Record<PatrolRequestViewer, ReturnType<typeof asMember>> = {
      // The requester reaches the visit as staff of the operator here.
      self: asMember(requesterId, { staffOf: [{ organizationId: ownOperator, role: 'staff' }] }),
      supporterStaffRegistered: staff(ownSupporter),
      supporterStaffNotRegistered: staff(ownSupporter),
      operatorStaffRegistered: staff(ownOperator),
      operatorStaffNotRegistered: staff(ownOperator),
      hubAdmin: admin,
    };
    // The requester's affiliations for each viewer: active (null: no end) or ended yesterday.
    // A "not registered" viewer's organisation has an ended one while the visit's other party
    // has an active one, so being registered with the other side never opens it.
    const ended = yesterday();
    const affiliations: Record<PatrolRequestViewer, [string | null, string | null]> = {
      self: [ended, ended],
      supporterStaffRegistered: [null, ended],
      supporterStaffNotRegistered: [ended, null],
      operatorStaffRegistered: [ended, null],
      operatorStaffNotRegistered: [null, ended],
      hubAdmin: [ended, ended],
    };
    for (const viewer of Object.keys(PATROL_REQUEST_VIEWERS) as PatrolRequestViewer[]) {
      const [supporterEnds, operatorEnds] = affiliations[viewer];
      await affiliate(ownSupporter, supporterEnds);
      await affiliate(ownOperator, operatorEnds);
      const { requester, code } = await requesterAs(identities[viewer]);
      const expected = ACCESS_BY_CALLER[PATROL_REQUEST_VIEWER_KINDS[viewer]].personal;
      if (expected === 'ok') {
        expect([viewer, requester, code]).toEqual([viewer, { id: requesterId }, undefined]);
      } else {
        expect([viewer, requester, code]).toEqual([viewer, null, expected]);
      }
    }
  });

  it.each([
    ['the supporter', ownSupporter, ownOperator],
    ['the operator', ownOperator, ownSupporter],
  ])(
    'lets staff of %s read who asked while the requester is affiliated, not after it ends',
    async (_name, own, other) => {
      const read = { requester: { id: requesterId }, code: undefined };
      const refused = { requester: null, code: 'FORBIDDEN' };
      await affiliate(other, yesterday());
      await affiliate(own, null);
      expect(await requesterAs(staff(own))).toEqual(read);
      // Staff of the visit's other party: the requester is not affiliated with them.
      expect(await requesterAs(staff(other))).toEqual(refused);
      // The affiliation ended yesterday (members announced its end).
      await affiliate(own, yesterday());
      expect(await requesterAs(staff(own))).toEqual(refused);
      // The member themself and hub admins still read it.
      const self = asMember(requesterId, { staffOf: [{ organizationId: own, role: 'staff' }] });
      for (const viewer of [self, admin]) expect(await requesterAs(viewer)).toEqual(read);
    },
  );

  it('counts only the visit’s own organisations: an affiliation elsewhere opens nothing', async () => {
    const thirdOrganization = randomUUID();
    await affiliate(ownSupporter, yesterday());
    await affiliate(ownOperator, yesterday());
    await affiliate(thirdOrganization, null);
    // Staff of the supporter (so they reach the visit) and of the third organisation, with which
    // alone the requester is affiliated today.
    const alsoThirdStaff = asMember(randomUUID(), {
      staffOf: [
        { organizationId: ownSupporter, role: 'staff' },
        { organizationId: thirdOrganization, role: 'staff' },
      ],
    });
    expect(await requesterAs(alsoThirdStaff)).toEqual({ requester: null, code: 'FORBIDDEN' });
    await affiliate(thirdOrganization, yesterday());
  });

  it('decides every requester of a list with one statement for the visits’ parties and one for affiliations', async () => {
    await affiliate(ownSupporter, null);
    const base = await service.gql(
      `query ($id: ID!) { space(id: $id) { patrolVisits(first: 100) { nodes { id requests { id } } } } }`,
      { id: ownSpaceId },
      staff(ownSupporter),
    );
    expect(base.errors).toBeUndefined();
    const before = service.queryCount();
    await service.gql(
      `query ($id: ID!) { space(id: $id) { patrolVisits(first: 100) { nodes { id requests { id } } } } }`,
      { id: ownSpaceId },
      staff(ownSupporter),
    );
    const withoutRequesters = service.queryCount() - before;
    const start = service.queryCount();
    // Two visits, three requests: two named requesters (the published visit's is not affiliated
    // with the supporter) and an unnamed coworker.
    const response = await service.gql<{ space: { patrolVisits: Listed } }>(
      REQUESTERS,
      { id: ownSpaceId },
      staff(ownSupporter),
    );
    const requests = response.data!.space.patrolVisits.nodes.flatMap((v) => v.requests!);
    expect(requests.map((r) => r.requester)).toEqual([null, null, { id: requesterId }]);
    expect(response.errors!.map((e) => e.extensions!.code)).toEqual(['FORBIDDEN']);
    expect(service.queryCount() - start - withoutRequesters).toBe(2);
    await affiliate(ownSupporter, yesterday());
  });

  it('keeps the table, the schema and docs/authorization.md in agreement', async () => {
    const document = readFileSync(
      new URL('../../../../docs/authorization.md', import.meta.url),
      'utf8',
    );
    expect(document).toContain(renderSpacesMatrix());
    const { data } = await service.gql<{ __type: { fields: { name: string }[] } }>(
      '{ __type(name: "PatrolRequest") { fields { name } } }',
    );
    expect(data!.__type.fields.map((f) => f.name).sort()).toEqual(
      Object.keys(PATROL_REQUEST_FIELDS).sort(),
    );
  });

  it('lists the visits of many spaces with one statement behind their lookup', async () => {
    const { rows } = await service.sql.query<{ id: string }>('SELECT id FROM space');
    expect(rows.length).toBeGreaterThan(1);
    const before = service.queryCount();
    const response = await service.gql<{ _entities: { patrolVisits: { totalCount: number } }[] }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Space {
        patrolVisits { totalCount nodes { id notes space { id } requests { subject } } }
      } } }`,
      { r: rows.map(({ id }) => ({ __typename: 'Space', id })) },
      admin,
    );
    expect(response.errors).toBeUndefined();
    // The spaces (also asked by each visit's space and rule), the visits, their requests.
    expect(service.queryCount() - before).toBe(3);
  });

  it('pages a space’s visits with cursors in the order of the database', async () => {
    const supporter = randomUUID();
    const created = await service.gql<{ createSpace: { space: { id: string } } }>(
      'mutation ($input: CreateSpaceInput!) { createSpace(input: $input) { ... on CreateSpaceSuccess { space { id } } } }',
      { input: { name: 'Coworking Cafe 36', kind: 'COWORKING', municipalityCode: '011002' } },
      admin,
    );
    const space = created.data!.createSpace.space.id;
    // Two visits on one day: the later recording comes first, then by id.
    for (const visitedOn of [
      '2012-09-01',
      '2012-10-01',
      '2012-10-01',
      '2012-11-01',
      '2012-08-01',
    ]) {
      await record(
        validInput({ spaceId: space, supporterId: supporter, visitedOn, requests: [] }),
        staff(supporter),
      );
    }
    const { rows } = await service.sql.query<{ id: string }>(
      'SELECT id FROM patrol_visit WHERE space_id = $1 ORDER BY visited_on DESC, created_at DESC, id DESC',
      [space],
    );
    const paged: string[] = [];
    let after: string | null = null;
    for (;;) {
      const response: {
        data?: null | {
          space: {
            patrolVisits: {
              totalCount: number;
              nodes: { id: string }[];
              pageInfo: { hasNextPage: boolean; endCursor: string };
            };
          };
        };
      } = await service.gql(
        `query ($id: ID!, $after: String) { space(id: $id) { patrolVisits(first: 2, after: $after) {
            totalCount nodes { id } pageInfo { hasNextPage endCursor }
          } } }`,
        { id: space, after },
        staff(supporter),
      );
      const page = response.data!.space.patrolVisits;
      expect(page.totalCount).toBe(5);
      paged.push(...page.nodes.map((node) => node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(paged).toEqual(rows.map((row) => row.id));
  });

  it('refuses a page beyond 100', async () => {
    const response = await service.gql(
      'query ($id: ID!) { space(id: $id) { patrolVisits(first: 101) { totalCount } } }',
      { id: ownSpaceId },
      admin,
    );
    expect(response.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });
});

describe('a public summary names the space’s operator', () => {
  const PUBLIC = `query ($id: ID!) {
    space(id: $id) { patrolVisits { totalCount nodes { id publicSummary isSummaryPublic } } }
  }`;
  const PENDING = `query ($reps: [_Any!]!) {
    _entities(representations: $reps) {
      ... on Organization { pendingPatrolVisitSummaries { totalCount nodes { id publicSummary } } }
    }
  }`;
  const answer = (
    name: 'confirm' | 'decline',
    visitId: string,
    identity: ReturnType<typeof asMember>,
  ) =>
    service.gql<Record<string, Payload>>(
      `mutation ($input: ${name === 'confirm' ? 'Confirm' : 'Decline'}PatrolVisitSummaryInput!) {
        ${name}PatrolVisitSummary(input: $input) {
          __typename
          ... on ${name === 'confirm' ? 'Confirm' : 'Decline'}PatrolVisitSummarySuccess { patrolVisit { id publicSummary isSummaryPublic } }
          ... on Error { code message messageEn field }
        }
      }`,
      { input: { visitId } },
      identity,
    );
  const operator = randomUUID();
  const supporter = randomUUID();
  const operatorAdmin = asMember(randomUUID(), {
    staffOf: [{ organizationId: operator, role: 'admin' }],
  });
  let space: string;
  let pendingId: string;

  beforeAll(async () => {
    const created = await service.gql<{ createSpace: { space: { id: string } } }>(
      'mutation ($input: CreateSpaceInput!) { createSpace(input: $input) { ... on CreateSpaceSuccess { space { id } } } }',
      {
        input: {
          name: '小春日和',
          kind: 'COWORKING',
          municipalityCode: '011002',
          operatorId: operator,
        },
      },
      admin,
    );
    space = created.data!.createSpace.space.id;
    const recorded = await record(
      validInput({
        spaceId: space,
        supporterId: supporter,
        publicSummary: '小春日和を訪問しました。',
      }),
      staff(supporter),
    );
    pendingId = recorded.data!.recordPatrolVisit.patrolVisit!.id;
  });

  it('waits for the operator when the supporter does not speak for it: shown nowhere public, not announced', async () => {
    const publicView = await service.gql<{ space: { patrolVisits: { totalCount: number } } }>(
      PUBLIC,
      { id: space },
      asMember(randomUUID()),
    );
    expect(publicView.data!.space.patrolVisits.totalCount).toBe(0);
    const sides = await service.gql<{ space: { patrolVisits: { nodes: unknown[] } } }>(
      PUBLIC,
      { id: space },
      staff(operator),
    );
    expect(sides.data!.space.patrolVisits.nodes).toEqual([
      { id: pendingId, publicSummary: '小春日和を訪問しました。', isSummaryPublic: false },
    ]);
    const [event] = await announced(pendingId);
    expect((event!.data as { publicSummary: string | null }).publicSummary).toBeNull();
    for (const organizationId of [operator, supporter]) {
      const pending = await service.gql<{
        _entities: { pendingPatrolVisitSummaries: { totalCount: number } }[];
      }>(
        PENDING,
        { reps: [{ __typename: 'Organization', id: organizationId }] },
        staff(organizationId),
      );
      expect(pending.data!._entities[0]!.pendingPatrolVisitSummaries.totalCount).toBe(1);
    }
    const stranger = await service.gql(
      PENDING,
      { reps: [{ __typename: 'Organization', id: operator }] },
      asMember(randomUUID()),
    );
    expect(stranger.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });

  it('takes effect at once when the recorder speaks for the operator too', async () => {
    const both = asMember(randomUUID(), {
      staffOf: [
        { organizationId: supporter, role: 'staff' },
        { organizationId: operator, role: 'staff' },
      ],
    });
    const recorded = await record(
      validInput({ spaceId: space, supporterId: supporter, publicSummary: '運営者と一緒に訪問。' }),
      both,
    );
    const visit = recorded.data!.recordPatrolVisit.patrolVisit!;
    const [event] = await announced(visit.id);
    expect((event!.data as { publicSummary: string | null }).publicSummary).toBe(
      '運営者と一緒に訪問。',
    );
    const publicView = await service.gql<{ space: { patrolVisits: { nodes: { id: string }[] } } }>(
      PUBLIC,
      { id: space },
      null,
    );
    expect(publicView.data!.space.patrolVisits.nodes.map((v) => v.id)).toEqual([visit.id]);
  });

  it('is answered only by the operator’s admin (or a hub admin), never by the supporter', async () => {
    const before = await counts();
    for (const identity of [staff(supporter), staff(operator), asMember(randomUUID())]) {
      const refused = await answer('confirm', pendingId, identity);
      expect(refused.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    }
    expect(await counts()).toEqual(before);
    const unknown = await answer('confirm', randomUUID(), operatorAdmin);
    expect(unknown.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const unknownForAdmin = await answer('confirm', randomUUID(), admin);
    expect(unknownForAdmin.data!.confirmPatrolVisitSummary).toMatchObject({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
      field: 'input.visitId',
    });
  });

  it('confirmed: public, announced once; then it cannot be declined', async () => {
    const confirmed = await answer('confirm', pendingId, operatorAdmin);
    expect(confirmed.data!.confirmPatrolVisitSummary).toMatchObject({
      __typename: 'ConfirmPatrolVisitSummarySuccess',
      patrolVisit: { id: pendingId, isSummaryPublic: true },
    });
    await answer('confirm', pendingId, operatorAdmin);
    const events = await announced(pendingId);
    expect(events.map((e) => e.type)).toEqual([
      'spaces.patrol-visit.recorded',
      'spaces.patrol-visit.summary-published',
    ]);
    expect(events[1]!.data).toMatchObject({
      visitId: pendingId,
      spaceId: space,
      publicSummary: '小春日和を訪問しました。',
    });
    const publicView = await service.gql<{ space: { patrolVisits: { totalCount: number } } }>(
      PUBLIC,
      { id: space },
      null,
    );
    expect(publicView.data!.space.patrolVisits.totalCount).toBe(2);
    const declined = await answer('decline', pendingId, operatorAdmin);
    expect(declined.data!.declinePatrolVisitSummary).toMatchObject({
      __typename: 'ConflictError',
      code: 'CONFLICT',
      field: 'input.visitId',
    });
  });

  it('declined: the summary is removed, the visit stays for the two sides', async () => {
    const recorded = await record(
      validInput({ spaceId: space, supporterId: supporter, publicSummary: '辞退される要約' }),
      staff(supporter),
    );
    const visitId = recorded.data!.recordPatrolVisit.patrolVisit!.id;
    const declined = await answer('decline', visitId, operatorAdmin);
    expect(declined.data!.declinePatrolVisitSummary).toMatchObject({
      __typename: 'DeclinePatrolVisitSummarySuccess',
      patrolVisit: { id: visitId, publicSummary: null, isSummaryPublic: false },
    });
    expect(await announced(visitId)).toHaveLength(1);
    const again = await answer('decline', visitId, operatorAdmin);
    expect(again.data!.declinePatrolVisitSummary).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('a member’s data export and erasure', () => {
  const EXPORT = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on DataExport { spaces } } }`;
  type Exported = {
    patrolRequests: { id: string; subject: string; kind: string }[];
    patrolVisits: { id: string; as: string[] }[];
  };
  const exported = async (memberId: string) => {
    const response = await service.gql<{ _entities: { spaces: Exported }[] }>(
      EXPORT,
      { r: [{ __typename: 'DataExport', memberId }] },
      asMember(memberId),
    );
    expect(response.errors).toBeUndefined();
    return response.data!._entities[0]!.spaces;
  };

  it('exports the requests a member made and the visits they made; erasure takes them out of both', async () => {
    const requesterId = randomUUID();
    const visitorId = randomUUID();
    const other = randomUUID();
    const recorded = await record(
      validInput({
        visitorIds: [visitorId, other],
        requests: [
          { kind: 'EXPERT_DISPATCH', subject: '知財の専門家', requesterMemberId: requesterId },
        ],
      }),
      staff(supporterId, visitorId),
    );
    const visitId = recorded.data!.recordPatrolVisit.patrolVisit!.id;
    expect(await exported(requesterId)).toMatchObject({
      patrolRequests: [{ subject: '知財の専門家', kind: 'expert-dispatch' }],
      patrolVisits: [],
    });
    expect((await exported(visitorId)).patrolVisits).toEqual([
      expect.objectContaining({ id: visitId, as: ['visitor', 'recorder'] }),
    ]);

    for (const memberId of [requesterId, visitorId]) {
      const event = createEvent('members.member.erased', {
        subject: memberId,
        data: { memberId, erasedAt: new Date().toISOString(), requestedBy: 'member' },
      });
      await bus.publish(event);
      await handledBy(service.sql, memberErasureConsumer('spaces'), event);
    }
    expect(await exported(requesterId)).toMatchObject({ patrolRequests: [], patrolVisits: [] });
    expect(await exported(visitorId)).toMatchObject({ patrolRequests: [], patrolVisits: [] });
    // The visit stays the supporter's record: the request is now an unnamed coworker's.
    const { rows } = await service.sql.query(
      `SELECT v.visitor_ids::text[] AS visitors, v.recorded_by, r.requester_member_id, r.subject
       FROM patrol_visit v JOIN patrol_request r ON r.visit_id = v.id WHERE v.id = $1`,
      [visitId],
    );
    expect(rows).toEqual([
      { visitors: [other], recorded_by: null, requester_member_id: null, subject: '知財の専門家' },
    ]);
  });
});

describe('demo data', () => {
  it('holds SCS’s visit to Garage labs with two requests, announced once, loaded idempotently', async () => {
    await seedDemoData({ databaseUrl: service.databaseUrl });
    const demo = JSON.parse(
      readFileSync(new URL('../../seed/demo.json', import.meta.url), 'utf8'),
    ) as { patrolVisits: { id: string }[] };
    expect(demo.patrolVisits).toHaveLength(1);
    const visitId = demo.patrolVisits[0]!.id;
    const { rows } = await service.sql.query(
      `SELECT s.name, to_char(v.visited_on, 'YYYY-MM-DD') AS visited_on, v.recorded_by
       FROM patrol_visit v JOIN space s ON s.id = v.space_id WHERE v.id = $1`,
      [visitId],
    );
    expect(rows).toEqual([{ name: 'Garage labs', visited_on: '2012-08-20', recorded_by: null }]);
    const events = await announced(visitId);
    expect(events).toHaveLength(1);
    const data = events[0]!.data as {
      visitedOn: string;
      requests: { kind: string; requesterMemberId: string | null }[];
    };
    expect(data.visitedOn).toBe('2012-08-20');
    expect(data.requests.map((r) => [r.kind, r.requesterMemberId === null])).toEqual([
      ['consultation', false],
      ['expert-dispatch', true],
    ]);
    const before = await counts();
    await seedDemoData({ databaseUrl: service.databaseUrl });
    expect(await counts()).toEqual(before);
  });
});
