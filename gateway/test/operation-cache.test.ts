import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { isOperationCacheInstalled, operationCacheStats } from '../src/operation-cache.js';
import {
  postGraphQL,
  startTestGateway,
  startTestSubgraphSet,
  type TestGateway,
  type TestSubgraphSet,
} from './support/test-gateway.js';

// Apollo Gateway builds a federation Operation from the document on every request; the gateway
// keeps the one built for a document Apollo Server has cached (src/operation-cache.ts).

let subgraphs: TestSubgraphSet;
let gateway: TestGateway;

beforeAll(async () => {
  subgraphs = await startTestSubgraphSet();
  // The test gateway has no response cache: every request executes its query plan.
  gateway = await startTestGateway(subgraphs.all);
});

afterAll(async () => {
  await gateway?.stop();
  await subgraphs?.stop();
});

describe('the operation of a repeated document', () => {
  test('is built once and reused, while the answers stay those of each request', async () => {
    // Apollo Gateway still reads the function the cache replaced (an upgrade that moves it
    // fails here rather than losing the cache silently).
    expect(isOperationCacheInstalled()).toBe(true);
    const query = 'query Pair($a: ID!) { space(id: $a) { id name upcomingEvents { title } } }';
    const before = operationCacheStats();

    const answers = [];
    for (const id of ['s1', 's2', 's1', 's2']) {
      answers.push((await postGraphQL(gateway, query, { variables: { a: id } })).body);
    }

    const s1 = {
      id: 's1',
      name: 'コワーキング A',
      upcomingEvents: [{ title: 'もくもく会 at s1' }],
    };
    const s2 = {
      id: 's2',
      name: 'Telework Centre B',
      upcomingEvents: [{ title: 'もくもく会 at s2' }],
    };
    expect(answers).toEqual([
      { data: { space: s1 } },
      { data: { space: s2 } },
      { data: { space: s1 } },
      { data: { space: s2 } },
    ]);
    const after = operationCacheStats();
    expect(after.misses - before.misses).toBe(1);
    expect(after.hits - before.hits).toBe(3);
  });

  test('different documents, aliases and fragments get operations of their own', async () => {
    const first = await postGraphQL(gateway, '{ a: space(id: "s1") { name } }');
    const second = await postGraphQL(
      gateway,
      '{ b: space(id: "s1") { ...Named } } fragment Named on Space { id name }',
    );
    const third = await postGraphQL(
      gateway,
      '{ b: space(id: "s1") { ...Named } } fragment Named on Space { name }',
    );

    expect(first.body).toEqual({ data: { a: { name: 'コワーキング A' } } });
    expect(second.body).toEqual({ data: { b: { id: 's1', name: 'コワーキング A' } } });
    expect(third.body).toEqual({ data: { b: { name: 'コワーキング A' } } });
  });
});
