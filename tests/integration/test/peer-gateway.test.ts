import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createGatewayRuntime, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import httpTransport from '@graphql-mesh/transport-http';
import { IDENTITY_HEADER, type Identity, signForwardedIdentity } from '@hub/identity';
import { asAdmin, asMember, TEST_GATEWAY_SECRET } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type HubStack, loadDemoData, startHub } from './support/hub.js';

// The schema contract (payload unions, the Error interface, ErrorCode, shareable error types,
// connections) uses plain Federation 2 value types only, so a peer gateway plans it as Apollo
// Gateway does: Hive Gateway's runtime, in-process, over the committed supergraph, answers the
// same queries and mutations with the same data.

const require = createRequire(import.meta.url);
const SUPERGRAPH = join(dirname(dirname(require.resolve('@hub/gateway'))), 'supergraph.graphql');

let hub: HubStack;
let hive: GatewayRuntime;

/** The committed supergraph, its routing URLs pointed at this test's subgraphs. */
function localSupergraph(urls: Record<string, string>): string {
  return readFileSync(SUPERGRAPH, 'utf8').replace(
    /@join__graph\(name: "([^"]+)", url: "[^"]*"\)/g,
    // Subgraphs not started here are never planned into by these operations.
    (_match, name: string) =>
      `@join__graph(name: "${name}", url: "${urls[name] ?? 'http://127.0.0.1:9/graphql'}")`,
  );
}

beforeAll(async () => {
  hub = await startHub({
    services: ['spaces', 'support-programs', 'members', 'events'],
    bus: 'in-process',
  });
  await loadDemoData(hub);
  hive = createGatewayRuntime({
    supergraph: localSupergraph({
      spaces: hub.services.spaces!.url,
      'support-programs': hub.services['support-programs']!.url,
      members: hub.services.members!.url,
      events: hub.services.events!.url,
    }),
    logging: false,
    // The hub’s subgraphs speak plain GraphQL over HTTP.
    transports: { http: httpTransport },
    // What the hub's gateway adds to every subgraph call: its credential and the signed caller.
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({
        'x-hub-gateway-credential': TEST_GATEWAY_SECRET,
        [IDENTITY_HEADER]: request.headers.get(IDENTITY_HEADER),
      }),
    },
  });
}, 60_000);

afterAll(async () => {
  await hive?.dispose();
  await hub?.stop();
});

type Result = { data?: Record<string, unknown> | null; errors?: { extensions?: unknown }[] };

