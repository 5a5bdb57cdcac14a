import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { GATEWAY_DIR } from '../src/compose-supergraph.js';
import { PUBLIC_SCHEMA_PATH } from '../src/public-schema.js';
import type { TrustedDocumentsMode } from '../src/trusted-documents/trusted-documents.js';
import {
  createApiKey,
  createOrganization,
  type MembersStack,
  ORGANIZATION_QUERY,
  startGatewayOverMembers,
  startMembersStack,
} from './support/members-stack.js';
import type { GraphQLBody, TestGateway } from './support/test-gateway.js';

// Trusted documents through the real gateway in front of the real members subgraph (Postgres),
// with real partner keys: what runs, what is refused and with which code, per mode and per
// caller. `members.queryCount()` proves a refused operation never reached the subgraph.

const GUIDE_PATH = join(GATEWAY_DIR, '..', 'docs', 'trusted-documents.md');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const idOf = (document: string) => `sha256:${sha256(document)}`;

// Everyone's manifest: the hub's own web client.
const GLOBAL_DOCUMENT = ORGANIZATION_QUERY;
// Only for the keys of one partner organisation, and only for one key of it.
const ORGANIZATION_DOCUMENT =
  'query PartnerOrganizationName($id: ID!) { organization(id: $id) { name } }';
const KEY_DOCUMENT = 'query KeyOrganizationId($id: ID!) { organization(id: $id) { id } }';
// Generated against an older schema: the field is gone.
const STALE_DOCUMENT = 'query Stale($id: ID!) { organization(id: $id) { formerName } }';
// In no manifest.
const ARBITRARY_DOCUMENT = 'query Arbitrary($id: ID!) { organization(id: $id) { name id } }';
// The same operation as a codegen client writes it in a .graphql file.
const CODEGEN_OPERATION = `query CodegenOrganization($id: ID!) {
  organization(id: $id) {
    id
    name
  }
}
`;

let members: MembersStack;
let directory: string;
let organizationId: string;
let keyA: string; // of the partner, with its own manifest
let keyAId: string;
let keyB: string; // of the same partner, without one
let otherKey: string; // of another partner
let codegenManifest: Record<string, string>;
const gateways = {} as Record<TrustedDocumentsMode, TestGateway>;

beforeAll(async () => {
  members = await startMembersStack();
  organizationId = await createOrganization(members.db, '試験市 (Test City)');
  const otherOrganizationId = await createOrganization(members.db, '別の市 (another city)');
  ({ key: keyA, keyId: keyAId } = await createApiKey(members.db, { organizationId }));
  ({ key: keyB } = await createApiKey(members.db, { organizationId }));
  ({ key: otherKey } = await createApiKey(members.db, { organizationId: otherOrganizationId }));

  codegenManifest = await generateCodegenManifest(CODEGEN_OPERATION);
  directory = await mkdtemp(join(GATEWAY_DIR, 'node_modules', '.cache', 'hub-trusted-'));
  await mkdir(join(directory, 'organizations'));
  await mkdir(join(directory, 'keys'));
  await writeManifest(join(directory, 'web.json'), [GLOBAL_DOCUMENT]);
  await writeFile(
    join(directory, 'organizations', `${organizationId}.json`),
    JSON.stringify({
      ...manifestOf([ORGANIZATION_DOCUMENT, STALE_DOCUMENT]),
      ...codegenManifest,
    }),
  );
  await writeManifest(join(directory, 'keys', `${keyAId}.json`), [KEY_DOCUMENT]);

  for (const mode of ['off', 'allow-listed-and-arbitrary', 'strict'] as const) {
    gateways[mode] = await startGatewayOverMembers(members.membersUrl, {
      trustedDocuments: { mode, path: directory },
    });
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(Object.values(gateways).map((gateway) => gateway.stop()));
  await members?.stop();
  if (directory) await rm(directory, { recursive: true, force: true });
});

function manifestOf(documents: string[]): Record<string, string> {
  return Object.fromEntries(documents.map((document) => [idOf(document), document]));
}

function writeManifest(path: string, documents: string[]) {
  return writeFile(path, JSON.stringify(manifestOf(documents)));
}

type Send = {
  headers?: Record<string, string>;
  body: Record<string, unknown>;
};

async function send(gateway: TestGateway, { headers, body }: Send) {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ variables: { id: organizationId }, ...body }),
  });
  return {
    status: response.status,
    requestId: response.headers.get('x-request-id'),
    body: (await response.json()) as GraphQLBody,
  };
}

