import { createHash } from 'node:crypto';
import type { Identity } from '@hub/identity';
import { asAdmin, asMember, asPartner, TEST_GATEWAY_SECRET } from '@hub/testing';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { codeOf, useMembers } from '../../test/support/index.js';

// Partner API keys: GraphQL management and the gateway's internal verify route.
const hub = useMembers();
let organizationId: string;
let otherOrganizationId: string;

beforeAll(async () => {
  const create = (name: string) =>
    hub.prisma.organization.create({ data: { name, kind: 'MUNICIPALITY' } });
  organizationId = (await create('小樽市')).id;
  otherOrganizationId = (await create('函館市')).id;
}, 60_000);

const ADMIN_ID = '0196f3b4-6c1e-7000-8000-0000000000a1';
const orgAdmin = (orgId: string, memberId = ADMIN_ID) =>
  asMember(memberId, { staffOf: [{ organizationId: orgId, role: 'admin' }] });

type ApiKeyView = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  purpose: string | null;
  rateLimitPerMinute: number;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  isActive: boolean;
};
const API_KEY_FIELDS =
  'id name prefix scopes purpose rateLimitPerMinute createdAt expiresAt revokedAt lastUsedAt isActive';

const CREATE = `mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { ${API_KEY_FIELDS} } }
}`;

function createKey(
  input: Record<string, unknown>,
  identity: Identity | null = orgAdmin(organizationId),
) {
  return hub.gql<{ createApiKey: { secret: string; apiKey: ApiKeyView } }>(
    CREATE,
    { input: { organizationId, name: '移住相談システム', scopes: ['PUBLIC_READ'], ...input } },
    identity,
  );
}

async function newKey(input: Record<string, unknown> = {}) {
  const response = await createKey(input);
  expect(response.errors).toBeUndefined();
  return response.data!.createApiKey;
}

function revokeKey(id: string, identity: Identity | null = orgAdmin(organizationId)) {
  return hub.gql<{ revokeApiKey: ApiKeyView }>(
    `mutation($id: ID!) { revokeApiKey(id: $id) { ${API_KEY_FIELDS} } }`,
    { id },
    identity,
  );
}