async function viaHive(
  query: string,
  variables: Record<string, unknown> = {},
  identity: Identity | null = null,
): Promise<Result> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (identity) {
    headers[IDENTITY_HEADER] = signForwardedIdentity(
      { identity, clientAddress: '127.0.0.1' },
      TEST_GATEWAY_SECRET,
    );
  }
  const response = await hive.fetch('http://hive.test/graphql', {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as Result;
}

const admin = asAdmin();

describe('Hive Gateway over the same supergraph', () => {
  it('pages a connection with totalCount, nodes and nested connections as Apollo Gateway does', async () => {
    const query = `{
      spaces(first: 3, filter: { prefecture: "北海道" }) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { id name municipality { id code name spaces(first: 1) { totalCount } } }
      }
      programs(first: 2) { totalCount edges { cursor node { id title } } }
    }`;
    const [hiveAnswer, apolloAnswer] = [await viaHive(query), await hub.query(query)];
    expect(hiveAnswer.errors).toBeUndefined();
    expect(apolloAnswer.errors).toBeUndefined();
    expect(hiveAnswer.data).toEqual(apolloAnswer.data);
    expect(hiveAnswer.data).toMatchObject({
      spaces: { totalCount: expect.any(Number), nodes: expect.any(Array) },
    });
  });

  it('joins members, events and spaces in one connection across subgraphs as Apollo Gateway does', async () => {
    const query = `{
      organizations(first: 5) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes {
          id name
          events(first: 2) { totalCount nodes { id title } }
          spaces(first: 2) { totalCount nodes { id name } }
          programs(first: 2) { totalCount nodes { id title } }
        }
      }
      events(first: 3) { totalCount nodes { id title organizers { id name } } }
      partners(first: 5) { totalCount nodes { id name isPartner } }
    }`;
    const [hiveAnswer, apolloAnswer] = [await viaHive(query), await hub.query(query)];
    expect(hiveAnswer.errors).toBeUndefined();
    expect(apolloAnswer.errors).toBeUndefined();
    expect(hiveAnswer.data).toEqual(apolloAnswer.data);
    const data = hiveAnswer.data as {
      organizations: { totalCount: number; nodes: { events: { totalCount: number } }[] };
      events: { totalCount: number };
    };
    expect(data.organizations.totalCount).toBeGreaterThan(0);
    expect(data.events.totalCount).toBeGreaterThan(0);
  });

  it('answers members’ typed errors and its per-field refusals as Apollo Gateway does', async () => {
    const signIn = `mutation { signIn(input: { email: "nobody@example.test", password: "wrong-password-1" }) {
      __typename ... on Error { code message messageEn field } } }`;
    const [hiveSignIn, apolloSignIn] = [await viaHive(signIn), await hub.query(signIn)];
    expect(hiveSignIn.errors).toBeUndefined();
    expect(hiveSignIn.data).toEqual(apolloSignIn.data);
    expect(hiveSignIn.data).toMatchObject({
      signIn: { __typename: 'CredentialError', code: 'INVALID_CREDENTIALS' },
    });

    // A personal field of someone else: null at its path with FORBIDDEN, the rest answered.
    const member = `{ members(first: 1) { totalCount nodes { id displayName email } } }`;
    const stranger = asMember(randomUUID());
    const hiveMember = await viaHive(member, {}, stranger);
    expect(hiveMember.data).toMatchObject({
      members: { totalCount: expect.any(Number), nodes: [{ email: null }] },
    });
    expect(hiveMember.errors?.[0]).toMatchObject({
      path: ['members', 'nodes', 0, 'email'],
      extensions: { code: 'FORBIDDEN' },
    });
  });

  it('returns typed mutation errors through the payload union and the Error interface', async () => {
    const createSpace = await viaHive(
      `mutation($input: CreateSpaceInput!) {
        createSpace(input: $input) {
          __typename
          ... on Error { code message messageEn field }
          ... on NotFoundError { code }
          ... on CreateSpaceSuccess { space { id } }
        }
      }`,
      { input: { name: 'ハイブの拠点', kind: 'COWORKING', municipalityCode: '013005' } },
      admin,
    );
    expect(createSpace.errors).toBeUndefined();
    expect(createSpace.data).toEqual({
      createSpace: {
        __typename: 'NotFoundError',
        code: 'UNKNOWN_MUNICIPALITY',
        message: '市町村コード「013005」は登録されていません',
        messageEn: 'unknown municipality',
        field: 'input.municipalityCode',
      },
    });

    const publishProgram = await viaHive(
      `mutation($input: PublishProgramInput!) {
        publishProgram(input: $input) { __typename ... on InvalidInputError { code field } }
      }`,
      {
        input: {
          title: 'ハイブの支援',
          kind: 'LOAN',
          providerId: '0194f3a0-0000-7000-8000-0000000000ac',
          capacity: 0,
        },
      },
      admin,
    );
    expect(publishProgram.data).toEqual({
      publishProgram: {
        __typename: 'InvalidInputError',
        code: 'BAD_USER_INPUT',
        field: 'input.capacity',
      },
    });
  });

  it('returns the success member carrying the entity', async () => {
    const created = await viaHive(
      `mutation($input: CreateSpaceInput!) {
        createSpace(input: $input) { __typename ... on CreateSpaceSuccess { space { name municipality { id } } } }
      }`,
      { input: { name: 'ハイブで登録した拠点', kind: 'COWORKING', municipalityCode: '011002' } },
      admin,
    );
    expect(created.data).toEqual({
      createSpace: {
        __typename: 'CreateSpaceSuccess',
        space: { name: 'ハイブで登録した拠点', municipality: { id: '011002' } },
      },
    });
  });

  it('keeps authorization in errors[] with its code', async () => {
    const refused = await viaHive(
      `mutation { createSpace(input: { name: "匿名", kind: COWORKING, municipalityCode: "011002" }) { __typename } }`,
    );
    expect(refused.data ?? null).toBeNull();
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
