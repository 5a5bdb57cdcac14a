import { createInProcessBus } from '@hub/event-bus';
import { createLogger, type Identity } from '@hub/service-kit';
import { asAdmin, asMember, asPartner, startTestService, type TestService } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEventsService } from '../app.js';

// Co-organisers named without their say (docs/authorization.md, "Links that name another
// organisation"): the review's reproduction was staff of their own new organisation publishing
// an event "co-organised" by 札幌市, which then appeared under 札幌市 for everyone.

const bus = createInProcessBus();
let service: TestService;

beforeAll(async () => {
  service = await startTestService({
    name: 'events',
    migrationsDir: new URL('../../prisma/migrations', import.meta.url).pathname,
    start: startEventsService,
    bus,
    logger: createLogger({ name: 'events-organizers-test', level: 'silent' }),
  });
});

afterAll(async () => {
  await service?.stop();
  await bus.close();
});

const uuid = () => crypto.randomUUID();
const gql = <T = Record<string, unknown>>(
  identity: Identity | null,
  query: string,
  variables?: Record<string, unknown>,
) => service.gql<T>(query, variables, identity);

const staffOf = (organizationId: string, role: 'staff' | 'coordinator' | 'admin' = 'staff') =>
  asMember(uuid(), { staffOf: [{ organizationId, role }] });

type TEvent = { id: string; organizers: { id: string }[]; pendingOrganizers: { id: string }[] };
const EVENT_FIELDS = 'id organizers { id } pendingOrganizers { id }';
/** A mutation's payload: the event on success, else the typed error. */
const payloadOf = (name: string) =>
  `__typename ... on ${name}Success { event { ${EVENT_FIELDS} } } ... on Error { code message messageEn field }`;
type Payload = {
  __typename: string;
  event?: TEvent;
  code?: string;
  message?: string;
  messageEn?: string;
  field?: string | null;
};

async function publish(identity: Identity, organizerIds: string[]): Promise<TEvent> {
  const response = await gql<{ publishEvent: Payload }>(
    identity,
    `mutation ($input: PublishEventInput!) { publishEvent(input: $input) { ${payloadOf('PublishEvent')} } }`,
    {
      input: {
        title: '共催フォーラム',
        kind: 'FORUM',
        startsAt: '2031-05-20T13:00:00+09:00',
        endsAt: '2031-05-20T17:00:00+09:00',
        organizerIds,
        venues: [{ placeName: '市民会館' }],
      },
    },
  );
  expect(response.errors).toBeUndefined();
  return response.data!.publishEvent.event!;
}

async function readEvent(identity: Identity | null, id: string): Promise<TEvent> {
  const response = await gql<{ event: TEvent }>(
    identity,
    `query ($id: ID!) { event(id: $id) { ${EVENT_FIELDS} } }`,
    { id },
  );
  expect(response.errors).toBeUndefined();
  return response.data!.event;
}

type TOrganizationEvents = {
  id: string;
  events: { nodes: { id: string }[] } | null;
  pendingEvents: { nodes: { id: string }[] } | null;
};

async function organizations(
  identity: Identity | null,
  ids: string[],
  fields = 'events { nodes { id } }',
) {
  return gql<{ _entities: TOrganizationEvents[] }>(
    identity,
    `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { id ${fields} } } }`,
    { r: ids.map((id) => ({ __typename: 'Organization', id })) },
  );
}

const eventIdsOf = async (identity: Identity | null, organizationId: string) =>
  (await organizations(identity, [organizationId])).data!._entities[0]!.events!.nodes.map(
    (e) => e.id,
  );

const CONFIRM = `mutation ($input: ConfirmEventOrganizerInput!) {
  confirmEventOrganizer(input: $input) { ${payloadOf('ConfirmEventOrganizer')} }
}`;
const DECLINE = `mutation ($input: DeclineEventOrganizerInput!) {
  declineEventOrganizer(input: $input) { ${payloadOf('DeclineEventOrganizer')} }
}`;