async function verify(key: string, credential = TEST_GATEWAY_SECRET) {
  const response = await fetch(new URL('/_internal/api-keys/verify', hub.service.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-gateway-credential': credential },
    body: JSON.stringify({ key }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('createApiKey', () => {
  it('returns the secret once and stores only its hash, with an audit entry', async () => {
    const { secret, apiKey } = await newKey({
      scopes: ['PUBLIC_READ', 'MEMBERS_PERSONAL_READ'],
      purpose: 'MUNICIPAL_RELOCATION_SUPPORT',
      rateLimitPerMinute: 120,
    });
    expect(secret).toMatch(/^hub_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({
      name: '移住相談システム',
      prefix: secret.slice(4, 12),
      scopes: ['PUBLIC_READ', 'MEMBERS_PERSONAL_READ'],
      purpose: 'MUNICIPAL_RELOCATION_SUPPORT',
      rateLimitPerMinute: 120,
      expiresAt: null,
      revokedAt: null,
      lastUsedAt: null,
      isActive: true,
    });
    const row = await hub.prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(row.keyHash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(secret.slice(4));
    expect(row.createdById).toBe(ADMIN_ID);
    const audit = await hub.prisma.auditLogEntry.findMany({ where: { apiKeyId: apiKey.id } });
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'API_KEY_CREATED',
        actorMemberId: ADMIN_ID,
        organizationId,
        requestId: expect.any(String),
      }),
    ]);
  });

  it('is for the organisation’s admins and hub admins only', async () => {
    expect(codeOf(await createKey({}, null))).toBe('UNAUTHENTICATED');
    expect(codeOf(await createKey({}, orgAdmin(otherOrganizationId)))).toBe('FORBIDDEN');
    const staff = asMember(ADMIN_ID, { staffOf: [{ organizationId, role: 'coordinator' }] });
    expect(codeOf(await createKey({}, staff))).toBe('FORBIDDEN');
    expect(codeOf(await createKey({}, asPartner({ organizationId })))).toBe('FORBIDDEN');
    expect((await createKey({}, asAdmin())).errors).toBeUndefined();
  });

  it('needs a purpose for personal data, a future expiry and a known organisation', async () => {
    const personal = await createKey({ scopes: ['MEMBERS_PERSONAL_READ'] });
    expect(personal.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'purpose',
    });
    const past = await createKey({ expiresAt: new Date(Date.now() - 60_000).toISOString() });
    expect(past.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'expiresAt',
    });
    const none = await createKey({ scopes: [] });
    expect(none.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'scopes' });
    const unknown = await createKey(
      { organizationId: '0196f3b4-6c1e-7000-8000-0000000000ff' },
      asAdmin(),
    );
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('apiKeys', () => {
  const LIST = `query($organizationId: ID!) { apiKeys(organizationId: $organizationId) { id prefix } }`;

  it('lists an organisation’s keys for its admins, never the hash', async () => {
    const { apiKey } = await newKey({ name: '一覧用' });
    const listed = await hub.gql<{ apiKeys: { id: string }[] }>(
      LIST,
      { organizationId },
      orgAdmin(organizationId),
    );
    expect(listed.data!.apiKeys.map((key) => key.id)).toContain(apiKey.id);
    const other = await hub.gql(LIST, { organizationId }, orgAdmin(otherOrganizationId));
    expect(codeOf(other)).toBe('FORBIDDEN');
    const hash = await hub.gql(
      'query($o: ID!) { apiKeys(organizationId: $o) { keyHash } }',
      { o: organizationId },
      asAdmin(),
    );
    expect(codeOf(hash)).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('revokeApiKey', () => {
  it('revokes for the organisation’s admins, with an audit entry', async () => {
    const { apiKey } = await newKey();
    expect(codeOf(await revokeKey(apiKey.id, orgAdmin(otherOrganizationId)))).toBe('FORBIDDEN');
    expect(codeOf(await revokeKey(apiKey.id, null))).toBe('UNAUTHENTICATED');
    const revoked = await revokeKey(apiKey.id);
    expect(revoked.data!.revokeApiKey).toMatchObject({
      revokedAt: expect.any(String),
      isActive: false,
    });
    const audit = await hub.prisma.auditLogEntry.findMany({
      where: { apiKeyId: apiKey.id },
      orderBy: { at: 'asc' },
    });
    expect(audit.map((entry) => entry.action)).toEqual(['API_KEY_CREATED', 'API_KEY_REVOKED']);
  });

  it('tells only hub admins that a key does not exist', async () => {
    const unknown = '0196f3b4-6c1e-7000-8000-0000000000fe';
    expect(codeOf(await revokeKey(unknown))).toBe('FORBIDDEN');
    expect(codeOf(await revokeKey(unknown, asAdmin()))).toBe('NOT_FOUND');
    expect(codeOf(await revokeKey('not-a-uuid', asAdmin()))).toBe('BAD_USER_INPUT');
  });
});

describe('POST /_internal/api-keys/verify', () => {
  it('answers the gateway with the key’s scopes and records its use', async () => {
    const { secret, apiKey } = await newKey({
      scopes: ['STATISTICS_READ', 'MEMBERS_PERSONAL_READ'],
      purpose: 'WORK_MATCHING',
      rateLimitPerMinute: 60,
    });
    expect(await verify(secret)).toEqual({
      status: 200,
      body: {
        keyId: apiKey.id,
        organizationId,
        scopes: ['statistics:read', 'members:personal:read'],
        purpose: 'work-matching',
        rateLimitPerMinute: 60,
      },
    });
    const row = await hub.prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(row.lastUsedAt).toBeInstanceOf(Date);
  });

  it('answers 401 with why a key is refused', async () => {
    const revoked = await newKey();
    await revokeKey(revoked.apiKey.id);
    expect(await verify(revoked.secret)).toEqual({
      status: 401,
      body: { code: 'API_KEY_REVOKED' },
    });

    const expired = await newKey({ expiresAt: new Date(Date.now() + 60_000).toISOString() });
    await hub.prisma.apiKey.update({
      where: { id: expired.apiKey.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await verify(expired.secret)).toEqual({
      status: 401,
      body: { code: 'API_KEY_EXPIRED' },
    });

    expect(await verify(`hub_${'x'.repeat(43)}`)).toEqual({
      status: 401,
      body: { code: 'UNAUTHENTICATED' },
    });
  });

  it('is for the gateway only', async () => {
    const { secret } = await newKey();
    expect((await verify(secret, 'not-the-gateway-secret')).status).toBe(401);
  });
});
