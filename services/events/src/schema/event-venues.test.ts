import { randomUUID } from 'node:crypto';
import { createInProcessBus } from '@hub/event-bus';
import { createLogger, type Identity } from '@hub/service-kit';
import {
  asAdmin,
  asMember,
  asPartner,
  handledBy,
  startTestService,
  type TestService,
} from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spaceRegistered } from '../../test/support/space-events.js';
import { startEventsService } from '../app.js';
import { SPACE_OPERATORS_CONSUMER } from '../events/space-operators.js';

// A venue at a space names the space's operator (docs/authorization.md, "Links that name
// another organisation"). The hole: any member may create an organisation, become its staff,
// publish an event "at Garage labs" — and it was listed in Garage labs' upcomingEvents for
// everyone, without Garage labs' operator having a say.

const bus = createInProcessBus();
let service: TestService;

beforeAll(async () => {
  service = await startTestService({
    name: 'events-venues',
    migrationsDir: new URL('../../prisma/migrations', import.meta.url).pathname,
    start: startEventsService,
    bus,
    logger: createLogger({ name: 'events-venues-test', level: 'silent' }),
  });
});

afterAll(async () => {
  await service?.stop();
  await bus.close();
});

const uuid = () => randomUUID();
const gql = <T = Record<string, unknown>>(
  identity: Identity | null,
  query: string,
  variables?: Record<string, unknown>,
) => service.gql<T>(query, variables, identity);

const staffOf = (organizationId: string, role: 'staff' | 'coordinator' | 'admin' = 'staff') =>
  asMember(uuid(), { staffOf: [{ organizationId, role }] });

/** A space events has learnt from spaces, operated by `operatorId`. */
async function knownSpace(operatorId: string | null = uuid()) {
  const registered = spaceRegistered({ operatorId });
  await bus.publish(registered);
  await handledBy(service.sql, SPACE_OPERATORS_CONSUMER, registered);
  return { spaceId: registered.data.spaceId, operatorId };
}

type TVenue = {
  id: string;
  isConfirmed: boolean;
  placeName: string | null;
  space: { id: string } | null;
};
type TEvent = { id: string; status: string; venues: TVenue[] };
const EVENT_FIELDS = 'id status venues { id isConfirmed placeName space { id } }';
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

const DAY = 24 * 3600_000;
async function publish(identity: Identity, organizerIds: string[], venues: object[]) {
  const response = await gql<{ publishEvent: Payload }>(
    identity,
    `mutation ($input: PublishEventInput!) { publishEvent(input: $input) { ${payloadOf('PublishEvent')} } }`,
    {
      input: {
        title: 'もくもく会',
        kind: 'JELLY',
        startsAt: new Date(Date.now() + 10 * DAY).toISOString(),
        endsAt: new Date(Date.now() + 10 * DAY + 2 * 3600_000).toISOString(),
        organizerIds,
        venues,
      },
    },
  );
  expect(response.errors).toBeUndefined();
  return response.data!.publishEvent.event!;
}

const readEvent = async (identity: Identity | null, id: string) => {
  const response = await gql<{ event: TEvent }>(
    identity,
    `query ($id: ID!) { event(id: $id) { ${EVENT_FIELDS} } }`,
    { id },
  );
  expect(response.errors).toBeUndefined();
  return response.data!.event;
};

const upcomingAt = async (identity: Identity | null, spaceId: string) => {
  const response = await gql<{ _entities: { upcomingEvents: { nodes: { id: string }[] } }[] }>(
    identity,
    'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Space { upcomingEvents { nodes { id } } } } }',
    { r: [{ __typename: 'Space', id: spaceId }] },
  );
  expect(response.errors).toBeUndefined();
  return response.data!._entities[0]!.upcomingEvents.nodes.map((event) => event.id);
};

const pendingVenues = (identity: Identity | null, organizationIds: string[]) =>
  gql<{
    _entities: { pendingEventVenues: { nodes: { id: string; event: { id: string } }[] } | null }[];
  }>(
    identity,
    `query ($r: [_Any!]!) { _entities(representations: $r) {
      ... on Organization { pendingEventVenues { nodes { id event { id } } } }
    } }`,
    { r: organizationIds.map((id) => ({ __typename: 'Organization', id })) },
  );

