import { CombinedGraphQLErrors, gql, ServerError } from '@apollo/client';
import { DEMO_QUERY, type RunningGateway } from '@hub/gateway';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, signUpHubAdmin } from './support/accounts.js';
import { createApolloClient, rejectionOf, warningsDuring } from './support/apollo.js';
import { type HubStack, loadDemoData, startGatewayOverHub, startHub } from './support/hub.js';

// Apollo Client 4 in Node, through a real HttpLink, against the real gateway and all five
// subgraphs with the demo data: what a front end sees. `createApolloClient` is the client a
// front end would build (with the generated `possibleTypes`, as the README says),
// `warningsDuring` collects what Apollo Client warns about, `rejectionOf` what an operation
// failed with.

let hub: HubStack;
// A second gateway over the same subgraphs, allowing one anonymous request a minute: the 429.
let strict: RunningGateway;

beforeAll(async () => {
  hub = await startHub();
  await loadDemoData(hub);
  strict = await startGatewayOverHub(hub, { rateLimits: { anonymousPerMinute: 1 } });
}, 90_000);

afterAll(async () => {
  await strict?.stop();
  await hub?.stop();
});

// A demo space (services/spaces/seed/demo.json), read by id: single objects keep their shape
// while lists become connections.
const GARAGE_LABS = '88f48ced-40d1-575f-8852-230bc83a20fd';
const SPACE = gql`
  query Space($id: ID!) {
    space(id: $id) {
      id
      name
      kind
    }
  }
`;
const variables = { id: GARAGE_LABS };

