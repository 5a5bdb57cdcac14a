import { appendFileSync, writeFileSync } from 'node:fs';
import { demoAccess } from '@hub/members';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildClientSchema, getIntrospectionQuery, type IntrospectionQuery } from 'graphql';
import { sql } from '../support/accounts.js';
import { type HubStack, loadDemoData, SERVICE_NAMES, startHub } from '../support/hub.js';
import type { IdKind, Pools } from './arguments.js';
import type { FuzzResponse } from './checks.js';
import { rootFields } from './documents.js';
import { freshSeed } from './random.js';
import { summaryLine, violationReport } from './report.js';
import {
  type Credentials,
  type FuzzRequest,
  type GeneratorContext,
  generateRequest,
} from './requests.js';
import { runFuzz } from './runner.js';

// The API must stay safe whatever a client sends: thousands of generated requests (valid
// operations on every root field with hostile arguments, broken documents, HTTP-level abuse,
// bad credentials) through the real gateway in front of all five subgraphs on real Postgres
// and NATS, each response checked for 5xx, internal error codes and leaked internals.
//
//   FUZZ_SEED=<n>          replay a run (default: a new random seed, printed first)
//   FUZZ_OPERATIONS=<n>    requests to send (default 2000)
//   FUZZ_ONLY=<i,j,…>      send only these requests of the seed (replaying a failure)
//   FUZZ_CONCURRENCY=<n>   requests in flight (default 8)
//   FUZZ_DEBUG=1          run the hub as `HUB_DEBUG=1` does, for diagnosis: masked errors then
//                          carry their original message (the best signature), and by design
//                          originalMessage and stacktrace, which the checks report as leaks
//   FUZZ_TRACE=<file>      write every request and response to <file> (JSON lines)

const SEED = process.env.FUZZ_SEED ? integer('FUZZ_SEED', process.env.FUZZ_SEED) : freshSeed();
const OPERATIONS = integer('FUZZ_OPERATIONS', process.env.FUZZ_OPERATIONS ?? '2000');
const ONLY = process.env.FUZZ_ONLY?.split(',').map((index) => integer('FUZZ_ONLY', index));
const CONCURRENCY = integer('FUZZ_CONCURRENCY', process.env.FUZZ_CONCURRENCY ?? '8');
// By default the hub runs as `npm start` and production run it: what every client sees.
const IS_DEBUG = process.env.FUZZ_DEBUG === '1';
// The run itself must not be throttled into a sea of 429s: every caller gets far more than it
// could use in a minute (the limits have tests of their own).
const UNLIMITED = 10_000_000;

let hub: HubStack;
let context: GeneratorContext;
let origin: string;

beforeAll(async () => {
  process.stdout.write(
    `fuzz: seed=${SEED} operations=${ONLY ? ONLY.join(',') : OPERATIONS}${IS_DEBUG ? ' HUB_DEBUG' : ''} (replay: FUZZ_SEED=${SEED})\n`,
  );
  hub = await startHub({
    debugErrors: IS_DEBUG,
    gatewayOptions: {
      debugErrors: IS_DEBUG,
      // Deadlines well above what a loaded 2-core CI machine may need for a sound request, so
      // a SUBGRAPH_TIMEOUT or IDENTITY_UNAVAILABLE in the report means the input was the cause.
      subgraphTimeoutMs: 15_000,
      identity: { timeoutMs: 10_000 },
      rateLimits: {
        anonymousPerMinute: UNLIMITED,
        memberPerMinute: UNLIMITED,
        failedAuthenticationsPerMinute: UNLIMITED,
      },
    },
  });
  await loadDemoData(hub);
  await sql(hub, 'members', 'UPDATE api_key SET rate_limit_per_minute = $1', [UNLIMITED]);
  origin = new URL(hub.gatewayUrl!).origin;
  const credentials = await signInDemoCallers();
  const schema = await liveSchema();
  context = { schema, roots: rootFields(schema), pools: await pools(credentials), credentials };
}, 120_000);

afterAll(() => hub?.stop(), 60_000);

describe('the gateway under fuzzing', () => {
  it('never answers 5xx, an internal error code or internals, and stays healthy', async () => {
    const indices = ONLY ?? Array.from({ length: OPERATIONS }, (_, index) => index);
    const result = await runFuzz({
      origin,
      indices,
      generate: (index) => generateRequest(context, SEED, index),
      check: { internalAddresses: internalAddresses() },
      concurrency: CONCURRENCY,
      probeEvery: 250,
      timeoutMs: 30_000,
      ...(process.env.FUZZ_TRACE ? { trace: traceTo(process.env.FUZZ_TRACE) } : {}),
    });
    process.stdout.write(
      `${summaryLine(
        result,
        SEED,
        context.roots.map((root) => root.field.name),
      )}\n`,
    );
    if (result.findings.length > 0) {
      throw new Error(violationReport(result, SEED, context.credentials));
    }
    expect(result.sent).toBe(indices.length);
  }, 300_000);
});