async function sendGet(gateway: TestGateway, params: Record<string, string>) {
  const search = new URLSearchParams({
    variables: JSON.stringify({ id: organizationId }),
    ...params,
  });
  const response = await fetch(`${gateway.url}?${search}`, {
    // A GET needs a header no simple (CSRF-able) request carries.
    headers: { 'apollo-require-preflight': 'true' },
  });
  return { status: response.status, body: (await response.json()) as GraphQLBody };
}

const byDocumentId = (document: string) => ({ documentId: idOf(document) });
const byHash = (document: string) => ({
  extensions: { persistedQuery: { version: 1, sha256Hash: sha256(document) } },
});
const apiKey = (key: string) => ({ 'x-api-key': key });
const CITY = { organization: { id: expect.any(String), name: '試験市 (Test City)' } };

/** Sends `body` to the strict gateway: a 403 with `code`, and members never asked. */
async function expectRefusedBeforeMembers(
  body: Record<string, unknown>,
  code: string,
  text: string,
) {
  const before = members.queryCount();
  const result = await send(gateways.strict, { body });

  expect(result.status).toBe(403);
  expect(result.body).toEqual({
    errors: [{ message: expect.stringContaining(text), extensions: { code } }],
  });
  expect(members.queryCount()).toBe(before);
  return result;
}

describe('strict mode', () => {
  test.each([
    ['documentId ("sha256:…", GraphQL over HTTP)', byDocumentId(GLOBAL_DOCUMENT)],
    ['documentId as bare hex', { documentId: sha256(GLOBAL_DOCUMENT) }],
    ['an APQ hash alone', byHash(GLOBAL_DOCUMENT)],
    ['its full text', { query: GLOBAL_DOCUMENT }],
    ['its full text with its APQ hash', { query: GLOBAL_DOCUMENT, ...byHash(GLOBAL_DOCUMENT) }],
  ])('a manifest operation runs, sent by %s', async (_name, body) => {
    const { status, body: answer } = await send(gateways.strict, { body });

    expect({ status, answer }).toEqual({ status: 200, answer: { data: CITY } });
  });

  test('a manifest operation runs by GET with its documentId or hash (cacheable URLs)', async () => {
    const byId = await sendGet(gateways.strict, { documentId: idOf(GLOBAL_DOCUMENT) });
    const byApq = await sendGet(gateways.strict, {
      extensions: JSON.stringify(byHash(GLOBAL_DOCUMENT).extensions),
    });

    expect(byId).toEqual({ status: 200, body: { data: CITY } });
    expect(byApq).toEqual({ status: 200, body: { data: CITY } });
  });

  test('an operation not in the manifest is refused with OPERATION_NOT_TRUSTED, before members', async () => {
    const { requestId } = await expectRefusedBeforeMembers(
      { query: ARBITRARY_DOCUMENT },
      'OPERATION_NOT_TRUSTED',
      'this operation is not in the trusted documents',
    );

    const line = gateways.strict.logs.find(
      (log) => log.msg === 'graphql request' && log.requestId === requestId,
    );
    expect(line).toMatchObject({
      status: 403,
      errorCodes: ['OPERATION_NOT_TRUSTED'],
      refusal: 'operation not trusted',
    });
  });

  test('registering an operation by APQ does not get it in either', async () => {
    const register = await send(gateways.strict, {
      body: { query: ARBITRARY_DOCUMENT, ...byHash(ARBITRARY_DOCUMENT) },
    });
    const replay = await send(gateways.strict, { body: byHash(ARBITRARY_DOCUMENT) });

    expect(register.status).toBe(403);
    expect(register.body.errors?.[0]?.extensions).toEqual({ code: 'OPERATION_NOT_TRUSTED' });
    expect(replay.status).toBe(403);
    expect(replay.body.errors?.[0]?.extensions).toEqual({ code: 'PERSISTED_QUERY_NOT_ALLOWED' });
  });

  test.each([
    ['documentId', byDocumentId(ARBITRARY_DOCUMENT)],
    ['APQ hash', byHash(ARBITRARY_DOCUMENT)],
  ])('an unknown %s is refused with PERSISTED_QUERY_NOT_ALLOWED', async (_name, body) => {
    await expectRefusedBeforeMembers(
      body,
      'PERSISTED_QUERY_NOT_ALLOWED',
      'not in the trusted documents for this caller',
    );
  });

  test.each([
    ['a malformed documentId', { documentId: 'sha1:abc' }],
    ['documentId with a query', { ...byDocumentId(GLOBAL_DOCUMENT), query: GLOBAL_DOCUMENT }],
    [
      'documentId with an APQ hash',
      { ...byDocumentId(GLOBAL_DOCUMENT), ...byHash(GLOBAL_DOCUMENT) },
    ],
  ])('%s is a 400 BAD_REQUEST', async (_name, body) => {
    const { status, body: answer } = await send(gateways.strict, { body });

    expect(status).toBe(400);
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_REQUEST']);
  });

  test('a manifest document sent with a hash that is not its own is refused as a mismatch', async () => {
    const { status, body } = await send(gateways.strict, {
      body: { query: GLOBAL_DOCUMENT, ...byHash(KEY_DOCUMENT) },
    });

    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'PERSISTED_QUERY_HASH_MISMATCH' });
  });
});