describe('the review’s reproduction', () => {
  it('does not publish 札幌市 as co-organiser of an event it never agreed to', async () => {
    const [own, sapporo] = [uuid(), uuid()];
    // Only fields that existed before the rule, so this also runs against the old schema.
    const response = await gql<{ publishEvent: { event: { id: string } } }>(
      staffOf(own, 'admin'),
      `mutation ($input: PublishEventInput!) { publishEvent(input: $input) { ... on PublishEventSuccess { event { id organizers { id } } } } }`,
      {
        input: {
          title: '札幌市と共催のフォーラム',
          kind: 'FORUM',
          startsAt: '2031-05-20T13:00:00+09:00',
          endsAt: '2031-05-20T17:00:00+09:00',
          organizerIds: [own, sapporo],
          venues: [{ placeName: '市民会館' }],
        },
      },
    );
    expect(response.errors).toBeUndefined();
    const { id } = response.data!.publishEvent.event;
    const read = await gql<{ event: { organizers: { id: string }[] } }>(
      null,
      'query ($id: ID!) { event(id: $id) { organizers { id } } }',
      { id },
    );
    expect(read.data!.event.organizers).toEqual([{ id: own }]);
    expect(await eventIdsOf(null, sapporo)).not.toContain(id);
    expect(await eventIdsOf(null, own)).toContain(id);
  });
});

