import { randomUUID } from 'node:crypto';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { type MemberIdentity, type PartnerIdentity, signForwardedIdentity } from '@hub/identity';
import { describe, expect, test } from '@jest/globals';
import { Headers } from 'undici';
import { createInflightFetcher } from './inflight-fetcher.js';

type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherResponse = Awaited<ReturnType<Fetcher>>;

const SECRET = 'unit-test-gateway-secret-0123456789';
const URL_SPACES = 'http://127.0.0.1:4001/graphql';
const BODY = JSON.stringify({ query: '{ spaces { id } }', variables: {} });

const member = (): MemberIdentity => ({
  kind: 'member',
  memberId: randomUUID(),
  sessionId: randomUUID(),
  roles: [],
  staffOf: [],
});

/** A subgraph stand-in that answers only when told to, and counts its calls. */
function stubSubgraph() {
  const calls: { url: string; headers: Record<string, string>; body: unknown }[] = [];
  const pending: (() => void)[] = [];
  const fetcher = ((url: string, init?: Parameters<Fetcher>[1]) => {
    calls.push({ url, headers: init?.headers as Record<string, string>, body: init?.body });
    const answer = `{"data":{"call":${calls.length}}}`;
    return new Promise<FetcherResponse>((resolve) => {
      pending.push(() => resolve(textResponse(url, answer)));
    });
  }) as Fetcher;
  const answerAll = () => {
    for (const answer of pending.splice(0)) answer();
  };
  return { fetcher, calls, answerAll };
}

function textResponse(url: string, body: string): FetcherResponse {
  const response = {
    url,
    status: 200,
    ok: true,
    statusText: 'OK',
    redirected: false,
    bodyUsed: false,
    headers: new Headers({ 'content-type': 'application/json' }),
    text: async () => body,
    json: async () => JSON.parse(body),
    arrayBuffer: async () => new ArrayBuffer(0),
    clone: () => textResponse(url, body),
  };
  return response as unknown as FetcherResponse;
}

function headersOf(
  identity: MemberIdentity | PartnerIdentity | null,
  options: { clientAddress?: string } = {},
) {
  return {
    'content-type': 'application/json',
    'x-hub-gateway-credential': SECRET,
    'x-request-id': randomUUID(),
    'x-hub-identity': signForwardedIdentity(
      { identity, clientAddress: options.clientAddress ?? '192.0.2.1' },
      SECRET,
    ),
  };
}

const post = (headers: Record<string, string>, body = BODY) => ({
  method: 'POST',
  headers,
  body,
});