describe('Apollo Client 4 against the gateway', () => {
  it('runs a query and normalises its result without a warning', async () => {
    const client = createApolloClient({ uri: hub.gatewayUrl! });
    let space: { id: string; name: string } | null | undefined;
    const warnings = await warningsDuring(async () => {
      const result = await client.query<{ space: { id: string; name: string } | null }>({
        query: SPACE,
        variables,
      });
      expect(result.error).toBeUndefined();
      space = result.data?.space;
    });

    expect(warnings).toEqual([]);
    expect(space).toEqual({
      __typename: 'Space',
      id: GARAGE_LABS,
      name: 'Garage labs',
      kind: 'COWORKING',
    });
    // Normalised: the space is one cache entry under its id.
    const cached = client.cache.extract() as Record<string, Record<string, unknown>>;
    expect(cached[`Space:${GARAGE_LABS}`]).toMatchObject({
      __typename: 'Space',
      name: 'Garage labs',
    });
  });

  it("sees the gateway's 401 code, not a bare ServerError", async () => {
    const client = createApolloClient({
      uri: hub.gatewayUrl!,
      headers: { authorization: 'Bearer not-a-token' },
    });

    const error = await rejectionOf(client.query({ query: SPACE, variables }));

    expect(ServerError.is(error)).toBe(false);
    expect(CombinedGraphQLErrors.is(error)).toBe(true);
    const { errors } = error as CombinedGraphQLErrors;
    expect(errors.map((each) => each.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(errors[0]?.message).toBe('アクセストークンが無効です (invalid access token)');
  });

  it("sees the gateway's 429 code and when to retry", async () => {
    const client = createApolloClient({ uri: strict.url });
    // `no-cache`: the second query must reach the gateway, not the client's cache.
    const first = await client.query({ query: SPACE, variables, fetchPolicy: 'no-cache' });
    expect(first.error).toBeUndefined();

    const error = await rejectionOf(
      client.query({ query: SPACE, variables, fetchPolicy: 'no-cache' }),
    );

    expect(CombinedGraphQLErrors.is(error)).toBe(true);
    const [refusal] = (error as CombinedGraphQLErrors).errors;
    expect(refusal?.extensions).toEqual({
      code: 'RATE_LIMITED',
      retryAfterSeconds: expect.any(Number),
    });
  });

  it('normalises every entity type of the demo query (README, GraphiQL) without warnings', async () => {
    const client = createApolloClient({ uri: hub.gatewayUrl! });
    let data: unknown;
    const warnings = await warningsDuring(async () => {
      const result = await client.query({ query: gql(DEMO_QUERY) });
      expect(result.error).toBeUndefined();
      data = result.data;
    });

    expect(warnings).toEqual([]);
    // Every object with an id in the answer is an entity: one cache entry under its id …
    const entities = objectsOf(data).filter((object) => typeof object.id === 'string');
    const typenames = [...new Set(entities.map((object) => String(object.__typename)))].sort();
    expect(typenames).toEqual(['Event', 'Municipality', 'Organization', 'Space']);
    const cached = client.cache.extract() as Record<string, Record<string, unknown>>;
    for (const entity of entities) {
      expect(cached[`${entity.__typename}:${entity.id}`]).toMatchObject({
        __typename: entity.__typename,
      });
    }
    // … and nowhere stored inline (connections and page info are values, not entities).
    const inline = Object.values(cached)
      .flatMap((entry) => Object.values(entry).flatMap(objectsOf))
      .filter((object) => typenames.includes(String(object.__typename)));
    expect(inline).toEqual([]);
  });

  describe('typed mutation errors', () => {
    const PUBLISH = gql`
      mutation Publish($input: PublishEventInput!) {
        publishEvent(input: $input) {
          __typename
          ... on PublishEventSuccess {
            event {
              id
              title
            }
          }
          ... on Error {
            code
            message
            messageEn
            field
          }
        }
      }
    `;
    const input = {
      title: 'Apollo Client の勉強会',
      kind: 'SEMINAR',
      startsAt: '2031-09-01T19:00:00+09:00',
      endsAt: '2031-09-01T21:00:00+09:00',
      venues: [{ placeName: '市民会館' }],
    };
    let headers: Record<string, string>;

    beforeAll(async () => {
      headers = bearer((await signUpHubAdmin(hub)).accessToken);
    });

    it('sees a typed error in the payload, matched through the generated possibleTypes', async () => {
      const client = createApolloClient({ uri: hub.gatewayUrl!, headers });
      let payload: unknown;
      const warnings = await warningsDuring(async () => {
        const result = await client.mutate({
          mutation: PUBLISH,
          variables: { input: { ...input, endsAt: '2031-09-01T18:00:00+09:00' } },
        });
        expect(result.error).toBeUndefined();
        payload = (result.data as { publishEvent: unknown }).publishEvent;
      });

      expect(warnings).toEqual([]);
      expect(payload).toEqual({
        __typename: 'InvalidInputError',
        code: 'BAD_USER_INPUT',
        message: expect.stringMatching(/終了は開始より後/),
        messageEn: expect.stringMatching(/endsAt must be after startsAt/),
        field: 'input.endsAt',
      });
    });

    it('loses them silently without possibleTypes: why the generated snippet ships', async () => {
      const client = createApolloClient({ uri: hub.gatewayUrl!, headers, possibleTypes: {} });
      let payload: unknown;
      const warnings = await warningsDuring(async () => {
        const result = await client.mutate({
          mutation: PUBLISH,
          variables: { input: { ...input, endsAt: '2031-09-01T18:00:00+09:00' } },
        });
        payload = (result.data as { publishEvent: unknown }).publishEvent;
      });

      // Apollo Client cannot tell that InvalidInputError implements Error, so the fields of
      // `... on Error` are dropped — no error, no warning.
      expect(warnings).toEqual([]);
      expect(payload).toEqual({ __typename: 'InvalidInputError' });
    });

    it('gets the success member with its event, normalised', async () => {
      const client = createApolloClient({ uri: hub.gatewayUrl!, headers });
      const result = await client.mutate({ mutation: PUBLISH, variables: { input } });

      expect(result.error).toBeUndefined();
      const payload = (result.data as { publishEvent: { event: { id: string } } }).publishEvent;
      expect(payload).toEqual({
        __typename: 'PublishEventSuccess',
        event: { __typename: 'Event', id: expect.any(String), title: input.title },
      });
      const cached = client.cache.extract() as Record<string, Record<string, unknown>>;
      expect(cached[`Event:${payload.event.id}`]).toMatchObject({ title: input.title });
    });

    it('keeps authorization in errors[] with its code', async () => {
      const client = createApolloClient({ uri: hub.gatewayUrl! });

      const error = await rejectionOf(client.mutate({ mutation: PUBLISH, variables: { input } }));

      expect(CombinedGraphQLErrors.is(error)).toBe(true);
      const { errors } = error as CombinedGraphQLErrors;
      expect(errors.map((each) => each.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    });
  });
});

/** Every object in a JSON value, the value itself included. */
function objectsOf(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.flatMap(objectsOf);
  if (value === null || typeof value !== 'object') return [];
  return [value as Record<string, unknown>, ...Object.values(value).flatMap(objectsOf)];
}
