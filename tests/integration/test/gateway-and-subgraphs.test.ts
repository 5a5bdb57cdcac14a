import { seedDemoData as seedEvents } from '@hub/events';
import { seedDemoData as seedMembers } from '@hub/members';
import { seedDemoData as seedSpaces } from '@hub/spaces';
import { sendGraphQL } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request } from 'undici';
import { type HubStack, startHub } from './support/hub.js';

let hub: HubStack;

beforeAll(async () => {
  hub = await startHub({ services: ['spaces', 'members', 'events'] });
  await seedSpaces({ databaseUrl: hub.services.spaces!.databaseUrl });
  await seedMembers({ databaseUrl: hub.services.members!.databaseUrl });
  await seedEvents({ databaseUrl: hub.services.events!.databaseUrl });
}, 60_000);

afterAll(() => hub?.stop());

describe('subgraphs only answer the gateway', () => {
  it.each(['spaces', 'members', 'events'])(
    '%s refuses GraphQL without the gateway credential',
    async (name) => {
      const url = hub.services[name]!.url;
      const anonymous = await sendGraphQL(url, '{ __typename }');
      expect(anonymous.status).toBe(401);
      expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const forged = await sendGraphQL(url, '{ __typename }', {
        headers: { 'x-hub-gateway-credential': 'not-the-secret-not-the-secret' },
      });
      expect(forged.status).toBe(401);
    },
  );

  it('health endpoints need no credential', async () => {
    const base = hub.services.spaces!.url.replace('/graphql', '');
    expect((await request(`${base}/_health`)).statusCode).toBe(200);
    const readiness = await request(`${base}/_readiness`);
    expect(readiness.statusCode).toBe(200);
    expect(await readiness.body.json()).toEqual({
      status: 'ready',
      checks: { database: true, databasePool: true, bus: true },
    });
  });
});

describe('a custom scalar value the subgraphs would refuse', () => {
  // The gateway parses Date, DateTime and JSON with the subgraphs' own definitions (the service
  // kit's): a bad value is refused there, before any subgraph runs, with the HTTP status of a bad
  // Int (400) — inline or as a variable, always BAD_USER_INPUT.
  it.each([
    [
      'DateTime inline',
      '{ events(filter: { from: "garbage" }) { nodes { id } } }',
      undefined,
      /^引数 filter\.from の値が不正です \(invalid value for argument "filter\.from"\): .*DateTime must be ISO 8601/,
      { field: 'filter.from' },
    ],
    [
      'DateTime as a variable',
      'query ($filter: EventFilter) { events(filter: $filter) { nodes { id } } }',
      { filter: { from: 'garbage' } },
      /^Variable "\$filter" got invalid value "garbage" at "filter\.from"; .*DateTime must be ISO 8601/,
      {},
    ],
    [
      'Date inline',
      'mutation { createSpace(input: { name: "x", kind: COWORKING, municipalityCode: "011002", openedOn: "2023-02-30" }) { __typename } }',
      undefined,
      /^引数 input\.openedOn の値が不正です .*Date must be YYYY-MM-DD/,
      { field: 'input.openedOn' },
    ],
  ])(
    '%s is a 400 BAD_USER_INPUT from the gateway',
    async (_case, query, variables, message, extensions) => {
      const response = await hub.query(query, variables);

      expect(response.status).toBe(400);
      expect(response.data).toBeUndefined();
      expect(response.errors).toEqual([
        {
          message: expect.stringMatching(message),
          locations: [expect.any(Object)],
          extensions: { code: 'BAD_USER_INPUT', ...extensions },
        },
      ]);
    },
  );
});

describe('a stopped subgraph', () => {
  it('yields the other subgraphs’ data plus a masked error naming it', async () => {
    await hub.stopService('events');
    const response = await hub.query<{
      spaces: {
        nodes: { name: string; operator: { name: string } | null; upcomingEvents: unknown }[];
      };
    }>('{ spaces { nodes { name operator { name } upcomingEvents { nodes { title } } } } }');
    const garage = response.data!.spaces.nodes.find((space) => space.name === 'Garage labs');
    expect(garage).toEqual({
      name: 'Garage labs',
      operator: { name: '株式会社24-7' },
      upcomingEvents: null,
    });
    const error = response.errors?.find((e) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE');
    expect(error?.extensions?.serviceName).toBe('events');
    const text = JSON.stringify(response.errors);
    expect(text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stack/i);
  });
});
