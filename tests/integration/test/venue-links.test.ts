import { waitFor } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  bearer,
  createOrganization,
  organisationAdmin,
  refreshed,
  sql,
} from './support/accounts.js';
import { type HubStack, startHub } from './support/hub.js';

// A venue at a space names the space's operator (docs/authorization.md, "Links that name
// another organisation"), end to end: spaces announces who operates a space over NATS, events
// keeps it in its read model, and a venue at the space waits for that operator's say. The
// review's reproduction: a member creates an organisation and lists its event at Garage labs —
// it appeared in Garage labs' upcomingEvents for everyone.
let hub: HubStack;

beforeAll(async () => {
  hub = await startHub({ services: ['members', 'spaces', 'events'] });
}, 60_000);

afterAll(() => hub?.stop());

type Admin = Awaited<ReturnType<typeof organisationAdmin>>;

/** Events has learnt the space's operator (spaces → NATS → events-space-operators). */
const operatorInEvents = (spaceId: string, operatorId: string) =>
  waitFor(
    async () =>
      (
        await sql<{ operator_id: string }>(
          hub,
          'events',
          'SELECT operator_id FROM space_operator WHERE space_id = $1',
          [spaceId],
        )
      )[0]?.operator_id === operatorId,
    { message: `events knows ${operatorId} operates ${spaceId}`, timeoutMs: 15_000 },
  );

async function publishAt(publisher: Admin, spaceId: string, title: string) {
  const response = await hub.query<{
    publishEvent: { event: { id: string; venues: { id: string }[] } };
  }>(
    'mutation ($input: PublishEventInput!) { publishEvent(input: $input) { ... on PublishEventSuccess { event { id venues { id } } } } }',
    {
      input: {
        title,
        kind: 'SEMINAR',
        startsAt: '2031-06-10T19:00:00+09:00',
        endsAt: '2031-06-10T21:00:00+09:00',
        organizerIds: [publisher.organizationId],
        venues: [{ spaceId }],
      },
    },
    publisher.headers,
  );
  expect(response.errors).toBeUndefined();
  return {
    eventId: response.data!.publishEvent.event.id,
    venueId: response.data!.publishEvent.event.venues[0]!.id,
  };
}

const upcomingAt = async (spaceId: string, headers?: Record<string, string>) => {
  const response = await hub.query<{ space: { upcomingEvents: { nodes: { id: string }[] } } }>(
    'query ($id: ID!) { space(id: $id) { upcomingEvents { nodes { id } } } }',
    { id: spaceId },
    headers,
  );
  expect(response.errors).toBeUndefined();
  return response.data!.space.upcomingEvents.nodes.map((event) => event.id);
};

const pendingOf = async (organizationId: string, headers: Record<string, string>) => {
  const response = await hub.query<{
    organization: { pendingEventVenues: { nodes: { id: string; event: { id: string } }[] } };
  }>(
    'query ($id: ID!) { organization(id: $id) { pendingEventVenues { nodes { id event { id } } } } }',
    { id: organizationId },
    headers,
  );
  expect(response.errors).toBeUndefined();
  return response.data!.organization.pendingEventVenues.nodes.map((venue) => venue.id);
};

const CONFIRM =
  'mutation ($input: ConfirmEventVenueInput!) { confirmEventVenue(input: $input) { ... on ConfirmEventVenueSuccess { event { id } } } }';

describe('an event listed at Garage labs without its operator’s say', () => {
  let garage: Admin;
  let own: Admin;
  let spaceId: string;
  let made: { eventId: string; venueId: string };

  beforeAll(async () => {
    await sql(
      hub,
      'spaces',
      "INSERT INTO municipality (code, name, prefecture) VALUES ('011002', '札幌市', '北海道')",
    );
    garage = await organisationAdmin(hub, 'ガレージ 管理', {
      name: '株式会社24-7',
      kind: 'SPACE_OPERATOR',
    });
    const created = await hub.query<{ createSpace: { space: { id: string } } }>(
      'mutation ($input: CreateSpaceInput!) { createSpace(input: $input) { ... on CreateSpaceSuccess { space { id } } } }',
      {
        input: {
          name: 'Garage labs',
          kind: 'COWORKING',
          municipalityCode: '011002',
          operatorId: garage.organizationId,
        },
      },
      garage.headers,
    );
    expect(created.errors).toBeUndefined();
    spaceId = created.data!.createSpace.space.id;
    await operatorInEvents(spaceId, garage.organizationId);

    own = await organisationAdmin(hub, '自作 組織', { name: '自作の会社', kind: 'CLIENT_COMPANY' });
    made = await publishAt(own, spaceId, 'Garage labs で勉強会');
  }, 60_000);

  it('is not in Garage labs’ upcomingEvents, and its venue is not shown, for anonymous callers', async () => {
    expect(await upcomingAt(spaceId)).not.toContain(made.eventId);
    const event = await hub.query<{ event: { venues: { space: { name: string } | null }[] } }>(
      'query ($id: ID!) { event(id: $id) { venues { space { name } } } }',
      { id: made.eventId },
    );
    expect(event.data!.event.venues).toEqual([]);
  });

  it('awaits Garage labs’ admin, who alone (with hub admins) may let it take effect', async () => {
    expect(await pendingOf(garage.organizationId, garage.headers)).toEqual([made.venueId]);
    expect(await pendingOf(own.organizationId, own.headers)).toEqual([made.venueId]);
    const byOwn = await hub.query(CONFIRM, { input: { venueId: made.venueId } }, own.headers);
    expect(byOwn.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const confirmed = await hub.query(
      CONFIRM,
      { input: { venueId: made.venueId } },
      garage.headers,
    );
    expect(confirmed.errors).toBeUndefined();
    expect(await upcomingAt(spaceId)).toContain(made.eventId);
    expect(await pendingOf(garage.organizationId, garage.headers)).toEqual([]);
  });

  it('follows the space to a new operator (spaces.space.updated): its admin answers from then on', async () => {
    const waiting = await publishAt(own, spaceId, 'Garage labs で交流会');
    // Garage labs' admin founds a new operating company and hands the space to it.
    const successor = await createOrganization(hub, garage.member, {
      name: '株式会社ガレージ運営',
      kind: 'SPACE_OPERATOR',
    });
    const headers = await refreshed(hub, garage.member);
    const moved = await hub.query<{ updateSpace: { __typename: string } }>(
      'mutation ($input: UpdateSpaceInput!) { updateSpace(input: $input) { __typename } }',
      { input: { id: spaceId, operatorId: successor } },
      headers,
    );
    expect(moved.errors).toBeUndefined();
    expect(moved.data!.updateSpace.__typename).toBe('UpdateSpaceSuccess');
    await operatorInEvents(spaceId, successor);

    expect(await pendingOf(successor, headers)).toEqual([waiting.venueId]);
    expect(await pendingOf(garage.organizationId, headers)).toEqual([]);
    // Venues confirmed under the former operator stay in effect.
    expect(await upcomingAt(spaceId)).toEqual([made.eventId]);

    const confirmed = await hub.query(
      CONFIRM,
      { input: { venueId: waiting.venueId } },
      bearer(garage.member.accessToken),
    );
    expect(confirmed.errors).toBeUndefined();
    expect((await upcomingAt(spaceId)).sort()).toEqual([made.eventId, waiting.eventId].sort());
  });
});
