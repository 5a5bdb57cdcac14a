import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  bearer,
  organisationAdmin as createOrganisationAdmin,
  signUp,
} from './support/accounts.js';
import { type HubStack, startHub } from './support/hub.js';

// Links that name another organisation, end to end (docs/authorization.md): the review's three
// reproductions through the real gateway, with real tokens — a member creates an organisation,
// gets staff rights with the next token, and names 札幌市 as co-organiser, client and
// consortium member. None of it shows under 札幌市 until 札幌市's admin confirms.
let hub: HubStack;

beforeAll(async () => {
  hub = await startHub({ services: ['members', 'events', 'matching'] });
}, 60_000);

afterAll(() => hub?.stop());

const organisationAdmin = (displayName: string, organization: Record<string, unknown>) =>
  createOrganisationAdmin(hub, displayName, organization);

type TUnderSapporo = {
  organization: {
    events: { nodes: { id: string }[] } | null;
    workOrders: { nodes: { id: string }[] } | null;
    consortia: { id: string }[];
  };
};
const UNDER = `query ($id: ID!) { organization(id: $id) {
  events { nodes { id } } workOrders { nodes { id } } consortia { id }
} }`;
const PENDING = `query ($id: ID!) { organization(id: $id) {
  pendingEvents { nodes { id } } pendingWorkOrders { nodes { id } } pendingConsortiumMemberships { consortium { id } }
} }`;

describe('naming 札幌市 without its say', () => {
  let sapporo: Awaited<ReturnType<typeof organisationAdmin>>;
  let own: Awaited<ReturnType<typeof organisationAdmin>>;
  const made = { eventId: '', workOrderId: '', consortiumId: '' };

  beforeAll(async () => {
    sapporo = await organisationAdmin('札幌 管理', { name: '札幌市', kind: 'MUNICIPALITY' });
    own = await organisationAdmin('自作 組織', { name: '自作の会社', kind: 'CLIENT_COMPANY' });

    const event = await hub.query<{ publishEvent: { event: { id: string } } }>(
      'mutation ($input: PublishEventInput!) { publishEvent(input: $input) { ... on PublishEventSuccess { event { id } } } }',
      {
        input: {
          title: '札幌市共催セミナー',
          kind: 'SEMINAR',
          startsAt: '2031-06-10T13:00:00+09:00',
          endsAt: '2031-06-10T15:00:00+09:00',
          organizerIds: [own.organizationId, sapporo.organizationId],
          venues: [{ placeName: '市民会館' }],
        },
      },
      own.headers,
    );
    expect(event.errors).toBeUndefined();
    made.eventId = event.data!.publishEvent.event.id;

    const order = await hub.query<{ postWorkOrder: { workOrder: { id: string } } }>(
      `mutation ($input: PostWorkOrderInput!) {
        postWorkOrder(input: $input) { ... on PostWorkOrderSuccess { workOrder { id } } } }`,
      {
        input: {
          title: '札幌市からのデータ入力',
          category: 'DATA_ENTRY',
          clientId: sapporo.organizationId,
          receivingCentreId: own.organizationId,
          volume: 100,
          volumeUnit: 'UNITS',
          payModel: 'PER_UNIT',
          rate: 40,
        },
      },
      own.headers,
    );
    expect(order.errors).toBeUndefined();
    made.workOrderId = order.data!.postWorkOrder.workOrder.id;

    const consortium = await hub.query<{ createOrganization: { organization: { id: string } } }>(
      'mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { ... on CreateOrganizationSuccess { organization { id } } ... on Error { __typename code message messageEn field } } }',
      {
        input: {
          name: '自作コンソーシアム',
          kind: 'CONSORTIUM',
          memberOrganizationIds: [sapporo.organizationId],
        },
      },
      own.headers,
    );
    expect(consortium.errors).toBeUndefined();
    made.consortiumId = consortium.data!.createOrganization.organization.id;
  }, 60_000);

  it('shows none of the three under 札幌市 to anonymous callers', async () => {
    const response = await hub.query<TUnderSapporo>(UNDER, { id: sapporo.organizationId });
    expect(response.errors).toBeUndefined();
    expect(response.data!.organization).toEqual({
      events: { nodes: [] },
      workOrders: { nodes: [] },
      consortia: [],
    });
    const event = await hub.query<{ event: { organizers: { id: string; name: string }[] } }>(
      'query ($id: ID!) { event(id: $id) { organizers { id name } } }',
      { id: made.eventId },
    );
    expect(event.data!.event.organizers).toEqual([{ id: own.organizationId, name: '自作の会社' }]);
  });

  it('lists all three for 札幌市’s admin, and for nobody outside the two sides', async () => {
    const forSapporo = await hub.query<{
      organization: {
        pendingEvents: { nodes: { id: string }[] };
        pendingWorkOrders: { nodes: { id: string }[] };
        pendingConsortiumMemberships: { consortium: { id: string } }[];
      };
    }>(PENDING, { id: sapporo.organizationId }, sapporo.headers);
    expect(forSapporo.errors).toBeUndefined();
    expect(forSapporo.data!.organization).toEqual({
      pendingEvents: { nodes: [{ id: made.eventId }] },
      pendingWorkOrders: { nodes: [{ id: made.workOrderId }] },
      pendingConsortiumMemberships: [{ consortium: { id: made.consortiumId } }],
    });
    const anonymous = await hub.query(PENDING, { id: sapporo.organizationId });
    expect(anonymous.errors?.map((error) => error.extensions?.code)).toEqual([
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
    ]);
    const stranger = await signUp(hub, '無関係 三郎');
    const refused = await hub.query(
      PENDING,
      { id: sapporo.organizationId },
      bearer(stranger.accessToken),
    );
    expect(refused.errors?.map((error) => error.extensions?.code)).toEqual([
      'FORBIDDEN',
      'FORBIDDEN',
      'FORBIDDEN',
    ]);
  });

  it('shows all three under 札幌市 once its admin confirms them', async () => {
    const confirmations = [
      [
        'mutation ($input: ConfirmEventOrganizerInput!) { confirmEventOrganizer(input: $input) { ... on ConfirmEventOrganizerSuccess { event { id } } } }',
        { eventId: made.eventId, organizationId: sapporo.organizationId },
      ],
      [
        'mutation ($input: ConfirmWorkOrderClientInput!) { confirmWorkOrderClient(input: $input) { ... on ConfirmWorkOrderClientSuccess { workOrder { id } } } }',
        { workOrderId: made.workOrderId },
      ],
      [
        'mutation ($input: ConfirmConsortiumMembershipInput!) { confirmConsortiumMembership(input: $input) { ... on ConfirmConsortiumMembershipSuccess { membership { isConfirmed } } } }',
        { consortiumId: made.consortiumId, memberOrganizationId: sapporo.organizationId },
      ],
    ] as const;
    for (const [mutation, input] of confirmations) {
      // The organisation that made the link cannot confirm it for 札幌市.
      const byOwn = await hub.query(mutation, { input }, own.headers);
      expect(byOwn.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const response = await hub.query(mutation, { input }, sapporo.headers);
      expect(response.errors).toBeUndefined();
    }
    const response = await hub.query<TUnderSapporo>(UNDER, { id: sapporo.organizationId });
    expect(response.data!.organization).toEqual({
      events: { nodes: [{ id: made.eventId }] },
      workOrders: { nodes: [{ id: made.workOrderId }] },
      consortia: [{ id: made.consortiumId }],
    });
  });
});
