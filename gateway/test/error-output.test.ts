import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { pino } from 'pino';
import {
  postGraphQL,
  startEventsSubgraph,
  startMembersSubgraph,
  startSpacesSubgraph,
  startTestGateway,
  type TestGateway,
} from './support/test-gateway.js';
import type { TestSubgraph } from './support/test-subgraph.js';

// What error responses may show: by default a code, a message and the request id — never stack
// traces, original messages, query plans or subgraph addresses. Details only with debugErrors
// (HUB_DEBUG), and only on a loopback address.

const INTERNAL = '内部エラーが発生しました (internal server error)';
const LEAKS =
  /hunter2|10\.1\.2\.3|ECONNREFUSED|stacktrace|originalMessage|__queryPlan|\/work\/|\.ts:\d/;
const QUERY_PLAN_HEADER = { 'apollo-query-plan-experimental': '1' };

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
  await gateway?.stop();
  await Promise.all([spaces?.stop(), events?.stop(), members?.stop()]);
});

describe('by default', () => {
  test('an internal error shows the code, the generic message and the request id only', async () => {
    const { body, text, headers } = await postGraphQL(gateway, '{ brokenField }', {
      headers: QUERY_PLAN_HEADER,
    });

    expect(body.errors).toEqual([
      {
        message: INTERNAL,
        path: ['brokenField'],
        extensions: {
          code: 'INTERNAL_SERVER_ERROR',
          serviceName: 'spaces',
          requestId: headers.get('x-request-id'),
        },
      },
    ]);
    expect(text).not.toMatch(LEAKS);
  });

  test('the query plan is not disclosed, whatever NODE_ENV says', async () => {
    const { body } = await postGraphQL(gateway, '{ spaces { id operator { name } } }', {
      headers: QUERY_PLAN_HEADER,
    });

    expect(body).toEqual({
      data: {
        spaces: [
          { id: 's1', operator: { name: 'Operator of s1' } },
          { id: 's2', operator: { name: 'Operator of s2' } },
        ],
      },
    });
  });

  test('an unreachable subgraph is named, never its host or port', async () => {
    const unresolvable = await startTestGateway([spaces, events, members], {
      subgraphUrls: {
        spaces: spaces.url,
        events: events.url,
        members: 'http://members.internal.invalid:4002/graphql',
        matching: 'http://127.0.0.1:9/graphql',
        'support-programs': 'http://127.0.0.1:9/graphql',
      },
    });
    try {
      const { body, text, headers } = await postGraphQL(
        unresolvable,
        '{ spaces { id operator { name } } }',
      );

      expect(body.errors).toEqual([
        {
          message: 'サービス members に接続できません (service unavailable: members)',
          extensions: {
            code: 'SUBGRAPH_UNAVAILABLE',
            serviceName: 'members',
            requestId: headers.get('x-request-id'),
          },
        },
      ]);
      expect(text).not.toMatch(/internal\.invalid|4002|ENOTFOUND|fetch failed/);
      expect(JSON.stringify(unresolvable.logs)).toContain('members.internal.invalid');
    } finally {
      await unresolvable.stop();
    }
  });

  test('a failure inside the gateway, outside the operation, is a 500 with the request id', async () => {
    // Logging the masked error throws: Apollo fails outside its pipeline and answers 500 itself.
    const failing = await startTestGateway([spaces, events, members], {
      logger: pino(
        { level: 'debug' },
        {
          write(line: string) {
            if (line.includes('internal error masked for the client')) throw new Error('disk full');
          },
        },
      ),
    });
    try {
      const requestId = 'req-gateway-fails-1';
      const { status, body, text } = await postGraphQL(failing, '{ brokenField }', {
        headers: { 'x-request-id': requestId },
      });

      expect(status).toBe(500);
      expect(body).toEqual({
        errors: [{ message: INTERNAL, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }],
      });
      expect(text).not.toMatch(LEAKS);
    } finally {
      await failing.stop();
    }
  });

  test('a malformed request target is a 400, not a 500', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(gateway.origin).port), '127.0.0.1', () => {
        socket.end(
          'GET http://gateway:99999/graphql HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
        );
      });
      let data = '';
      socket.on('data', (chunk) => {
        data += chunk;
      });
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
    });

    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('"code":"BAD_REQUEST"');
  });
});

describe('debugErrors (HUB_DEBUG)', () => {
  test('on a loopback address, masked errors carry the original message and the stack', async () => {
    const debug = await startTestGateway([spaces, events, members], { debugErrors: true });
    try {
      const { body } = await postGraphQL(debug, '{ brokenField }', { headers: QUERY_PLAN_HEADER });

      expect(body.errors?.[0]?.extensions).toMatchObject({
        code: 'INTERNAL_SERVER_ERROR',
        originalMessage: expect.stringContaining('hunter2'),
        stacktrace: expect.any(Array),
      });
      expect(body).toHaveProperty('extensions.__queryPlanExperimental');
    } finally {
      await debug.stop();
    }
  });

  test('beyond loopback it is refused, with a warning', async () => {
    const exposed = await startTestGateway([spaces, events, members], {
      host: '0.0.0.0',
      debugErrors: true,
    });
    try {
      const { text } = await postGraphQL(exposed, '{ brokenField }', {
        headers: QUERY_PLAN_HEADER,
      });

      expect(text).toContain(INTERNAL);
      expect(text).not.toMatch(LEAKS);
      expect(exposed.logs).toContainEqual(
        expect.objectContaining({
          level: 40,
          host: '0.0.0.0',
          msg: 'HUB_DEBUG ignored: error details are only shown on a loopback listen address',
        }),
      );
    } finally {
      await exposed.stop();
    }
  });
});
