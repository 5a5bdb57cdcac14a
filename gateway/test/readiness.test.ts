import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import {
  postGraphQL,
  startEventsSubgraph,
  startMembersSubgraph,
  startSpacesSubgraph,
  startTestGateway,
  type TestGateway,
} from './support/test-gateway.js';
import type { TestSubgraph } from './support/test-subgraph.js';

// The gateway's readiness probes are bounded by min(1000 ms, subgraph timeout).
const PROBE_DEADLINE_MS = 1000;

let spaces: TestSubgraph;
let events: TestSubgraph;
let members: TestSubgraph;
let gateway: TestGateway;

beforeAll(async () => {
  [spaces, events, members] = await Promise.all([
    startSpacesSubgraph(),
    startEventsSubgraph(),
    startMembersSubgraph(),
  ]);
  gateway = await startTestGateway([spaces, events, members]);
});

afterAll(async () => {
  await gateway.stop();
  await Promise.all([spaces.stop(), events.stop(), members.stop()]);
});

afterEach(() => {
  for (const subgraph of [spaces, events, members]) subgraph.setReadiness('ready');
});

type ReadinessBody = { status: string; subgraphs: Record<string, string> };

async function readiness(query = '') {
  const started = performance.now();
  const response = await fetch(`${gateway.origin}/_readiness${query}`);
  const body = (await response.json()) as ReadinessBody;
  return { status: response.status, body, elapsedMs: performance.now() - started };
}

describe("the gateway's readiness follows its subgraphs' readiness", () => {
  test('a subgraph that answers its readiness with 503 is not-ready, and required subgraphs make the gateway 503', async () => {
    members.setReadiness('not-ready');

    const strict = await readiness('?subgraphs=required');
    expect(strict.status).toBe(503);
    expect(strict.body).toEqual({
      status: 'not-ready',
      subgraphs: { spaces: 'up', events: 'up', members: 'not-ready' },
    });
    // Without the parameter the gateway itself stays in the load balancer (see README).
    const lenient = await readiness();
    expect(lenient.status).toBe(200);
    expect(lenient.body.subgraphs.members).toBe('not-ready');
  });

  test('a subgraph whose readiness hangs counts as not-ready within the deadline', async () => {
    events.setReadiness('hang');

    const strict = await readiness('?subgraphs=required');
    expect(strict.status).toBe(503);
    expect(strict.body.subgraphs).toEqual({ spaces: 'up', events: 'not-ready', members: 'up' });
    expect(strict.elapsedMs).toBeLessThan(PROBE_DEADLINE_MS + 500);
    // Asked again while the first probes may still be held open: answered as quickly.
    const again = await readiness('?subgraphs=required');
    expect(again.status).toBe(503);
    expect(again.elapsedMs).toBeLessThan(PROBE_DEADLINE_MS + 500);
  });

  test('a subgraph ready again is up again', async () => {
    spaces.setReadiness('not-ready');
    expect((await readiness('?subgraphs=required')).status).toBe(503);

    spaces.setReadiness('ready');
    const strict = await readiness('?subgraphs=required');
    expect(strict.status).toBe(200);
    expect(strict.body).toEqual({
      status: 'ready',
      subgraphs: { spaces: 'up', events: 'up', members: 'up' },
    });
  });
});

describe('readiness while a subgraph holds every GraphQL socket', () => {
  test('is answered within the deadline: probes do not queue behind GraphQL calls', async () => {
    // One socket per subgraph, held 1.5 s by each slow call (the events fake sleeps on `slow-`).
    const narrow = await startTestGateway([spaces, events, members], { maxSocketsPerSubgraph: 1 });
    try {
      const slowCalls = [1, 2, 3].map((n) =>
        postGraphQL(narrow, '{ spaces { id upcomingEvents { title } } }', {
          headers: { 'x-request-id': `slow-busy-${n}` },
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      const started = performance.now();
      const response = await fetch(`${narrow.origin}/_readiness?subgraphs=required`);
      const body = (await response.json()) as ReadinessBody;

      expect(performance.now() - started).toBeLessThan(PROBE_DEADLINE_MS + 500);
      expect(response.status).toBe(200);
      expect(body.subgraphs.events).toBe('up');
      await Promise.all(slowCalls);
    } finally {
      await narrow.stop();
    }
    // The three slow calls queue on one socket (3 × 1.5 s) after the gateway starts: more than
    // jest's default 5 s on a busy machine. The deadline under test is the expect above.
  }, 20_000);
});