describe('documents the schema refuses', () => {
  test('are named in a warning at start, and refused as invalid when requested', async () => {
    const warning = gateways.strict.logs.find(
      (log) => log.msg === 'trusted document not valid against the API schema',
    );
    const { status, body } = await send(gateways.strict, {
      headers: apiKey(keyB),
      body: byDocumentId(STALE_DOCUMENT),
    });

    expect(warning).toMatchObject({
      level: 40,
      manifest: `organizations/${organizationId}`,
      hash: sha256(STALE_DOCUMENT),
      errors: [expect.stringContaining('formerName')],
    });
    expect(gateways.strict.logs.filter((log) => log.msg === warning?.msg)).toHaveLength(1);
    expect(status).toBe(400);
    expect(body.errors?.map((error) => error.extensions?.code)).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);
  });
});

describe('per-partner manifests (strict mode)', () => {
  test.each([
    ['anonymous', null, { global: true, organization: false, key: false }],
    ['the key with its own manifest', 'A', { global: true, organization: true, key: true }],
    ['another key of its organisation', 'B', { global: true, organization: true, key: false }],
    ['a key of another partner', 'other', { global: true, organization: false, key: false }],
  ] as const)('%s may run what its manifests allow', async (_name, caller, expected) => {
    const keys = { A: keyA, B: keyB, other: otherKey };
    const headers = caller ? apiKey(keys[caller]) : {};
    const runs = async (document: string) =>
      (await send(gateways.strict, { headers, body: byDocumentId(document) })).status === 200;

    expect({
      global: await runs(GLOBAL_DOCUMENT),
      organization: await runs(ORGANIZATION_DOCUMENT),
      key: await runs(KEY_DOCUMENT),
    }).toEqual(expected);
  });

  test("another partner's document is refused as unknown, never named as someone else's", async () => {
    const { status, body } = await send(gateways.strict, {
      headers: apiKey(otherKey),
      body: byDocumentId(KEY_DOCUMENT),
    });

    expect(status).toBe(403);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'PERSISTED_QUERY_NOT_ALLOWED' });
  });
});

describe("a manifest from GraphQL Code Generator's client preset", () => {
  test('holds the .graphql operation under its sha256 document id', () => {
    const [id, document] = Object.entries(codegenManifest)[0] ?? [];

    expect(Object.keys(codegenManifest)).toHaveLength(1);
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(document).toContain('query CodegenOrganization($id: ID!)');
    // The guide's transform: Apollo Client's cache needs __typename in what the hub runs.
    expect(document).toContain('__typename');
  });

  test("runs by the documentId the generated client sends, for that partner's keys", async () => {
    const [documentId] = Object.keys(codegenManifest);

    const partner = await send(gateways.strict, { headers: apiKey(keyB), body: { documentId } });
    const anonymous = await send(gateways.strict, { body: { documentId } });

    expect(partner).toMatchObject({ status: 200, body: { data: CITY } });
    expect(anonymous.status).toBe(403);
  });
});

