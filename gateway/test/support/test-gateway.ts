import { setTimeout as sleep } from 'node:timers/promises';
import { GraphQLError } from 'graphql';
import { pino } from 'pino';
import { type GatewayOptions, type RunningGateway, startGateway } from '../../src/app.js';
import { composeSupergraph } from '../../src/compose-supergraph.js';
import { startTestSubgraph, type TestSubgraph } from './test-subgraph.js';

export const GATEWAY_SECRET = 'test-gateway-secret-0123456789';
// Subgraphs of the real set that the test supergraph does not contain.
const UNUSED_URL = 'http://127.0.0.1:9/graphql';

const FEDERATION = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])`;

const SPACES = [
  { id: 's1', name: 'コワーキング A' },
  { id: 's2', name: 'Telework Centre B' },
];

/**
 * Owns `Space`; also has a field failing with an app code, one failing internally, one taking
 * a custom scalar and ones taking built-in scalars (Float, Int).
 */
export function startSpacesSubgraph(): Promise<TestSubgraph> {
  return startTestSubgraph({
    name: 'spaces',
    gatewaySecret: GATEWAY_SECRET,
    sdl: `${FEDERATION}
      scalar Date
      type Query {
        spaces: [Space!]!
        space(id: ID!): Space
        brokenField: String
        spacesOpenedSince(date: Date): [Space!]!
        spacesNear(latitude: Float): [Space!]!
        spacesPage(first: Int): [Space!]!
      }
      type Space @key(fields: "id") {
        id: ID!
        name: String!
        nearby: [Space!]!
      }`,
    resolvers: {
      Query: {
        spaces: () => SPACES,
        space: (_: unknown, args: { id: string }) => {
          const space = SPACES.find((candidate) => candidate.id === args.id);
          if (space) return space;
          throw new GraphQLError('スペースが見つかりません (space not found)', {
            extensions: { code: 'NOT_FOUND' },
          });
        },
        brokenField: () => {
          throw new Error('connect ECONNREFUSED 10.1.2.3:5432 (password=hunter2)');
        },
        spacesOpenedSince: () => SPACES,
        spacesNear: () => SPACES,
        spacesPage: () => SPACES,
      },
      Space: {
        __resolveReference: (reference: { id: string }) =>
          SPACES.find((space) => space.id === reference.id),
        nearby: () => SPACES,
      },
    },
  });
}

/** Contributes `Space.upcomingEvents`; sleeps when the request id starts with `slow-`. */
export function startEventsSubgraph(): Promise<TestSubgraph> {
  return startTestSubgraph({
    name: 'events',
    gatewaySecret: GATEWAY_SECRET,
    sdl: `${FEDERATION}
      type Space @key(fields: "id") {
        id: ID!
        upcomingEvents: [Event!]
      }
      type Event {
        title: String!
      }`,
    resolvers: {
      Space: {
        __resolveReference: (reference: { id: string }) => reference,
        upcomingEvents: async (
          space: { id: string },
          _: unknown,
          context: { requestId: string },
        ) => {
          if (context.requestId.startsWith('slow-')) await sleep(1500);
          return [{ title: `もくもく会 at ${space.id}` }];
        },
      },
    },
  });
}

/** Contributes `Space.operator`. */
export function startMembersSubgraph(): Promise<TestSubgraph> {
  return startTestSubgraph({
    name: 'members',
    gatewaySecret: GATEWAY_SECRET,
    sdl: `${FEDERATION}
      type Space @key(fields: "id") {
        id: ID!
        operator: Operator
      }
      type Operator {
        name: String!
      }`,
    resolvers: {
      Space: {
        __resolveReference: (reference: { id: string }) => reference,
        operator: (space: { id: string }) => ({ name: `Operator of ${space.id}` }),
      },
    },
  });
}

/** The three fake subgraphs above, started side by side; `all` is what startTestGateway takes. */
export type TestSubgraphSet = {
  spaces: TestSubgraph;
  events: TestSubgraph;
  members: TestSubgraph;
  all: TestSubgraph[];
  /** Whether a request with this id reached any of them. */
  hasSeen(requestId: string): boolean;
  stop(): Promise<void>;
};

export async function startTestSubgraphSet(): Promise<TestSubgraphSet> {
  const [spaces, events, members] = await Promise.all([
    startSpacesSubgraph(),
    startEventsSubgraph(),
    startMembersSubgraph(),
  ]);
  const all = [spaces, events, members];
  return {
    spaces,
    events,
    members,
    all,
    hasSeen: (requestId) =>
      all.some((subgraph) => subgraph.seen.some((seen) => seen.requestId === requestId)),
    stop: async () => {
      await Promise.all(all.map((subgraph) => subgraph.stop()));
    },
  };
}

export type LogLine = Record<string, unknown> & { msg: string };

export type TestGateway = RunningGateway & { origin: string; logs: LogLine[] };

/** Composes the given subgraphs in-test and starts the real gateway on a free port. */
export async function startTestGateway(
  subgraphs: TestSubgraph[],
  overrides: Partial<GatewayOptions> = {},
): Promise<TestGateway> {
  const composition = composeSupergraph(
    subgraphs.map((subgraph) => ({ name: subgraph.name, url: subgraph.url, sdl: subgraph.sdl })),
  );
  if (!composition.isOk) throw new Error(JSON.stringify(composition.errors));
  const urls = Object.fromEntries(subgraphs.map((subgraph) => [subgraph.name, subgraph.url]));
  const logs: LogLine[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => logs.push(JSON.parse(line) as LogLine) },
  );
  const gateway = await startGateway({
    port: 0,
    gatewaySecret: GATEWAY_SECRET,
    subgraphUrls: {
      spaces: urls.spaces ?? UNUSED_URL,
      members: urls.members ?? UNUSED_URL,
      events: urls.events ?? UNUSED_URL,
      matching: UNUSED_URL,
      'support-programs': UNUSED_URL,
    },
    supergraphSdl: composition.supergraphSdl,
    logger,
    ...overrides,
  });
  return { ...gateway, origin: new URL(gateway.url).origin, logs };
}

export type GraphQLBody = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[];
};

/** POSTs an operation the way a front end does (JSON, so CSRF prevention lets it through). */
export async function postGraphQL(
  gateway: TestGateway,
  query: string,
  options: { headers?: Record<string, string>; variables?: Record<string, unknown> } = {},
): Promise<{ status: number; headers: Headers; body: GraphQLBody; text: string }> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: JSON.stringify({ query, variables: options.variables }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text), text };
}