function integer(name: string, text: string): number {
  const value = Number(text.trim());
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, not "${text}"`);
  return value;
}

function traceTo(path: string) {
  writeFileSync(path, '');
  return (request: FuzzRequest, response: FuzzResponse) => {
    const body = typeof request.body === 'string' ? request.body.slice(0, 2000) : '(bytes)';
    const line = {
      ...request,
      body,
      status: response.status,
      ms: Math.round(response.durationMs),
      response: response.body.slice(0, 2000),
    };
    appendFileSync(path, `${JSON.stringify(line)}\n`);
  };
}

/** The demo member (佐藤 美咲), the demo hub admin and the demo partner key of 美唄市. */
async function signInDemoCallers(): Promise<Credentials> {
  const access = demoAccess();
  const signIn = async (email: string) => {
    const response = await hub.query<{ signIn: { session?: { accessToken: string } } }>(
      `mutation ($input: SignInInput!) {
        signIn(input: $input) { ... on SignInSuccess { session { accessToken } } } }`,
      { input: { email, password: access.password } },
    );
    const session = response.data?.signIn.session;
    if (!session) throw new Error(`demo sign-in failed: ${JSON.stringify(response)}`);
    return session.accessToken;
  };
  const admin = access.accounts.find((account) => account.roles.includes('admin'));
  const member = access.accounts.find((account) => account.roles.length === 0);
  return {
    memberToken: await signIn(member!.email),
    adminToken: await signIn(admin!.email),
    partnerKey: access.apiKeys[0]!.key,
  };
}

/** The API as clients see it, by introspection through the gateway (the live supergraph). */
async function liveSchema() {
  const response = await hub.query<IntrospectionQuery>(getIntrospectionQuery());
  if (!response.data) throw new Error(`introspection failed: ${JSON.stringify(response.errors)}`);
  return buildClientSchema(response.data);
}

/** Ids and codes of the demo data, read as the admin, sorted so a seed means the same run. */
async function pools(credentials: Credentials): Promise<Pools> {
  const response = await hub.query<{
    me: { id: string };
    spaces: { nodes: { id: string }[] };
    events: { nodes: { id: string; tags: string[] }[] };
    programs: { nodes: { id: string }[] };
    organizations: { edges: { node: { id: string } }[] };
    members: { edges: { node: { id: string } }[] };
    municipalities: { code: string; prefecture: string }[];
    skills: { code: string }[];
    privacyNotices: { version: string }[];
  }>(
    `{
      me { id }
      spaces(first: 100) { nodes { id } }
      events(first: 100) { nodes { id tags } }
      programs(first: 100) { nodes { id } }
      organizations(first: 100) { edges { node { id } } }
      members(first: 100) { edges { node { id } } }
      municipalities { code prefecture }
      skills { code }
      privacyNotices { version }
    }`,
    {},
    { authorization: `Bearer ${credentials.adminToken}` },
  );
  const data = response.data;
  if (!data || response.errors) throw new Error(`pools: ${JSON.stringify(response.errors)}`);
  const sorted = (values: string[]) => [...new Set(values)].sort();
  const memberIds = sorted(data.members.edges.map((edge) => edge.node.id));
  // A query of its own: with every other list's page of 100 it would exceed the cost limit.
  const workOrders = await hub.query<{ workOrders: { nodes: { id: string }[] } }>(
    '{ workOrders(first: 100) { nodes { id } } }',
    {},
    { authorization: `Bearer ${credentials.adminToken}` },
  );
  if (!workOrders.data || workOrders.errors) {
    throw new Error(`pools: ${JSON.stringify(workOrders.errors)}`);
  }
  const member = await hub.query<{ me: { id: string } }>(
    '{ me { id } }',
    {},
    { authorization: `Bearer ${credentials.memberToken}` },
  );
  const callers = new Set([data.me.id, member.data!.me.id]);
  const ids: Record<IdKind, string[]> = {
    member: memberIds,
    organization: sorted(data.organizations.edges.map((edge) => edge.node.id)),
    space: sorted(data.spaces.nodes.map((space) => space.id)),
    event: sorted(data.events.nodes.map((event) => event.id)),
    program: sorted(data.programs.nodes.map((program) => program.id)),
    workOrder: sorted(workOrders.data.workOrders.nodes.map((order) => order.id)),
  };
  return {
    ids,
    erasableMemberIds: memberIds.filter((id) => !callers.has(id)),
    callerIds: [...callers],
    municipalityCodes: sorted(data.municipalities.map((municipality) => municipality.code)),
    prefectures: sorted(data.municipalities.map((municipality) => municipality.prefecture)),
    skillCodes: sorted(data.skills.map((skill) => skill.code)),
    noticeVersions: sorted(data.privacyNotices.map((notice) => notice.version)),
    emails: sorted(demoAccess().accounts.map((account) => account.email)),
    tags: sorted(data.events.nodes.flatMap((event) => event.tags)),
  };
}

/** Where the subgraphs listen (and the routing URLs of the committed supergraph). */
function internalAddresses(): string[] {
  const addresses: string[] = [];
  for (const name of SERVICE_NAMES) {
    const service = hub.services[name]!;
    addresses.push(`127.0.0.1:${service.port}`, `localhost:${service.port}`);
    addresses.push(`http://${name}:400`);
  }
  return addresses;
}
