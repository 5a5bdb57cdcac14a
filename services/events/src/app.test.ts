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
import { startEventsService } from './app.js';

const bus = createInProcessBus();
let service: TestService;
let sql: TestService['sql'];

beforeAll(async () => {
  service = await startTestService({
    name: 'events',
    migrationsDir: new URL('../prisma/migrations', import.meta.url).pathname,
    start: startEventsService,
    bus,
    logger: createLogger({ name: 'events-test', level: 'silent' }),
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
const DAY = 24 * 60 * 60 * 1000;
const inDays = (days: number, hours = 2) => ({
  startsAt: new Date(Date.now() + days * DAY).toISOString(),
  endsAt: new Date(Date.now() + days * DAY + hours * 3600_000).toISOString(),
});

const PUBLISH = /* GraphQL */ `
  mutation Publish($input: PublishEventInput!) {
    publishEvent(input: $input) {
      __typename
      ... on PublishEventSuccess {
        event {
          id
          title
          titleEn
          kind
          status
          startsAt
          endsAt
          recurrence
          seriesEndsAt
          nextOccurrence
          tags
          organizers { id }
          venues { id placeName municipalityCode capacity streamUrl space { id } }
        }
      }
      ... on Error { code message messageEn field }
    }
  }
`;

type PublishedEvent = {
  id: string;
  title: string;
  status: string;
  startsAt: string;
  nextOccurrence: string | null;
  seriesEndsAt: string | null;
  organizers: { id: string }[];
  venues: {
    placeName: string | null;
    municipalityCode: string | null;
    capacity: number | null;
    space: { id: string } | null;
  }[];
};

type Payload = {
  __typename: string;
  event?: PublishedEvent;
  code?: string;
  message?: string;
  messageEn?: string;
  field?: string | null;
};

async function publish(input: Record<string, unknown>): Promise<PublishedEvent> {
  const response = await gqlAs<{ publishEvent: Payload }>(admin, PUBLISH, { input });
  expect(response.errors).toBeUndefined();
  expect(response.data!.publishEvent.__typename).toBe('PublishEventSuccess');
  return response.data!.publishEvent.event!;
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

describe('publishEvent', () => {
  it('publishes an event, reads it back and writes events.event.published to the outbox', async () => {
    const spaceId = uuid();
    const organizerId = uuid();
    const event = await publish({
      title: '自慢大会 2026',
      titleEn: 'Showcase 2026',
      kind: 'SHOWCASE',
      startsAt: '2030-02-18T19:00:00+09:00',
      endsAt: '2030-02-18T21:00:00+09:00',
      tags: ['showcase', 'showcase'],
      organizerIds: [organizerId],
      venues: [
        { spaceId, capacity: 30, streamUrl: 'https://stream.example.jp/showcase' },
        { placeName: '美唄市内 (Bibai)', municipalityCode: '012157' },
      ],
    });
    expect(event).toMatchObject({
      title: '自慢大会 2026',
      status: 'PUBLISHED',
      startsAt: '2030-02-18T10:00:00.000Z',
      nextOccurrence: '2030-02-18T10:00:00.000Z',
      seriesEndsAt: '2030-02-18T12:00:00.000Z',
      organizers: [{ id: organizerId }],
      venues: [
        { space: { id: spaceId }, placeName: null, capacity: 30 },
        { space: null, placeName: '美唄市内 (Bibai)', municipalityCode: '012157' },
      ],
    });

    const read = await gql<{ event: { id: string; tags: string[]; venues: unknown[] } }>(
      'query($id: ID!) { event(id: $id) { id tags venues { id } } }',
      { id: event.id },
    );
    expect(read.data?.event).toMatchObject({ id: event.id, tags: ['showcase'] });
    expect(read.data?.event.venues).toHaveLength(2);

    const { rows } = await sql.query('SELECT type, payload FROM outbox_event WHERE subject = $1', [
      event.id,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0].type).toBe('events.event.published');
    expect(rows[0].payload.data).toEqual({
      eventId: event.id,
      title: '自慢大会 2026',
      kind: 'showcase',
      startsAt: '2030-02-18T10:00:00.000Z',
      venueSpaceIds: [spaceId],
    });
    // The relay was kicked after the commit and published it.
    await waitFor(
      async () =>
        (await sql.query('SELECT sent_at FROM outbox_event WHERE subject = $1', [event.id])).rows[0]
          .sent_at,
      { message: 'outbox row sent' },
    );
  });

  const valid = {
    title: 'ワークショップ',
    kind: 'WORKSHOP',
    ...inDays(10),
    venues: [{ placeName: '公民館' }],
  };

  // The domain's rules: a typed InvalidInputError in the payload, naming the input path.
  it.each([
    ['an empty title', { title: '  ' }, 'BAD_USER_INPUT', 'input.title'],
    ['an end before the start', { endsAt: valid.startsAt }, 'BAD_USER_INPUT', 'input.endsAt'],
    ['no venue', { venues: [] }, 'BAD_USER_INPUT', 'input.venues'],
    [
      'a venue with both a space and a place',
      { venues: [{ spaceId: uuid(), placeName: '公民館' }] },
      'BAD_USER_INPUT',
      'input.venues.0',
    ],
    [
      'a venue with neither a space nor a place',
      { venues: [{ capacity: 10 }] },
      'BAD_USER_INPUT',
      'input.venues.0',
    ],
    [
      'a capacity of 0',
      { venues: [{ placeName: '公民館', capacity: 0 }] },
      'BAD_USER_INPUT',
      'input.venues.0.capacity',
    ],
    // Links are shown to other people: only absolute http(s) URLs (the kit's httpUrl).
    ...['file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,x'].map(
      (streamUrl) =>
        [
          `a ${streamUrl.split(':')[0]}: stream URL`,
          { venues: [{ placeName: '公民館', streamUrl }] },
          'BAD_USER_INPUT',
          'input.venues.0.streamUrl',
        ] as const,
    ),
    [
      'an unparseable RRULE',
      { recurrence: 'EVERY THIRD WEDNESDAY' },
      'BAD_USER_INPUT',
      'input.recurrence',
    ],
    ['an hourly RRULE', { recurrence: 'FREQ=HOURLY' }, 'BAD_USER_INPUT', 'input.recurrence'],
    [
      'a wrong municipality check digit',
      { venues: [{ placeName: '札幌', municipalityCode: '011001' }] },
      'INVALID_MUNICIPALITY_CODE',
      'input.venues.0.municipalityCode',
    ],
    [
      'a malformed municipality code',
      { venues: [{ placeName: '札幌', municipalityCode: '01100' }] },
      'INVALID_MUNICIPALITY_CODE',
      'input.venues.0.municipalityCode',
    ],
  ])('returns %s as InvalidInputError and writes nothing', async (_name, change, code, field) => {
    const [events, venues, outbox] = [
      await count('event'),
      await count('event_venue'),
      await count('outbox_event'),
    ];
    const response = await gqlAs<{ publishEvent: Payload }>(admin, PUBLISH, {
      input: { ...valid, ...change },
    });
    expect(response.errors).toBeUndefined();
    const error = response.data!.publishEvent;
    expect(error).toMatchObject({ __typename: 'InvalidInputError', code, field });
    expect(error.message).toMatch(/[ぁ-んァ-ン一-龥]/);
    expect(error.messageEn).toMatch(/^[^ぁ-んァ-ン一-龥]+$/);
    expect([await count('event'), await count('event_venue'), await count('outbox_event')]).toEqual(
      [events, venues, outbox],
    );
  });

  // Limits the kit checks before anything runs stay in errors[], naming the whole path.
  it.each([
    ['a title over 200 characters', { title: 'あ'.repeat(201) }, 'input.title'],
    [
      'a space id that is not a UUID',
      { venues: [{ spaceId: 'space-1' }] },
      'input.venues.0.spaceId',
    ],
    ['an organizer id that is not a UUID', { organizerIds: ['org'] }, 'input.organizerIds.0'],
  ])(
    'refuses %s as BAD_USER_INPUT in errors[] and writes nothing',
    async (_name, change, field) => {
      const [events, outbox] = [await count('event'), await count('outbox_event')];
      const response = await gqlAs(admin, PUBLISH, { input: { ...valid, ...change } });
      expect(response.data).toBeNull();
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(response.errors?.[0]?.message).toMatch(/[ぁ-んァ-ン一-龥]/);
      expect([await count('event'), await count('outbox_event')]).toEqual([events, outbox]);
    },
  );

  it('rejects a DateTime that is not ISO 8601 before any resolver runs', async () => {
    const response = await gqlAs(admin, PUBLISH, {
      input: { ...valid, startsAt: 'next wednesday' },
    });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers a malformed id with BAD_USER_INPUT, not an internal error', async () => {
    const response = await gql('{ event(id: "not-a-uuid") { id } }');
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const entities = await gql<{ _entities: unknown[] }>(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Space { upcomingEvents { nodes { id } } } } }',
      { r: [{ __typename: 'Space', id: 'not-a-uuid' }] },
    );
    // A key that cannot be an id names no entity.
    expect(entities.errors).toBeUndefined();
    expect(entities.data?._entities).toEqual([null]);
  });

  it('refuses requests that do not come from the gateway', async () => {
    const response = await sendGraphQL(service.url, '{ __typename }');
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('nextOccurrence', () => {
  it('follows the monthly RRULE at 19:00 JST on the 3rd Wednesday', async () => {
    const jelly = await publish({
      title: 'Jelly 毎月第3水曜',
      kind: 'JELLY',
      startsAt: '2012-10-17T19:00+09:00',
      endsAt: '2012-10-17T21:00+09:00',
      recurrence: 'FREQ=MONTHLY;BYDAY=3WE',
      venues: [{ spaceId: uuid() }],
    });
    expect(jelly.seriesEndsAt).toBeNull();
    const next = new Date(jelly.nextOccurrence!);
    expect(next.getTime()).toBeGreaterThanOrEqual(Date.now() - 60_000);
    expect(next.getTime()).toBeLessThan(Date.now() + 32 * DAY);
    const tokyo = new Date(next.getTime() + 9 * 3600_000);
    expect(tokyo.getUTCDay()).toBe(3);
    expect(tokyo.getUTCDate()).toBeGreaterThanOrEqual(15);
    expect(tokyo.getUTCDate()).toBeLessThanOrEqual(21);
    expect(tokyo.toISOString().slice(11, 16)).toBe('19:00');
  });

  it('is null for a one-off event in the past', async () => {
    const past = await publish({
      title: '過去の勉強会',
      kind: 'SEMINAR',
      startsAt: '2020-01-10T10:00:00Z',
      endsAt: '2020-01-10T12:00:00Z',
      venues: [{ placeName: '会議室' }],
    });
    expect(past.nextOccurrence).toBeNull();
  });
});

type Upcoming = {
  totalCount: number;
  nodes: { id: string; nextOccurrence?: string }[];
  pageInfo?: { hasNextPage: boolean; endCursor: string };
};

describe('Space.upcomingEvents', () => {
  const [spaceA, spaceB, spaceC] = [uuid(), uuid(), uuid()];
  let ids: Record<string, string>;

  beforeAll(async () => {
    ids = {
      monthly: (
        await publish({
          title: '同時開催 Jelly',
          kind: 'JELLY',
          startsAt: '2013-01-16T19:00:00+09:00',
          endsAt: '2013-01-16T21:00:00+09:00',
          recurrence: 'FREQ=MONTHLY;BYDAY=3WE',
          venues: [{ spaceId: spaceA }, { spaceId: spaceB }],
        })
      ).id,
      soon: (
        await publish({
          title: '明日のセミナー',
          kind: 'SEMINAR',
          ...inDays(1),
          venues: [{ spaceId: spaceA }],
        })
      ).id,
      later: (
        await publish({
          title: '来年の研修',
          kind: 'TRAINING_SESSION',
          ...inDays(300),
          venues: [{ spaceId: spaceC }, { spaceId: spaceA }],
        })
      ).id,
      past: (
        await publish({
          title: '終わった会',
          kind: 'PARTY',
          startsAt: '2019-05-01T18:00:00+09:00',
          endsAt: '2019-05-01T20:00:00+09:00',
          venues: [{ spaceId: spaceA }],
        })
      ).id,
      ended: (
        await publish({
          title: '終わった連続講座',
          kind: 'WORKSHOP',
          startsAt: '2015-04-01T10:00:00+09:00',
          endsAt: '2015-04-01T12:00:00+09:00',
          recurrence: 'FREQ=WEEKLY;COUNT=4',
          venues: [{ spaceId: spaceB }],
        })
      ).id,
    };
  });

  const ENTITIES = /* GraphQL */ `
    query($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on Space { id upcomingEvents { totalCount nodes { id title nextOccurrence } } }
      }
    }
  `;

  it('answers three Space representations with ONE SQL statement, soonest first', async () => {
    const { statements, response } = await statementsFor(() =>
      gql<{ _entities: { id: string; upcomingEvents: Upcoming }[] }>(ENTITIES, {
        representations: [spaceA, spaceB, spaceC].map((id) => ({ __typename: 'Space', id })),
      }),
    );
    expect(response.errors).toBeUndefined();
    expect(statements).toBe(1);
    const [a, b, c] = response.data!._entities;
    expect(a!.id).toBe(spaceA);
    // "soon" (tomorrow) and the monthly Jelly (within a month) both come before "later".
    expect(a!.upcomingEvents.nodes.map((event) => event.id).sort()).toEqual(
      [ids.monthly, ids.soon, ids.later].sort(),
    );
    expect(a!.upcomingEvents.totalCount).toBe(3);
    expect(a!.upcomingEvents.nodes.at(-1)!.id).toBe(ids.later);
    const starts = a!.upcomingEvents.nodes.map((event) => event.nextOccurrence);
    expect([...starts].sort()).toEqual(starts);
    expect(b!.upcomingEvents.nodes.map((event) => event.id)).toEqual([ids.monthly]);
    expect(c!.upcomingEvents.nodes.map((event) => event.id)).toEqual([ids.later]);
  });

  it('pages with cursors in the same order', async () => {
    const page = (after?: string) =>
      gql<{ _entities: { upcomingEvents: Upcoming }[] }>(
        `query($r: [_Any!]!, $after: String) { _entities(representations: $r) {
          ... on Space { upcomingEvents(first: 2, after: $after) {
            totalCount nodes { id } pageInfo { hasNextPage endCursor }
          } }
        } }`,
        { r: [{ __typename: 'Space', id: spaceA }], after },
      );
    const all = (
      await gql<{ _entities: { upcomingEvents: Upcoming }[] }>(ENTITIES, {
        representations: [{ __typename: 'Space', id: spaceA }],
      })
    ).data!._entities[0]!.upcomingEvents.nodes.map((event) => event.id);
    const first = (await page()).data!._entities[0]!.upcomingEvents;
    expect(first).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    const second = (await page(first.pageInfo!.endCursor)).data!._entities[0]!.upcomingEvents;
    expect(second).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: false } });
    expect([...first.nodes, ...second.nodes].map((event) => event.id)).toEqual(all);
  });

  it('refuses a page beyond 100 instead of clamping it', async () => {
    const response = await gql(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Space { upcomingEvents(first: 101) { totalCount } } } }',
      { r: [{ __typename: 'Space', id: spaceA }] },
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'first',
    });
  });

  it('is empty for a space without events', async () => {
    const response = await gql<{ _entities: { upcomingEvents: Upcoming }[] }>(ENTITIES, {
      representations: [{ __typename: 'Space', id: uuid() }],
    });
    expect(response.data?._entities[0]?.upcomingEvents).toEqual({ totalCount: 0, nodes: [] });
  });
});

describe('Organization.events', () => {
  it('answers several Organization representations with ONE SQL statement', async () => {
    const [first, second, idle] = [uuid(), uuid(), uuid()];
    const both = await publish({
      title: '共催フォーラム',
      kind: 'FORUM',
      ...inDays(20),
      organizerIds: [first, second],
      venues: [{ placeName: '市民会館' }],
    });
    const own = await publish({
      title: '単独セミナー',
      kind: 'SEMINAR',
      ...inDays(40),
      organizerIds: [first],
      venues: [{ placeName: '市民会館' }],
    });
    const { statements, response } = await statementsFor(() =>
      gql<{ _entities: { id: string; events: { totalCount: number; nodes: { id: string }[] } }[] }>(
        `query($representations: [_Any!]!) {
          _entities(representations: $representations) {
            ... on Organization { id events { totalCount nodes { id } } }
          }
        }`,
        {
          representations: [first, second, idle].map((id) => ({ __typename: 'Organization', id })),
        },
      ),
    );
    expect(statements).toBe(1);
    expect(
      response.data!._entities.map((org) => org.events.nodes.map((event) => event.id)),
    ).toEqual([[own.id, both.id], [both.id], []]);
    expect(response.data!._entities.map((org) => org.events.totalCount)).toEqual([2, 1, 0]);
  });
});

describe('Event entity', () => {
  it('resolves several Event representations with ONE SQL statement', async () => {
    const events = [
      await publish({ title: 'A', kind: 'PARTY', ...inDays(5), venues: [{ placeName: 'X' }] }),
      await publish({ title: 'B', kind: 'PARTY', ...inDays(6), venues: [{ placeName: 'Y' }] }),
    ];
    const { statements, response } = await statementsFor(() =>
      gql<{ _entities: ({ id: string; title: string } | null)[] }>(
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Event { id title } } }',
        {
          r: [
            ...events.map((event) => ({ __typename: 'Event', id: event.id })),
            { __typename: 'Event', id: uuid() },
          ],
        },
      ),
    );
    expect(statements).toBe(1);
    expect(response.data!._entities).toEqual([
      { id: events[0]!.id, title: 'A' },
      { id: events[1]!.id, title: 'B' },
      null,
    ]);
  });
});

