import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import {
  postGraphQL,
  startTestGateway,
  startTestSubgraphSet,
  type TestGateway,
  type TestSubgraphSet,
} from './support/test-gateway.js';

// Spaces answers at once, then the gateway asks events for each space's upcomingEvents: an
// entity fetch, identical for every anonymous request of this query. Events sleeps 1.5 s when
// the request id starts with `slow-` (support/test-gateway.ts), which keeps one call in flight
// long enough for a second request to arrive — no timing guesses in the assertions.
const QUERY = '{ spaces { id name upcomingEvents { title } } }';

let subgraphs: TestSubgraphSet;

beforeAll(async () => {
  subgraphs = await startTestSubgraphSet();
});

afterAll(() => subgraphs?.stop());

async function untilSeen(count: () => number, expected: number): Promise<void> {
  while (count() < expected) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('in-flight deduplication of subgraph fetches', () => {
  let gateway: TestGateway | undefined;
  afterEach(() => gateway?.stop());

  test('a fetch identical to one in flight waits for it: one subgraph call answers both', async () => {
    gateway = await startTestGateway(subgraphs.all);
    const callsBefore = subgraphs.events.seen.length;

    const slow = postGraphQL(gateway, QUERY, { headers: { 'x-request-id': 'slow-dedup-1' } });
    await untilSeen(() => subgraphs.events.seen.length, callsBefore + 1);
    const joined = await postGraphQL(gateway, QUERY, {
      headers: { 'x-request-id': 'dedup-2' },
    });
    const first = await slow;

    expect(joined.body).toEqual(first.body);
    expect(first.body.data?.spaces).toEqual([
      { id: 's1', name: 'コワーキング A', upcomingEvents: [{ title: 'もくもく会 at s1' }] },
      { id: 's2', name: 'Telework Centre B', upcomingEvents: [{ title: 'もくもく会 at s2' }] },
    ]);
    expect(subgraphs.events.seen.length).toBe(callsBefore + 1);
    expect(subgraphs.hasSeen('dedup-2')).toBe(true); // its spaces fetch, made alone
    expect(subgraphs.events.seen.some((seen) => seen.requestId === 'dedup-2')).toBe(false);
    const logOf = (requestId: string) =>
      gateway?.logs.find((line) => line.msg === 'graphql request' && line.requestId === requestId);
    expect(logOf('dedup-2')).toMatchObject({ mergedFetches: 1 });
    expect(logOf('slow-dedup-1')).not.toHaveProperty('mergedFetches');
    await gateway.stop();
    expect(gateway.logs.find((line) => line.msg === 'gateway stopped')).toMatchObject({
      mergedFetches: 1,
    });
  });

  test('switched off, every request makes its own calls', async () => {
    gateway = await startTestGateway(subgraphs.all, { deduplicateSubgraphFetches: false });
    const callsBefore = subgraphs.events.seen.length;

    const slow = postGraphQL(gateway, QUERY, { headers: { 'x-request-id': 'slow-alone-1' } });
    await untilSeen(() => subgraphs.events.seen.length, callsBefore + 1);
    await postGraphQL(gateway, QUERY, { headers: { 'x-request-id': 'alone-2' } });
    await slow;

    expect(subgraphs.events.seen.length).toBe(callsBefore + 2);
  });
});

describe('response cache (no event source: TTL and own mutations only)', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway(subgraphs.all, { responseCache: { ttlMs: 60_000 } });
  });
  afterAll(() => gateway?.stop());

  test('an anonymous query is answered from the cache the second time, with the same body', async () => {
    const query = '{ spaces { id name } }';
    const before = subgraphs.spaces.seen.length;

    const miss = await postGraphQL(gateway, query);
    const hit = await postGraphQL(gateway, `# laid out differently\n{spaces{id,name}}`);

    expect(miss.headers.get('x-hub-cache')).toBe('MISS');
    expect(hit.headers.get('x-hub-cache')).toBe('HIT');
    expect(hit.text).toBe(miss.text);
    expect(subgraphs.spaces.seen.length).toBe(before + 1);
    const logged = gateway.logs.filter((line) => line.msg === 'graphql request').slice(-2);
    expect(logged.map((line) => line.cache)).toEqual(['MISS', 'HIT']);
  });

  test('variables are part of the key', async () => {
    const query = 'query ($id: ID!) { space(id: $id) { id name } }';
    const s1 = await postGraphQL(gateway, query, { variables: { id: 's1' } });
    const s2 = await postGraphQL(gateway, query, { variables: { id: 's2' } });

    expect(s2.headers.get('x-hub-cache')).toBe('MISS');
    expect(s1.body.data).toEqual({ space: { id: 's1', name: 'コワーキング A' } });
    expect(s2.body.data).toEqual({ space: { id: 's2', name: 'Telework Centre B' } });
  });

  test('an answer with an error is never cached', async () => {
    const query = '{ spaces { id } brokenField }';
    const first = await postGraphQL(gateway, query);
    const second = await postGraphQL(gateway, query);

    expect(first.body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect([first, second].map((r) => r.headers.get('x-hub-cache'))).toEqual(['MISS', 'MISS']);
  });

  test('Cache-Control: no-cache from the client bypasses the cache', async () => {
    const query = '{ spaces { name } }';
    await postGraphQL(gateway, query);
    const before = subgraphs.spaces.seen.length;

    const bypass = await postGraphQL(gateway, query, { headers: { 'cache-control': 'no-cache' } });

    expect(bypass.headers.get('x-hub-cache')).toBe('BYPASS');
    expect(subgraphs.spaces.seen.length).toBe(before + 1);
  });

  test('a page on another origin may read the cache header', async () => {
    const cors = await startTestGateway(subgraphs.all, {
      responseCache: { ttlMs: 60_000 },
      corsAllowedOrigins: ['https://app.example.jp'],
    });
    try {
      const answer = await postGraphQL(cors, '{ spaces { id } }', {
        headers: { origin: 'https://app.example.jp' },
      });
      expect(answer.headers.get('access-control-expose-headers')).toContain('x-hub-cache');
    } finally {
      await cors.stop();
    }
  });
});

test('a cache whose event source cannot be reached stops the start, naming it', async () => {
  await expect(
    startTestGateway(subgraphs.all, {
      responseCache: { ttlMs: 5000, events: { natsUrl: 'nats://127.0.0.1:9' } },
    }),
  ).rejects.toThrow(
    /response cache cannot reach NATS at nats:\/\/127\.0\.0\.1:9 .*GATEWAY_RESPONSE_CACHE=false/,
  );
});

test('a domain event purges the answers selecting its entity types, and only those', async () => {
  let deliver: (eventType: string) => void = () => {};
  const events = {
    subscribe(listener: (eventType: string) => void) {
      deliver = listener;
      return () => {};
    },
  };
  const gateway = await startTestGateway(subgraphs.all, {
    responseCache: { ttlMs: 60_000, events },
  });
  try {
    const query = '{ spaces { id name } }';
    const verdict = async () => (await postGraphQL(gateway, query)).headers.get('x-hub-cache');
    expect([await verdict(), await verdict()]).toEqual(['MISS', 'HIT']);

    deliver('support-programs.program.published');
    expect(await verdict()).toBe('HIT');
    deliver('spaces.space.updated');
    expect([await verdict(), await verdict()]).toEqual(['MISS', 'HIT']);
    deliver('members.member.erased');
    expect(await verdict()).toBe('MISS');
  } finally {
    await gateway.stop();
  }
});