describe('a co-organiser named without its say', () => {
  const own = uuid();
  const sapporo = uuid();
  let event: TEvent;

  beforeAll(async () => {
    // Staff of their own (new) organisation names 札幌市 as co-organiser.
    event = await publish(staffOf(own, 'admin'), [own, sapporo]);
  });

  it('is pending: the event is published under the confirmed organiser only', async () => {
    expect(event.organizers).toEqual([{ id: own }]);
    expect(event.pendingOrganizers).toEqual([{ id: sapporo }]);
    for (const identity of [null, asMember(uuid()), staffOf(uuid()), asPartner()]) {
      expect(await readEvent(identity, event.id)).toEqual({
        id: event.id,
        organizers: [{ id: own }],
        pendingOrganizers: [],
      });
    }
  });

  it('does not appear under the named organisation, for anyone', async () => {
    for (const identity of [null, asMember(uuid()), staffOf(sapporo), asAdmin()]) {
      expect(await eventIdsOf(identity, sapporo)).not.toContain(event.id);
    }
    expect(await eventIdsOf(null, own)).toContain(event.id);
  });

  it('is shown to both sides and hub admins, and to nobody else', async () => {
    const both = [{ id: sapporo }];
    expect((await readEvent(staffOf(own), event.id)).pendingOrganizers).toEqual(both);
    expect((await readEvent(staffOf(sapporo), event.id)).pendingOrganizers).toEqual(both);
    expect((await readEvent(asAdmin(), event.id)).pendingOrganizers).toEqual(both);

    for (const [identity, side] of [
      [staffOf(sapporo, 'coordinator'), sapporo],
      [staffOf(own), own],
      [asAdmin(), sapporo],
    ] as const) {
      const response = await organizations(identity, [side], 'pendingEvents { nodes { id } }');
      expect(response.errors).toBeUndefined();
      expect(response.data!._entities[0]!.pendingEvents!.nodes.map((e) => e.id)).toContain(
        event.id,
      );
    }
    for (const [identity, code] of [
      [null, 'UNAUTHENTICATED'],
      [asMember(uuid()), 'FORBIDDEN'],
      [staffOf(own), 'FORBIDDEN'],
      [asPartner({ organizationId: sapporo }), 'FORBIDDEN'],
    ] as const) {
      const response = await organizations(identity, [sapporo], 'pendingEvents { nodes { id } }');
      expect(response.data!._entities[0]!.pendingEvents).toBeNull();
      expect(response.errors?.[0]?.extensions?.code).toBe(code);
    }
  });

  it('can be confirmed only by the named organisation’s admin (or a hub admin)', async () => {
    const input = { eventId: event.id, organizationId: sapporo };
    for (const [identity, code] of [
      [null, 'UNAUTHENTICATED'],
      [staffOf(sapporo, 'coordinator'), 'FORBIDDEN'],
      [staffOf(own, 'admin'), 'FORBIDDEN'],
      [asMember(uuid()), 'FORBIDDEN'],
    ] as const) {
      for (const mutation of [CONFIRM, DECLINE]) {
        const response = await gql(identity, mutation, { input });
        expect(response.data).toBeNull();
        expect(response.errors?.[0]?.extensions?.code).toBe(code);
      }
    }
    expect((await readEvent(null, event.id)).organizers).toEqual([{ id: own }]);
  });

  it('counts once confirmed: shown as organiser and under the organisation', async () => {
    const admin = staffOf(sapporo, 'admin');
    const response = await gql<{ confirmEventOrganizer: Payload }>(admin, CONFIRM, {
      input: { eventId: event.id, organizationId: sapporo },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!.confirmEventOrganizer.event).toEqual({
      id: event.id,
      organizers: [{ id: own }, { id: sapporo }],
      pendingOrganizers: [],
    });
    expect((await readEvent(null, event.id)).organizers).toEqual([{ id: own }, { id: sapporo }]);
    expect(await eventIdsOf(null, sapporo)).toContain(event.id);
    const pending = await organizations(admin, [sapporo], 'pendingEvents { nodes { id } }');
    expect(pending.data!._entities[0]!.pendingEvents!.nodes).toEqual([]);

    // Confirming again changes nothing; declining a confirmed organiser is a conflict.
    const again = await gql<{ confirmEventOrganizer: Payload }>(admin, CONFIRM, {
      input: { eventId: event.id, organizationId: sapporo },
    });
    expect(again.data!.confirmEventOrganizer.event!.organizers).toEqual([
      { id: own },
      { id: sapporo },
    ]);
    const decline = await gql<{ declineEventOrganizer: Payload }>(admin, DECLINE, {
      input: { eventId: event.id, organizationId: sapporo },
    });
    expect(decline.errors).toBeUndefined();
    expect(decline.data!.declineEventOrganizer).toMatchObject({
      __typename: 'ConflictError',
      code: 'CONFLICT',
      field: 'input.organizationId',
    });
    expect(decline.data!.declineEventOrganizer.message).toMatch(/[ぁ-んァ-ン一-龥]/);
    expect(decline.data!.declineEventOrganizer.messageEn).toMatch(/confirmed organiser/);
    // The conflict changed nothing.
    expect((await readEvent(null, event.id)).organizers).toEqual([{ id: own }, { id: sapporo }]);
  });
});

describe('declining a co-organiser link', () => {
  it('removes the link; the event stays published under its organisers', async () => {
    const [own, company] = [uuid(), uuid()];
    const event = await publish(staffOf(own), [own, company]);
    const response = await gql<{ declineEventOrganizer: Payload }>(asAdmin(), DECLINE, {
      input: { eventId: event.id, organizationId: company },
    });
    expect(response.errors).toBeUndefined();
    const expected = { id: event.id, organizers: [{ id: own }], pendingOrganizers: [] };
    expect(response.data!.declineEventOrganizer.event).toEqual(expected);
    expect(await readEvent(staffOf(company), event.id)).toEqual(expected);
    expect(await eventIdsOf(null, own)).toContain(event.id);
    expect(await eventIdsOf(asAdmin(), company)).not.toContain(event.id);
    // Nothing is left to answer.
    const again = await gql<{ confirmEventOrganizer: Payload }>(
      staffOf(company, 'admin'),
      CONFIRM,
      {
        input: { eventId: event.id, organizationId: company },
      },
    );
    expect(again.data!.confirmEventOrganizer).toMatchObject({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
      field: 'input.organizationId',
    });
  });
});

describe('links that take effect at once', () => {
  it('counts every organiser the publisher is staff of', async () => {
    const [first, second] = [uuid(), uuid()];
    const publisher = asMember(uuid(), {
      staffOf: [
        { organizationId: first, role: 'coordinator' },
        { organizationId: second, role: 'staff' },
      ],
    });
    const event = await publish(publisher, [first, second]);
    expect(event).toMatchObject({
      organizers: [{ id: first }, { id: second }],
      pendingOrganizers: [],
    });
    expect(await eventIdsOf(null, second)).toContain(event.id);
  });

  it('counts every organiser a hub admin names', async () => {
    const [first, second] = [uuid(), uuid()];
    const event = await publish(asAdmin(), [first, second]);
    expect(event).toMatchObject({
      organizers: [{ id: first }, { id: second }],
      pendingOrganizers: [],
    });
    expect(await eventIdsOf(null, first)).toContain(event.id);
  });
});

describe('answering with bad input', () => {
  // Malformed ids are refused by the kit before anything runs: errors[], the whole path.
  it.each([
    ['an event id that is not a UUID', { eventId: 'event-1' }, 'input.eventId'],
    [
      'an organisation id that is not a UUID',
      { organizationId: 'sapporo' },
      'input.organizationId',
    ],
  ])('refuses %s as BAD_USER_INPUT in errors[]', async (_name, change, field) => {
    const own = uuid();
    const event = await publish(staffOf(own), [own, uuid()]);
    for (const mutation of [CONFIRM, DECLINE]) {
      const response = await gql(asAdmin(), mutation, {
        input: { eventId: event.id, organizationId: uuid(), ...change },
      });
      expect(response.data).toBeNull();
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(response.errors?.[0]?.message).toMatch(/[ぁ-んァ-ン一-龥]/);
    }
  });

  // Something the input names that does not exist: a typed NotFoundError, nothing changed.
  it.each([
    ['an unknown event', { eventId: uuid() }, 'input.eventId'],
    ['an organisation the event does not name', { organizationId: uuid() }, 'input.organizationId'],
  ])('returns %s as NotFoundError', async (_name, change, field) => {
    const own = uuid();
    const event = await publish(staffOf(own), [own, uuid()]);
    for (const [mutation, name] of [
      [CONFIRM, 'confirmEventOrganizer'],
      [DECLINE, 'declineEventOrganizer'],
    ] as const) {
      const response = await gql<Record<string, Payload>>(asAdmin(), mutation, {
        input: { eventId: event.id, organizationId: uuid(), ...change },
      });
      expect(response.errors).toBeUndefined();
      expect(response.data![name]).toMatchObject({
        __typename: 'NotFoundError',
        code: 'NOT_FOUND',
        field,
      });
      expect(response.data![name]!.message).toMatch(/[ぁ-んァ-ン一-龥]/);
      expect(response.data![name]!.messageEn).toMatch(/not found|not named/);
    }
    expect(await readEvent(asAdmin(), event.id)).toEqual(event);
  });
});

describe('Organization.pendingEvents', () => {
  it('answers several organisations with ONE SQL statement', async () => {
    const [own, named, idle] = [uuid(), uuid(), uuid()];
    const event = await publish(staffOf(own), [own, named]);
    const admin = asAdmin();
    let best = Number.POSITIVE_INFINITY;
    let response: Awaited<ReturnType<typeof organizations>> | undefined;
    // The outbox relay polls on the same pool: the cheapest of a few tries is the request's.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const before = service.queryCount();
      response = await organizations(admin, [own, named, idle], 'pendingEvents { nodes { id } }');
      best = Math.min(best, service.queryCount() - before);
    }
    expect(best).toBe(1);
    expect(response!.data!._entities.map((o) => o.pendingEvents!.nodes.map((e) => e.id))).toEqual([
      [event.id],
      [event.id],
      [],
    ]);
  });
});
