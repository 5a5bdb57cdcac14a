import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApolloClient,
  CombinedGraphQLErrors,
  type DocumentNode,
  gql,
  HttpLink,
  InMemoryCache,
} from '@apollo/client';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries';
import type { RunningGateway } from '@hub/gateway';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { print } from 'graphql';
import { possibleTypes, rejectionOf } from './support/apollo.js';
import { type HubStack, loadDemoData, startGatewayOverHub, startHub } from './support/hub.js';

// Apollo Client 4's persisted-query link (APQ, sha256 through WebCrypto) against the real
// gateway and all five subgraphs with the demo data; then against a gateway in strict
// trusted-documents mode, fed a manifest as GraphQL Code Generator's client preset writes it.
// Every HTTP request the client makes is recorded, so the tests see what went over the wire.

const GARAGE_LABS = '88f48ced-40d1-575f-8852-230bc83a20fd';
const SPACE = gql`
  query PersistedSpace($id: ID!) {
    space(id: $id) {
      id
      name
    }
  }
`;
const variables = { id: GARAGE_LABS };
const GARAGE = { __typename: 'Space', id: GARAGE_LABS, name: 'Garage labs' };

type Sent = { method: string; hasQuery: boolean; hash: string | null; status: number };

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Buffer.from(digest).toString('hex');
}

/** What a request carried: its method, whether it had the document text, its APQ hash. */
function describeRequest(url: string, init: RequestInit | undefined): Omit<Sent, 'status'> {
  const method = init?.method ?? 'GET';
  if (method === 'GET') {
    const search = new URL(url).searchParams;
    const extensions = JSON.parse(search.get('extensions') ?? '{}');
    return {
      method,
      hasQuery: search.has('query'),
      hash: extensions.persistedQuery?.sha256Hash ?? null,
    };
  }
  const body = JSON.parse(String(init?.body));
  return {
    method,
    hasQuery: typeof body.query === 'string',
    hash: body.extensions?.persistedQuery?.sha256Hash ?? null,
  };
}

/**
 * A front end's client with the persisted-query link in front of its HttpLink. `generateHash`
 * replaces the sha256 of the printed document (codegen's client preset puts the manifest id in
 * the document as `__meta__.hash`).
 */
function persistedClient(options: {
  uri: string;
  useGETForHashedQueries?: boolean;
  generateHash?: (document: DocumentNode) => string;
}) {
  const sent: Sent[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    sent.push({ ...describeRequest(String(input), init), status: response.status });
    return response;
  };
  const persisted = createPersistedQueryLink(
    options.generateHash
      ? {
          generateHash: options.generateHash,
          useGETForHashedQueries: options.useGETForHashedQueries,
        }
      : { sha256, useGETForHashedQueries: options.useGETForHashedQueries },
  );
  const client = new ApolloClient({
    link: persisted.concat(
      new HttpLink({
        uri: options.uri,
        fetch: recordingFetch,
        // CSRF prevention refuses a GET without a header no simple request carries.
        headers: { 'apollo-require-preflight': 'true' },
      }),
    ),
    cache: new InMemoryCache({ possibleTypes }),
  });
  return { client, sent };
}

let hub: HubStack;
let strict: RunningGateway;
let manifestDirectory: string;
let trustedSpace: DocumentNode;

beforeAll(async () => {
  hub = await startHub();
  await loadDemoData(hub);
  manifestDirectory = await mkdtemp(join(tmpdir(), 'hub-persisted-'));
  trustedSpace = await installManifest(manifestDirectory);
  strict = await startGatewayOverHub(hub, {
    trustedDocuments: { mode: 'strict', path: join(manifestDirectory, 'web.json') },
  });
}, 90_000);

afterAll(async () => {
  await strict?.stop();
  await hub?.stop();
  if (manifestDirectory) await rm(manifestDirectory, { recursive: true, force: true });
});