describe('in-flight fetch merging', () => {
  test('identical anonymous fetches in flight make one subgraph call and each get the answer', async () => {
    const subgraph = stubSubgraph();
    const fetcher = createInflightFetcher({ fetcher: subgraph.fetcher });

    const answers = Promise.all([
      fetcher(URL_SPACES, post(headersOf(null))),
      fetcher(URL_SPACES, post(headersOf(null, { clientAddress: '198.51.100.7' }))),
      fetcher(URL_SPACES, post(headersOf(null))),
    ]);
    subgraph.answerAll();
    const [first, second, third] = await answers;

    expect(subgraph.calls).toHaveLength(1);
    expect(await second?.json()).toEqual({ data: { call: 1 } });
    expect(await third?.json()).toEqual({ data: { call: 1 } });
    // One object per request: the planner writes into what it parses.
    expect(second).not.toBe(first);
    expect([first, second, third].map((r) => fetcher.wasMerged(r))).toEqual([false, true, true]);
    expect(fetcher.mergedCount()).toBe(2);
  });

  test('a fetch after the call finished makes a call of its own', async () => {
    const subgraph = stubSubgraph();
    const fetcher = createInflightFetcher({ fetcher: subgraph.fetcher });

    const first = fetcher(URL_SPACES, post(headersOf(null)));
    subgraph.answerAll();
    await first;
    const second = fetcher(URL_SPACES, post(headersOf(null)));
    subgraph.answerAll();

    expect(await (await second).json()).toEqual({ data: { call: 2 } });
    expect(subgraph.calls).toHaveLength(2);
  });

  test('one member’s fetches merge even when their identity headers were signed apart', async () => {
    const subgraph = stubSubgraph();
    const fetcher = createInflightFetcher({ fetcher: subgraph.fetcher });
    const misaki = member();
    const earlier = headersOf(misaki);
    // The signer renews a caller's header every 20 s: other iat/exp, other bytes.
    const later = {
      ...headersOf(misaki),
      'x-hub-identity': renewed(earlier['x-hub-identity'], misaki),
    };
    expect(later['x-hub-identity']).not.toBe(earlier['x-hub-identity']);

    const answers = Promise.all([
      fetcher(URL_SPACES, post(earlier)),
      fetcher(URL_SPACES, post(later)),
    ]);
    subgraph.answerAll();
    await answers;

    expect(subgraph.calls).toHaveLength(1);
  });

  test('never merges different callers, documents, variables or subgraphs', async () => {
    const subgraph = stubSubgraph();
    const fetcher = createInflightFetcher({ fetcher: subgraph.fetcher });
    const misaki = member();
    const admin: MemberIdentity = { ...misaki, roles: ['admin'] };
    const otherSession: MemberIdentity = { ...misaki, sessionId: randomUUID() };

    const answers = Promise.all([
      fetcher(URL_SPACES, post(headersOf(null))),
      fetcher(URL_SPACES, post(headersOf(misaki))),
      fetcher(URL_SPACES, post(headersOf(member()))),
      fetcher(URL_SPACES, post(headersOf(admin))),
      fetcher(URL_SPACES, post(headersOf(otherSession))),
      fetcher(URL_SPACES, post(headersOf(null), JSON.stringify({ query: '{ spaces { name } }' }))),
      fetcher(
        URL_SPACES,
        post(
          headersOf(null),
          JSON.stringify({ query: '{ spaces { id } }', variables: { first: 1 } }),
        ),
      ),
      fetcher('http://127.0.0.1:4003/graphql', post(headersOf(null))),
      fetcher(URL_SPACES, post({ ...headersOf(null), 'x-hub-gateway-credential': 'other' })),
    ]);
    subgraph.answerAll();
    const responses = await answers;

    expect(subgraph.calls).toHaveLength(9);
    expect(responses.some((response) => fetcher.wasMerged(response))).toBe(false);
    expect(fetcher.mergedCount()).toBe(0);
  });

  test('a partner’s fetches are never merged, even its own: each read is audit-logged', async () => {
    const subgraph = stubSubgraph();
    const fetcher = createInflightFetcher({ fetcher: subgraph.fetcher });
    const partner: PartnerIdentity = {
      kind: 'partner',
      keyId: randomUUID(),
      organizationId: randomUUID(),
      scopes: ['public:read', 'members:personal:read'],
      purpose: 'municipal-relocation-support',
    };
    const headers = headersOf(partner);

    const answers = Promise.all([
      fetcher(URL_SPACES, post(headers)),
      fetcher(URL_SPACES, post(headers)),
    ]);
    subgraph.answerAll();
    await answers;

    expect(subgraph.calls).toHaveLength(2);
  });

  test('a failed call fails every fetch waiting on it, and the next one tries again', async () => {
    let calls = 0;
    const failing = (async () => {
      calls += 1;
      await new Promise((resolve) => setImmediate(resolve));
      throw new Error('connection refused');
    }) as unknown as Fetcher;
    const fetcher = createInflightFetcher({ fetcher: failing });

    const results = await Promise.allSettled([
      fetcher(URL_SPACES, post(headersOf(null))),
      fetcher(URL_SPACES, post(headersOf(null))),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);

    await expect(fetcher(URL_SPACES, post(headersOf(null)))).rejects.toThrow('connection refused');
    expect(calls).toBe(2);
  });
});

/** The same caller's header as the signer makes it once its reuse time is over. */
function renewed(header: string, identity: MemberIdentity): string {
  const [, payload] = header.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
  const realNow = Date.now;
  Date.now = () => (claims.iat + 25) * 1000;
  try {
    return signForwardedIdentity({ identity, clientAddress: '192.0.2.1' }, SECRET);
  } finally {
    Date.now = realNow;
  }
}
