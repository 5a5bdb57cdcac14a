import { randomUUID } from 'node:crypto';
import { createInProcessBus } from '@hub/event-bus';
import { createLogger, PAGE_SIZE_MAX } from '@hub/service-kit';
import { asAdmin, startTestService, type TestService } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEventsService } from './app.js';

// Bad input is refused at the schema boundary (the kit's input plugin) as BAD_USER_INPUT naming
// the argument — before, these reached PostgreSQL or Pothos and came back as internal errors.
const bus = createInProcessBus();
let service: TestService;

beforeAll(async () => {
  service = await startTestService({
    name: 'events',
    migrationsDir: new URL('../prisma/migrations', import.meta.url).pathname,
    start: startEventsService,
    bus,
    logger: createLogger({ name: 'events-input-test', level: 'silent' }),
  });
});

afterAll(async () => {
  await service?.stop();
  await bus.close();
});

type Errors = { errors?: { message: string; extensions?: Record<string, unknown> }[] };

function expectRefused(response: Errors, field: string) {
  expect(response.errors).toHaveLength(1);
  expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  expect(response.errors![0]!.message).toMatch(/[ぁ-んァ-ヶ一-龠]/);
}

// Events page by (startsAt, id): a compound cursor.
const cursorOf = (startsAtMs: number, id: string) =>
  Buffer.from(`GPC:T:${JSON.stringify([`D:${startsAtMs}`, `S:${id}`])}`).toString('base64');

const PUBLISH =
  'mutation($input: PublishEventInput!) { publishEvent(input: $input) { __typename } }';
const start = Date.now() + 10 * 24 * 3600_000;
const valid = {
  title: 'ワークショップ',
  kind: 'WORKSHOP',
  startsAt: new Date(start).toISOString(),
  endsAt: new Date(start + 2 * 3600_000).toISOString(),
  venues: [{ placeName: '公民館' }],
};

describe('ids', () => {
  it('refuses an event cursor whose id part is not a UUID (it reached PostgreSQL)', async () => {
    const response = await service.gql(
      `{ events(first: 2, after: "${cursorOf(Date.now(), 'x')}") { edges { cursor } } }`,
    );
    expectRefused(response, 'after');
  });

  it('answers event(id: "x") with BAD_USER_INPUT', async () => {
    expectRefused(await service.gql('{ event(id: "x") { id } }'), 'id');
  });
});

describe('strings', () => {
  it.each([
    ['a NUL byte in the title', { title: 'ジェリー\u0000' }, 'input.title'],
    ['a NUL byte in a tag', { tags: ['ok', 'b\u0000d'] }, 'input.tags.1'],
    ['a tag over 50 characters', { tags: ['x'.repeat(51)] }, 'input.tags.0'],
    [
      'a lone surrogate in a venue',
      { venues: [{ placeName: '公民館' }, { placeName: '\uDC00' }] },
      'input.venues.1.placeName',
    ],
    [
      'a stream URL over 2048 characters',
      { venues: [{ placeName: '公民館', streamUrl: `https://x.jp/${'a'.repeat(2040)}` }] },
      'input.venues.0.streamUrl',
    ],
  ])('refuses %s before anything is written', async (_label, change, field) => {
    const before = await service.sql.query('SELECT count(*) FROM event');
    expectRefused(await service.gql(PUBLISH, { input: { ...valid, ...change } }, asAdmin()), field);
    expect((await service.sql.query('SELECT count(*) FROM event')).rows).toEqual(before.rows);
  });
});

describe('list sizes and connection arguments', () => {
  it('refuses a page of events beyond 100 instead of clamping it', async () => {
    expectRefused(await service.gql('{ events(first: 1000) { totalCount } }'), 'first');
    expectRefused(
      await service.gql(`{ events(first: ${PAGE_SIZE_MAX + 1}) { totalCount } }`),
      'first',
    );
  });

  it('refuses a page beyond 100 on the nested lists too', async () => {
    for (const field of ['events', 'pendingEvents', 'pendingEventVenues']) {
      expectRefused(
        await service.gql(
          `query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { ${field}(first: 101) { totalCount } } } }`,
          { r: [{ __typename: 'Organization', id: randomUUID() }] },
          asAdmin(),
        ),
        'first',
      );
    }
  });

  it.each([
    ['first: -1', 'first'],
    [`last: ${PAGE_SIZE_MAX + 1}`, 'last'],
    ['first: 2, last: 2', 'last'],
    [`first: 2, before: "${cursorOf(Date.now(), randomUUID())}"`, 'before'],
    ['after: "%%%"', 'after'],
    // A cursor of a connection paging by id alone: Prisma refuses its shape before any SQL.
    [`after: "${Buffer.from(`GPC:S:${randomUUID()}`).toString('base64')}"`, 'after'],
  ])('refuses events(%s) as BAD_USER_INPUT on %s', async (args, field) => {
    expectRefused(await service.gql(`{ events(${args}) { edges { cursor } } }`), field);
  });

  it('accepts the cursors it hands out', async () => {
    await service.gql(PUBLISH, { input: valid }, asAdmin());
    await service.gql(PUBLISH, { input: { ...valid, title: '二つ目' } }, asAdmin());
    type Page = { events: { pageInfo: { endCursor: string } } };
    const first = await service.gql<Page>('{ events(first: 1) { pageInfo { endCursor } } }');
    const next = await service.gql(
      'query($after: String) { events(first: 1, after: $after) { edges { cursor } } }',
      { after: first.data!.events.pageInfo.endCursor },
    );
    expect(next.errors).toBeUndefined();
  });
});