describe('automatic persisted queries (APQ) with Apollo Client', () => {
  it('registers on first use, then the hash alone runs the query', async () => {
    const first = persistedClient({ uri: hub.gatewayUrl! });
    const later = persistedClient({ uri: hub.gatewayUrl! });

    const registered = await first.client.query({ query: SPACE, variables });
    const byHash = await later.client.query({ query: SPACE, variables });

    expect(registered.data).toEqual({ space: GARAGE });
    expect(byHash.data).toEqual({ space: GARAGE });
    const hash = first.sent[0]?.hash;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    // Hash alone: not found; then the text with the hash, which registers it.
    expect(first.sent).toEqual([
      { method: 'POST', hasQuery: false, hash, status: 200 },
      { method: 'POST', hasQuery: true, hash, status: 200 },
    ]);
    // Another client later: the hash alone, one request.
    expect(later.sent).toEqual([{ method: 'POST', hasQuery: false, hash, status: 200 }]);
  });

  it('runs by GET with the hash alone once registered (a URL a CDN can cache)', async () => {
    const query = gql`
      query PersistedSpaceByGet($id: ID!) {
        space(id: $id) {
          id
          name
        }
      }
    `;
    const first = persistedClient({ uri: hub.gatewayUrl!, useGETForHashedQueries: true });
    const later = persistedClient({ uri: hub.gatewayUrl!, useGETForHashedQueries: true });

    await first.client.query({ query, variables });
    const result = await later.client.query({ query, variables });

    expect(result.data).toEqual({ space: GARAGE });
    const hash = first.sent[0]?.hash;
    // The text travels once, by POST (it may be long); the hash by GET.
    expect(first.sent.map(({ method, hasQuery }) => ({ method, hasQuery }))).toEqual([
      { method: 'GET', hasQuery: false },
      { method: 'POST', hasQuery: true },
    ]);
    expect(later.sent).toEqual([{ method: 'GET', hasQuery: false, hash, status: 200 }]);
  });
});

describe('strict trusted documents with Apollo Client', () => {
  it('runs a manifest operation by its id alone, by GET, in one request', async () => {
    const { client, sent } = persistedClient({
      uri: strict.url,
      useGETForHashedQueries: true,
      generateHash: (document) => (document as { __meta__?: { hash: string } }).__meta__!.hash,
    });

    const result = await client.query({ query: trustedSpace, variables });

    expect(result.data).toEqual({ space: GARAGE });
    expect(sent).toEqual([
      { method: 'GET', hasQuery: false, hash: expect.stringMatching(/^sha256:/), status: 200 },
    ]);
  });

  it('refuses an operation outside the manifest with OPERATION_NOT_TRUSTED', async () => {
    const client = new ApolloClient({
      link: new HttpLink({ uri: strict.url }),
      cache: new InMemoryCache({ possibleTypes }),
    });

    const error = await rejectionOf(client.query({ query: SPACE, variables }));

    expect(CombinedGraphQLErrors.is(error)).toBe(true);
    expect((error as CombinedGraphQLErrors).errors.map((each) => each.extensions?.code)).toEqual([
      'OPERATION_NOT_TRUSTED',
    ]);
  });

  it('refuses an unknown hash without the link retrying the text', async () => {
    const { client, sent } = persistedClient({ uri: strict.url });

    const error = await rejectionOf(client.query({ query: SPACE, variables }));

    expect((error as CombinedGraphQLErrors).errors.map((each) => each.extensions?.code)).toEqual([
      'PERSISTED_QUERY_NOT_ALLOWED',
    ]);
    expect(sent).toEqual([
      { method: 'POST', hasQuery: false, hash: expect.any(String), status: 403 },
    ]);
  });
});

/**
 * Writes a manifest the way GraphQL Code Generator's client preset does (`sha256:<hex of the
 * text>` → text) and returns the document as the preset generates it for the client: the
 * operation with its id in `__meta__.hash` (persistedDocuments' default embedHashInDocument).
 */
async function installManifest(directory: string): Promise<DocumentNode> {
  // What Apollo Client sends: its cache adds __typename to every selection set.
  const text = print(
    gql`
      query TrustedSpace($id: ID!) {
        space(id: $id) {
          id
          name
          __typename
        }
      }
    `,
  );
  const id = `sha256:${await sha256(text)}`;
  await writeFile(join(directory, 'web.json'), JSON.stringify({ [id]: text }));
  return Object.assign(gql(text), { __meta__: { hash: id } });
}