const CONFIRM = `mutation ($input: ConfirmEventVenueInput!) {
  confirmEventVenue(input: $input) { ${payloadOf('ConfirmEventVenue')} }
}`;
const DECLINE = `mutation ($input: DeclineEventVenueInput!) {
  declineEventVenue(input: $input) { ${payloadOf('DeclineEventVenue')} }
}`;

describe('the hole: a member’s own organisation lists its event at Garage labs', () => {
  /** Only fields that existed before the rule, so this also runs against the old service. */
  async function listAtGarageLabs(spaceId: string) {
    const own = uuid();
    const response = await gql<{ publishEvent: { event: { id: string } } }>(
      staffOf(own, 'admin'),
      'mutation ($input: PublishEventInput!) { publishEvent(input: $input) { ... on PublishEventSuccess { event { id } } } }',
      {
        input: {
          title: 'Garage labs で勉強会',
          kind: 'SEMINAR',
          startsAt: '2031-06-10T19:00:00+09:00',
          endsAt: '2031-06-10T21:00:00+09:00',
          organizerIds: [own],
          venues: [{ spaceId }],
        },
      },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.publishEvent.event.id;
  }

  async function expectNowhereAt(spaceId: string, eventId: string, operatorId: string) {
    for (const identity of [null, asMember(uuid()), asPartner(), staffOf(operatorId)]) {
      expect(await upcomingAt(identity, spaceId)).not.toContain(eventId);
    }
    const anonymous = await gql<{ event: { venues: { space: { id: string } | null }[] } }>(
      null,
      'query ($id: ID!) { event(id: $id) { venues { space { id } } } }',
      { id: eventId },
    );
    expect(anonymous.data!.event.venues).toEqual([]);
  }

  it('does not list it in Garage labs’ upcomingEvents (operator not heard of yet: fail closed)', async () => {
    const garageLabs = uuid();
    const spaceId = uuid();
    const eventId = await listAtGarageLabs(spaceId);
    await expectNowhereAt(spaceId, eventId, garageLabs);
  });

  it('does not list it in Garage labs’ upcomingEvents (operator known)', async () => {
    const { spaceId, operatorId } = await knownSpace();
    const eventId = await listAtGarageLabs(spaceId);
    await expectNowhereAt(spaceId, eventId, operatorId!);
  });
});

describe('a venue named without the operator’s say', () => {
  const own = uuid();
  let garage: { spaceId: string; operatorId: string | null };
  let event: TEvent;
  let pendingVenue: TVenue;

  beforeAll(async () => {
    garage = await knownSpace();
    event = await publish(
      staffOf(own, 'admin'),
      [own],
      [
        { spaceId: garage.spaceId, capacity: 20, municipalityCode: '011002' },
        { placeName: '市民会館' },
      ],
    );
    pendingVenue = event.venues[0]!;
  });

  it('is pending; the event is published at its other venues', async () => {
    expect(event.status).toBe('PUBLISHED');
    expect(event.venues).toEqual([
      { id: pendingVenue.id, isConfirmed: false, placeName: null, space: { id: garage.spaceId } },
      expect.objectContaining({ isConfirmed: true, placeName: '市民会館' }),
    ]);
    const { rows } = await service.sql.query(
      "SELECT payload->'data'->'venueSpaceIds' AS ids FROM outbox_event WHERE subject = $1",
      [event.id],
    );
    // Not announced either: nothing built from events.event.published can show it.
    expect(rows).toEqual([{ ids: [] }]);
  });

  it('is shown to the two sides and hub admins only', async () => {
    for (const identity of [staffOf(own), staffOf(garage.operatorId!, 'coordinator'), asAdmin()]) {
      expect((await readEvent(identity, event.id)).venues.map((venue) => venue.id)).toContain(
        pendingVenue.id,
      );
    }
    for (const identity of [null, asMember(uuid()), staffOf(uuid()), asPartner()]) {
      const read = await readEvent(identity, event.id);
      expect(read.venues.map((venue) => venue.placeName)).toEqual(['市民会館']);
    }
  });

  it('is in no public list, for anyone — not even the space’s own', async () => {
    for (const identity of [null, staffOf(garage.operatorId!), staffOf(own), asAdmin()]) {
      expect(await upcomingAt(identity, garage.spaceId)).not.toContain(event.id);
    }
    const byMunicipality = await gql<{ events: { nodes: { id: string }[] } }>(
      null,
      'query { events(filter: { municipalityCode: "011002" }, first: 100) { nodes { id } } }',
    );
    expect(byMunicipality.data!.events.nodes.map((found) => found.id)).not.toContain(event.id);
  });

  it('awaits an answer in pendingEventVenues of both sides (their staff and hub admins only)', async () => {
    for (const [identity, side] of [
      [staffOf(garage.operatorId!), garage.operatorId!],
      [staffOf(own), own],
      [asAdmin(), garage.operatorId!],
    ] as const) {
      const response = await pendingVenues(identity, [side]);
      expect(response.errors).toBeUndefined();
      expect(response.data!._entities[0]!.pendingEventVenues!.nodes).toEqual([
        { id: pendingVenue.id, event: { id: event.id } },
      ]);
    }
    for (const [identity, code] of [
      [null, 'UNAUTHENTICATED'],
      [asMember(uuid()), 'FORBIDDEN'],
      [staffOf(own), 'FORBIDDEN'],
      [asPartner({ organizationId: garage.operatorId! }), 'FORBIDDEN'],
    ] as const) {
      const response = await pendingVenues(identity, [garage.operatorId!]);
      expect(response.data!._entities[0]!.pendingEventVenues).toBeNull();
      expect(response.errors?.[0]?.extensions?.code).toBe(code);
    }
  });

  it('can be answered only by the operator’s admin (or a hub admin)', async () => {
    const input = { venueId: pendingVenue.id };
    for (const [identity, code] of [
      [null, 'UNAUTHENTICATED'],
      [staffOf(garage.operatorId!, 'coordinator'), 'FORBIDDEN'],
      [staffOf(own, 'admin'), 'FORBIDDEN'],
      [asMember(uuid()), 'FORBIDDEN'],
      [asPartner({ organizationId: garage.operatorId! }), 'FORBIDDEN'],
    ] as const) {
      for (const mutation of [CONFIRM, DECLINE]) {
        const response = await gql(identity, mutation, { input });
        expect(response.data).toBeNull();
        expect(response.errors?.[0]?.extensions?.code).toBe(code);
      }
    }
    expect(await upcomingAt(null, garage.spaceId)).not.toContain(event.id);
  });

  it('takes effect once the operator’s admin confirms: listed at the space, shown to all', async () => {
    const admin = staffOf(garage.operatorId!, 'admin');
    const response = await gql<{ confirmEventVenue: Payload }>(admin, CONFIRM, {
      input: { venueId: pendingVenue.id },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!.confirmEventVenue.event!.venues[0]).toEqual({
      ...pendingVenue,
      isConfirmed: true,
    });
    expect(await upcomingAt(null, garage.spaceId)).toContain(event.id);
    expect((await readEvent(null, event.id)).venues.map((venue) => venue.isConfirmed)).toEqual([
      true,
      true,
    ]);
    const pending = await pendingVenues(admin, [garage.operatorId!]);
    expect(pending.data!._entities[0]!.pendingEventVenues!.nodes).toEqual([]);

    // Confirming again changes nothing; declining a confirmed venue is a conflict.
    const again = await gql<{ confirmEventVenue: Payload }>(admin, CONFIRM, {
      input: { venueId: pendingVenue.id },
    });
    expect(again.errors).toBeUndefined();
    expect(again.data!.confirmEventVenue.__typename).toBe('ConfirmEventVenueSuccess');
    const outbox = await service.sql.query('SELECT count(*)::int AS n FROM outbox_event');
    const decline = await gql<{ declineEventVenue: Payload }>(admin, DECLINE, {
      input: { venueId: pendingVenue.id },
    });
    expect(decline.errors).toBeUndefined();
    expect(decline.data!.declineEventVenue).toMatchObject({
      __typename: 'ConflictError',
      code: 'CONFLICT',
      field: 'input.venueId',
    });
    expect(decline.data!.declineEventVenue.message).toMatch(/[ぁ-んァ-ン一-龥]/);
    expect(decline.data!.declineEventVenue.messageEn).toMatch(/confirmed/);
    // The conflict changed nothing: the venue stays, no event was announced.
    expect((await readEvent(null, event.id)).venues).toHaveLength(2);
    expect((await service.sql.query('SELECT count(*)::int AS n FROM outbox_event')).rows).toEqual(
      outbox.rows,
    );
  });
});

describe('declining a venue', () => {
  it('removes it; the event stays published at its other venues', async () => {
    const [own, garage] = [uuid(), await knownSpace()];
    const event = await publish(
      staffOf(own),
      [own],
      [{ spaceId: garage.spaceId }, { placeName: '公民館' }],
    );
    const response = await gql<{ declineEventVenue: Payload }>(
      staffOf(garage.operatorId!, 'admin'),
      DECLINE,
      { input: { venueId: event.venues[0]!.id } },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.declineEventVenue.event).toMatchObject({
      status: 'PUBLISHED',
      venues: [{ placeName: '公民館', isConfirmed: true }],
    });
    expect((await readEvent(staffOf(own), event.id)).venues).toHaveLength(1);
    // Nothing is left to answer.
    const again = await gql<{ confirmEventVenue: Payload }>(asAdmin(), CONFIRM, {
      input: { venueId: event.venues[0]!.id },
    });
    expect(again.data!.confirmEventVenue).toMatchObject({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
      field: 'input.venueId',
    });
  });

  it('cancels an event left without a venue, and announces it', async () => {
    const [own, garage] = [uuid(), await knownSpace()];
    const event = await publish(staffOf(own), [own], [{ spaceId: garage.spaceId }]);
    const response = await gql<{ declineEventVenue: Payload }>(
      staffOf(garage.operatorId!, 'admin'),
      DECLINE,
      { input: { venueId: event.venues[0]!.id } },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.declineEventVenue.event).toEqual({
      id: event.id,
      status: 'CANCELLED',
      venues: [],
    });
    const { rows } = await service.sql.query(
      'SELECT type, payload FROM outbox_event WHERE subject = $1 ORDER BY created_at',
      [event.id],
    );
    expect(rows.map((row) => row.type)).toEqual([
      'events.event.published',
      'events.event.cancelled',
    ]);
    expect(rows[1].payload.data).toEqual({ eventId: event.id, reason: 'venue-declined' });
    expect(await upcomingAt(null, garage.spaceId)).not.toContain(event.id);
  });
});

describe('venues that take effect at once', () => {
  it('when the publisher is staff of the space’s operator (any staff role)', async () => {
    for (const role of ['staff', 'coordinator', 'admin'] as const) {
      const garage = await knownSpace();
      const own = uuid();
      const publisher = asMember(uuid(), {
        staffOf: [
          { organizationId: own, role: 'staff' },
          { organizationId: garage.operatorId!, role },
        ],
      });
      const event = await publish(publisher, [own], [{ spaceId: garage.spaceId }]);
      expect(event.venues.map((venue) => venue.isConfirmed)).toEqual([true]);
      expect(await upcomingAt(null, garage.spaceId)).toContain(event.id);
    }
  });

  it('when the space’s operator organises the event (published by its staff)', async () => {
    const garage = await knownSpace();
    const event = await publish(
      staffOf(garage.operatorId!),
      [garage.operatorId!],
      [{ spaceId: garage.spaceId }],
    );
    expect(await upcomingAt(null, garage.spaceId)).toContain(event.id);
  });

  it('when the space has no operator', async () => {
    const { spaceId } = await knownSpace(null);
    const own = uuid();
    const event = await publish(staffOf(own), [own], [{ spaceId }]);
    expect(event.venues.map((venue) => venue.isConfirmed)).toEqual([true]);
  });

  it('for a hub admin, even at a space events has not heard of', async () => {
    const spaceId = uuid();
    const event = await publish(asAdmin(), [], [{ spaceId }]);
    expect(event.venues.map((venue) => venue.isConfirmed)).toEqual([true]);
    expect(await upcomingAt(null, spaceId)).toContain(event.id);
  });

  it('but not at a space events has not heard of, for anyone else (fail closed)', async () => {
    const [own, spaceId] = [uuid(), uuid()];
    const event = await publish(staffOf(own), [own], [{ spaceId }]);
    expect(event.venues.map((venue) => venue.isConfirmed)).toEqual([false]);
    expect(await upcomingAt(null, spaceId)).not.toContain(event.id);
    // No operator is known to answer: only a hub admin may, until spaces announces one.
    const answer = await gql(staffOf(own, 'admin'), CONFIRM, {
      input: { venueId: event.venues[0]!.id },
    });
    expect(answer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('answering with bad input', () => {
  it('refuses a venue id that is not a UUID at the schema boundary, before anything is read', async () => {
    for (const identity of [asAdmin(), staffOf(uuid(), 'admin')]) {
      for (const mutation of [CONFIRM, DECLINE]) {
        const response = await gql(identity, mutation, { input: { venueId: 'venue-1' } });
        expect(response.data).toBeNull();
        expect(response.errors?.[0]?.extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          field: 'input.venueId',
        });
      }
    }
  });

  it('answers an unknown venue NOT_FOUND for a hub admin, FORBIDDEN for anyone else', async () => {
    const venueId = uuid();
    for (const [mutation, name] of [
      [CONFIRM, 'confirmEventVenue'],
      [DECLINE, 'declineEventVenue'],
    ] as const) {
      const byAdmin = await gql<Record<string, Payload>>(asAdmin(), mutation, {
        input: { venueId },
      });
      expect(byAdmin.errors).toBeUndefined();
      expect(byAdmin.data![name]).toMatchObject({
        __typename: 'NotFoundError',
        code: 'NOT_FOUND',
        field: 'input.venueId',
      });
      expect(byAdmin.data![name]!.message).toMatch(/[ぁ-んァ-ン一-龥]/);
      expect(byAdmin.data![name]!.messageEn).toBe('venue not found');
      const byStaff = await gql(staffOf(uuid(), 'admin'), mutation, { input: { venueId } });
      expect(byStaff.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });
});

describe('Event.venues in lists', () => {
  it('costs no query beyond the list for callers who speak for nobody, one for operator staff', async () => {
    const tag = `venues-${uuid().slice(0, 8)}`;
    const [own, first, second] = [uuid(), await knownSpace(), await knownSpace()];
    for (const garage of [first, second]) {
      const response = await gql(
        staffOf(own),
        'mutation ($input: PublishEventInput!) { publishEvent(input: $input) { __typename } }',
        {
          input: {
            title: '連続勉強会',
            kind: 'SEMINAR',
            startsAt: '2031-07-01T19:00:00+09:00',
            endsAt: '2031-07-01T21:00:00+09:00',
            tags: [tag],
            organizerIds: [own],
            venues: [{ spaceId: garage.spaceId }, { placeName: '公民館' }],
          },
        },
      );
      expect(response.errors).toBeUndefined();
    }
    const statements = async (identity: Identity | null) => {
      let best = Number.POSITIVE_INFINITY;
      let venues: number[] = [];
      // The outbox relay polls on the same pool: the cheapest of a few tries is the request's.
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const before = service.queryCount();
        const response = await gql<{ events: { nodes: { venues: unknown[] }[] } }>(
          identity,
          'query ($tag: String) { events(filter: { tag: $tag }) { nodes { id venues { id isConfirmed } } } }',
          { tag },
        );
        best = Math.min(best, service.queryCount() - before);
        venues = response.data!.events.nodes.map((event) => event.venues.length);
      }
      return { best, venues };
    };
    expect(await statements(null)).toEqual({ best: 1, venues: [1, 1] });
    expect(await statements(staffOf(own))).toEqual({ best: 1, venues: [2, 2] });
    // Staff of one operator: the operators of both pending venues in one more query.
    expect(await statements(staffOf(first.operatorId!))).toEqual({ best: 2, venues: [2, 1] });
  });
});

type Venues = { totalCount: number; nodes: { id: string }[] };

describe('Organization.pendingEventVenues', () => {
  it('answers several organisations with ONE SQL statement', async () => {
    const [own, idle] = [uuid(), uuid()];
    const garage = await knownSpace();
    const event = await publish(staffOf(own), [own], [{ spaceId: garage.spaceId }]);
    const admin = asAdmin();
    let best = Number.POSITIVE_INFINITY;
    let response:
      | Awaited<ReturnType<typeof gql<{ _entities: { pendingEventVenues: Venues }[] }>>>
      | undefined;
    // The outbox relay polls on the same pool: the cheapest of a few tries is the request's.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const before = service.queryCount();
      response = await gql<{ _entities: { pendingEventVenues: Venues }[] }>(
        admin,
        'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { pendingEventVenues { totalCount nodes { id } } } } }',
        { r: [own, garage.operatorId!, idle].map((id) => ({ __typename: 'Organization', id })) },
      );
      best = Math.min(best, service.queryCount() - before);
    }
    expect(best).toBe(1);
    expect(
      response!.data!._entities.map((o) => o.pendingEventVenues.nodes.map((v) => v.id)),
    ).toEqual([[event.venues[0]!.id], [event.venues[0]!.id], []]);
    expect(response!.data!._entities.map((o) => o.pendingEventVenues.totalCount)).toEqual([
      1, 1, 0,
    ]);
  });
});