describe('allow-listed-and-arbitrary mode', () => {
  test('a manifest operation runs by documentId', async () => {
    const { status, body } = await send(gateways['allow-listed-and-arbitrary'], {
      body: byDocumentId(GLOBAL_DOCUMENT),
    });

    expect({ status, body }).toEqual({ status: 200, body: { data: CITY } });
  });

  test('an operation not in the manifest runs and is logged with its hash', async () => {
    const gateway = gateways['allow-listed-and-arbitrary'];
    const { status, body, requestId } = await send(gateway, {
      headers: apiKey(keyB),
      body: { query: ARBITRARY_DOCUMENT, operationName: 'Arbitrary' },
    });

    expect(status).toBe(200);
    expect(body.data).toEqual({ organization: { id: organizationId, name: '試験市 (Test City)' } });
    expect(
      gateway.logs.find(
        (log) =>
          log.msg === 'operation not in the trusted documents' && log.requestId === requestId,
      ),
    ).toMatchObject({
      caller: 'partner',
      operationName: 'Arbitrary',
      documentHash: sha256(ARBITRARY_DOCUMENT),
    });
  });

  test('APQ still registers arbitrary operations', async () => {
    const gateway = gateways['allow-listed-and-arbitrary'];
    const query = 'query Registered($id: ID!) { organization(id: $id) { id name } }';
    const first = await send(gateway, { body: byHash(query) });
    const register = await send(gateway, { body: { query, ...byHash(query) } });
    const replay = await send(gateway, { body: byHash(query) });

    expect(first.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(register.body).toEqual({ data: CITY });
    expect(replay.body).toEqual({ data: CITY });
  });

  test('an unknown documentId is PERSISTED_QUERY_NOT_FOUND (nothing to fall back to)', async () => {
    const { status, body } = await send(gateways['allow-listed-and-arbitrary'], {
      body: byDocumentId(ARBITRARY_DOCUMENT),
    });

    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'PERSISTED_QUERY_NOT_FOUND' });
  });
});

describe('off mode (the default)', () => {
  test('any operation runs, and a manifest is not consulted', async () => {
    const arbitrary = await send(gateways.off, { body: { query: ARBITRARY_DOCUMENT } });
    const byId = await send(gateways.off, { body: byDocumentId(GLOBAL_DOCUMENT) });

    expect(arbitrary.status).toBe(200);
    expect(arbitrary.body.errors).toBeUndefined();
    // As before trusted documents: Apollo Server does not know documentId.
    expect(byId.status).toBe(400);
    expect(byId.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(
      gateways.off.logs.some(
        (log) => log.msg.startsWith('TRUSTED_DOCUMENTS is set') && log.level === 40,
      ),
    ).toBe(true);
  });
});

/**
 * The codegen configuration docs/trusted-documents.md gives partners ("How a partner generates
 * its manifest"), run as a partner's project would run it: against the committed public schema,
 * on a .graphql file. Returns the `persisted-documents.json` it writes.
 */
async function generateCodegenManifest(operation: string): Promise<Record<string, string>> {
  const guide = await readFile(GUIDE_PATH, 'utf8');
  const section = guide.split(/^### /m).find((part) => part.startsWith('How a partner generates'));
  const config = section && /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!config) throw new Error(`${GUIDE_PATH} has no codegen.ts under "How a partner generates"`);
  const cache = join(GATEWAY_DIR, 'node_modules', '.cache');
  await mkdir(cache, { recursive: true });
  const project = await mkdtemp(join(cache, 'hub-client-preset-'));
  try {
    await mkdir(join(project, 'src'));
    await mkdir(join(project, 'coworking-hub'));
    await copyFile(PUBLIC_SCHEMA_PATH, join(project, 'coworking-hub', 'public-schema.graphql'));
    await writeFile(join(project, 'src', 'organization.graphql'), operation);
    await writeFile(join(project, 'codegen.ts'), config);
    const run = spawnSync(
      join(GATEWAY_DIR, 'node_modules', '.bin', 'graphql-codegen'),
      ['--config', 'codegen.ts'],
      { cwd: project, encoding: 'utf8', env: { ...process.env, CI: 'true' } },
    );
    if (run.status !== 0) throw new Error(`graphql-codegen failed: ${run.stdout}${run.stderr}`);
    return JSON.parse(
      await readFile(join(project, 'src', 'gql', 'persisted-documents.json'), 'utf8'),
    ) as Record<string, string>;
  } finally {
    await rm(project, { recursive: true, force: true });
  }
}