describe('events', () => {
  const tag = `test-${uuid().slice(0, 8)}`;
  let ids: Record<string, string>;

  beforeAll(async () => {
    ids = {
      weekly: (
        await publish({
          title: '毎週のもくもく会',
          kind: 'JELLY',
          startsAt: '2031-01-06T10:00:00+09:00',
          endsAt: '2031-01-06T12:00:00+09:00',
          recurrence: 'FREQ=MONTHLY;BYMONTHDAY=6',
          tags: [tag],
          venues: [{ placeName: '札幌駅前', municipalityCode: '011002' }],
        })
      ).id,
      forum: (
        await publish({
          title: 'フォーラム',
          kind: 'FORUM',
          startsAt: '2031-01-20T13:00:00+09:00',
          endsAt: '2031-01-20T17:00:00+09:00',
          tags: [tag],
          venues: [{ placeName: '大阪', municipalityCode: '271004' }],
        })
      ).id,
      seminar: (
        await publish({
          title: 'セミナー',
          kind: 'SEMINAR',
          startsAt: '2031-03-02T13:00:00+09:00',
          endsAt: '2031-03-02T15:00:00+09:00',
          tags: [tag],
          venues: [{ placeName: '札幌', municipalityCode: '011002' }],
        })
      ).id,
    };
  });

  const list = async (filter: Record<string, unknown>) => {
    const response = await gql<{ events: { totalCount: number; nodes: { id: string }[] } }>(
      'query($filter: EventFilter) { events(filter: $filter) { totalCount nodes { id } } }',
      { filter: { tag, ...filter } },
    );
    expect(response.errors).toBeUndefined();
    // totalCount counts exactly what can be paged through.
    expect(response.data!.events.totalCount).toBe(response.data!.events.nodes.length);
    return response.data!.events.nodes.map((event) => event.id);
  };

  it('filters by tag, kind, municipality and window (a recurring event by its whole schedule)', async () => {
    expect(await list({})).toEqual([ids.weekly, ids.forum, ids.seminar]);
    expect(await list({ kind: 'FORUM' })).toEqual([ids.forum]);
    expect(await list({ municipalityCode: '011002' })).toEqual([ids.weekly, ids.seminar]);
    // 10–25 January 2031: the forum, and the monthly event, whose open-ended schedule (from
    // 6 January) spans the window — paging and totalCount are exact in SQL, where RRULE
    // occurrences cannot be evaluated.
    expect(
      await list({ from: '2031-01-10T00:00:00+09:00', to: '2031-01-25T00:00:00+09:00' }),
    ).toEqual([ids.weekly, ids.forum]);
    // Before the monthly event starts: only what starts then.
    expect(
      await list({ from: '2030-12-01T00:00:00+09:00', to: '2031-01-06T00:00:00+09:00' }),
    ).toEqual([]);
    // March 2031: the monthly event and the seminar.
    expect(
      await list({ from: '2031-03-01T00:00:00+09:00', to: '2031-04-01T00:00:00+09:00' }),
    ).toEqual([ids.weekly, ids.seminar]);
  });

  it('rejects a window that ends before it starts and a bad municipality code', async () => {
    const reversed = await gql(
      'query { events(filter: { from: "2031-02-01T00:00:00Z", to: "2031-01-01T00:00:00Z" }) { nodes { id } } }',
    );
    expect(reversed.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.to',
    });
    const badCode = await gql(
      'query { events(filter: { municipalityCode: "011001" }) { nodes { id } } }',
    );
    expect(badCode.errors?.[0]?.extensions?.code).toBe('INVALID_MUNICIPALITY_CODE');
  });

  it('pages chronologically', async () => {
    const page = (after?: string) =>
      gql<{
        events: {
          edges: { cursor: string; node: { id: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      }>(
        'query($filter: EventFilter, $after: String) { events(filter: $filter, first: 2, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }',
        { filter: { tag }, after },
      );
    const first = (await page()).data!.events;
    expect(first.edges.map((edge) => edge.node.id)).toEqual([ids.weekly, ids.forum]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await page(first.pageInfo.endCursor)).data!.events;
    expect(second.edges.map((edge) => edge.node.id)).toEqual([ids.seminar]);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });
});

describe('authorization of publishEvent', () => {
  const organizerId = uuid();
  const input = {
    title: '主催者の勉強会',
    kind: 'SEMINAR',
    ...inDays(15),
    organizerIds: [organizerId],
    venues: [{ placeName: '公民館' }],
  };
  const staffOf = (...organizationIds: string[]) =>
    asMember(uuid(), {
      staffOf: organizationIds.map((organizationId) => ({ organizationId, role: 'coordinator' })),
    });
  const rows = async () => [
    await count('event'),
    await count('event_venue'),
    await count('outbox_event'),
  ];

  it.each<[string, string, Identity | null]>([
    ['an anonymous caller', 'UNAUTHENTICATED', null],
    ['a member without a staff role', 'FORBIDDEN', asMember(uuid())],
    ['staff of another organisation', 'FORBIDDEN', staffOf(uuid())],
    ['a partner key', 'FORBIDDEN', asPartner()],
  ])('refuses %s (%s) and writes nothing', async (_who, code, identity) => {
    const before = await rows();
    const response = await gqlAs(identity, PUBLISH, { input });
    expect(response.data).toBeNull();
    expect(response.errors?.[0]?.extensions?.code).toBe(code);
    expect(response.errors?.[0]?.message).toMatch(/[ぁ-んァ-ン一-龥]/);
    expect(await rows()).toEqual(before);
  });

  it('lets staff of an organiser publish; a co-organiser they are not staff of waits', async () => {
    const coOrganizerId = uuid();
    const response = await gqlAs<{ publishEvent: Payload }>(staffOf(organizerId), PUBLISH, {
      input: { ...input, organizerIds: [coOrganizerId, organizerId] },
    });
    expect(response.errors).toBeUndefined();
    // Co-organisers named without their say: src/schema/event-organizers.test.ts.
    expect(response.data!.publishEvent.event!.organizers).toEqual([{ id: organizerId }]);
  });

  it('leaves an event without organisers to hub admins', async () => {
    const before = await rows();
    const response = await gqlAs(staffOf(organizerId), PUBLISH, {
      input: { ...input, organizerIds: [] },
    });
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await rows()).toEqual(before);
    const byAdmin = await gqlAs(admin, PUBLISH, { input: { ...input, organizerIds: [] } });
    expect(byAdmin.errors).toBeUndefined();
  });

  it('keeps the calendar open to anonymous callers and partners', async () => {
    for (const identity of [null, asPartner(), asMember(uuid())]) {
      const response = await gqlAs<{ events: { nodes: unknown[] } }>(
        identity,
        '{ events(first: 2) { nodes { id title organizers { id } venues { space { id } } } } }',
      );
      expect(response.errors).toBeUndefined();
      expect(response.data!.events.nodes.length).toBeGreaterThan(0);
    }
  });
});

describeDataExportField({
  field: 'events',
  serviceName: 'events',
  url: () => service.url,
  expected: {
    registrations: [],
    attendance: [],
    note: expect.stringMatching(/^イベントサービス.*\(/),
  },
});
