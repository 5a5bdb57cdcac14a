import { CombinedGraphQLErrors, gql, ServerError } from '@apollo/client';
import { type RunningGateway, startGateway } from '@hub/gateway';
import { TEST_GATEWAY_SECRET } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createApolloClient, rejectionOf, warningsDuring } from './support/apollo.js';
import { type HubStack, loadDemoData, logger, SERVICE_NAMES, startHub } from './support/hub.js';

// Apollo Client 4 in Node, through a real HttpLink, against the real gateway and all five
// subgraphs with the demo data: what a front end sees. Add cases here as the contract grows
// (normalising every entity type of the demo query without warnings; typed mutation errors):
// `createApolloClient` is the client a front end would build, `warningsDuring` collects what
// Apollo Client warns about, `rejectionOf` what an operation failed with.

let hub: HubStack;
// A second gateway over the same subgraphs, allowing one anonymous request a minute: the 429.
let strict: RunningGateway;

beforeAll(async () => {
  hub = await startHub();
  await loadDemoData(hub);
  strict = await startGateway({
    port: 0,
    gatewaySecret: TEST_GATEWAY_SECRET,
    subgraphUrls: Object.fromEntries(
      SERVICE_NAMES.map((name) => [name, hub.services[name]!.url]),
    ) as Parameters<typeof startGateway>[0]['subgraphUrls'],
    rateLimits: { anonymousPerMinute: 1 },
    logger,
  });
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
});
