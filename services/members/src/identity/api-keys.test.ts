import { createHash } from 'node:crypto';
import type { Identity } from '@hub/identity';
import { asAdmin, asMember, asPartner, TEST_GATEWAY_SECRET } from '@hub/testing';
import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  codeOf,
  newOrganization,
  newPartner,
  TYPED_ERROR,
  useMembers,
} from '../../test/support/index.js';
import { updatePartnership } from '../domain/partners/update-partnership.js';
import { withdrawPartnership } from '../domain/partners/withdraw-partnership.js';

// Partner API keys: GraphQL management and the gateway's internal verify route.
const hub = useMembers();
/** Partners with every scope and purpose. */
let organizationId: string;
let otherOrganizationId: string;
const byHub = { memberId: null, requestId: null };

beforeAll(async () => {
  organizationId = await newPartner(hub.prisma, { name: '小樽市' });
  otherOrganizationId = await newPartner(hub.prisma, { name: '函館市' });
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
  createApiKey(input: $input) {
    __typename ${TYPED_ERROR}
    ... on CreateApiKeySuccess { issuedKey { secret apiKey { ${API_KEY_FIELDS} } } }
  }
}`;

type Created = {
  __typename: string;
  issuedKey: { secret: string; apiKey: ApiKeyView };
  code?: string;
  field?: string | null;
};

function createKey(
  input: Record<string, unknown>,
  identity: Identity | null = orgAdmin(organizationId),
) {
  return hub.gql<{ createApiKey: Created }>(
    CREATE,
    { input: { organizationId, name: '移住相談システム', scopes: ['PUBLIC_READ'], ...input } },
    identity,
  );
}

async function newKey(input: Record<string, unknown> = {}) {
  const response = await createKey(input);
  expect(response.errors).toBeUndefined();
  expect(response.data!.createApiKey.__typename).toBe('CreateApiKeySuccess');
  return response.data!.createApiKey.issuedKey;
}

function revokeKey(id: string, identity: Identity | null = orgAdmin(organizationId)) {
  return hub.gql<{
    revokeApiKey: { __typename: string; apiKey: ApiKeyView; code?: string; field?: string };
  }>(
    `mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) {
      __typename ${TYPED_ERROR} ... on RevokeApiKeySuccess { apiKey { ${API_KEY_FIELDS} } } } }`,
    { input: { id } },
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

  it('needs a purpose for personal data, a future expiry and a known organisation — typed, nothing written', async () => {
    const keysBefore = await hub.prisma.apiKey.count();
    const auditBefore = await hub.prisma.auditLogEntry.count();
    const refusals: [Record<string, unknown>, string, string, string][] = [
      [{ scopes: ['MEMBERS_PERSONAL_READ'] }, 'InvalidInputError', 'BAD_USER_INPUT', 'purpose'],
      [
        { expiresAt: new Date(Date.now() - 60_000).toISOString() },
        'InvalidInputError',
        'BAD_USER_INPUT',
        'expiresAt',
      ],
      [{ scopes: [] }, 'InvalidInputError', 'BAD_USER_INPUT', 'scopes'],
      [
        { organizationId: '0196f3b4-6c1e-7000-8000-0000000000ff' },
        'NotFoundError',
        'NOT_FOUND',
        'organizationId',
      ],
    ];
    for (const [input, __typename, code, field] of refusals) {
      const response = await createKey(input, asAdmin());
      expect(response.errors).toBeUndefined();
      expect(response.data!.createApiKey).toMatchObject({
        __typename,
        code,
        field: `input.${field}`,
      });
    }
    expect(await hub.prisma.apiKey.count()).toBe(keysBefore);
    expect(await hub.prisma.auditLogEntry.count()).toBe(auditBefore);
  });
});

describe('createApiKey: partners only, within their ceiling', () => {
  it('refuses an organisation that is not a partner — whoever asks, hub admins included', async () => {
    // The review's reproduction: any member may create an organisation and become its admin.
    const notPartner = await newOrganization(hub.prisma);
    for (const identity of [orgAdmin(notPartner), asAdmin()]) {
      const response = await createKey(
        {
          organizationId: notPartner,
          scopes: ['MEMBERS_PERSONAL_READ'],
          purpose: 'MUNICIPAL_RELOCATION_SUPPORT',
        },
        identity,
      );
      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: 'NOT_A_PARTNER',
        field: 'organizationId',
      });
    }
    expect(await hub.prisma.apiKey.count({ where: { organizationId: notPartner } })).toBe(0);
  });

  it('refuses scopes and purposes beyond the ceiling, naming which', async () => {
    const limited = await newPartner(hub.prisma, {
      scopes: ['public:read', 'members:personal:read'],
      purposes: ['municipal-relocation-support'],
    });
    const admin = orgAdmin(limited);
    const scope = await createKey({ organizationId: limited, scopes: ['STATISTICS_READ'] }, admin);
    expect(scope.errors?.[0]?.extensions).toMatchObject({
      code: 'OUTSIDE_PARTNER_CEILING',
      field: 'scopes',
    });
    const purpose = await createKey(
      { organizationId: limited, scopes: ['MEMBERS_PERSONAL_READ'], purpose: 'WORK_MATCHING' },
      admin,
    );
    expect(purpose.errors?.[0]?.extensions).toMatchObject({
      code: 'OUTSIDE_PARTNER_CEILING',
      field: 'purpose',
    });
    const within = await createKey(
      {
        organizationId: limited,
        scopes: ['MEMBERS_PERSONAL_READ'],
        purpose: 'MUNICIPAL_RELOCATION_SUPPORT',
      },
      admin,
    );
    expect(within.errors).toBeUndefined();
  });
});

describe('apiKeys', () => {
  const LIST = `query($organizationId: ID!) {
    apiKeys(organizationId: $organizationId, first: 100) { nodes { id prefix } } }`;

  it('lists an organisation’s keys for its admins, never the hash', async () => {
    const { apiKey } = await newKey({ name: '一覧用' });
    const listed = await hub.gql<{ apiKeys: { nodes: { id: string }[] } }>(
      LIST,
      { organizationId },
      orgAdmin(organizationId),
    );
    expect(listed.data!.apiKeys.nodes.map((key) => key.id)).toContain(apiKey.id);
    const other = await hub.gql(LIST, { organizationId }, orgAdmin(otherOrganizationId));
    expect(codeOf(other)).toBe('FORBIDDEN');
    const hash = await hub.gql(
      'query($o: ID!) { apiKeys(organizationId: $o) { nodes { keyHash } } }',
      { o: organizationId },
      asAdmin(),
    );
    expect(codeOf(hash)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('pages newest first with cursors, counts the organisation’s keys, and caps a page at 100', async () => {
    const partner = await newPartner(hub.prisma);
    const admin = orgAdmin(partner);
    for (const name of ['一', '二', '三']) {
      const minted = await createKey({ organizationId: partner, name }, admin);
      expect(minted.data!.createApiKey.__typename).toBe('CreateApiKeySuccess');
    }
    const expected = await hub.prisma.apiKey.findMany({
      where: { organizationId: partner },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { id: true },
    });
    type Page = {
      apiKeys: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string };
        nodes: { id: string }[];
      };
    };
    const PAGE = `query($o: ID!, $after: String) { apiKeys(organizationId: $o, first: 2, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } nodes { id } } }`;
    const first = await hub.gql<Page>(PAGE, { o: partner, after: null }, admin);
    const second = await hub.gql<Page>(
      PAGE,
      { o: partner, after: first.data!.apiKeys.pageInfo.endCursor },
      admin,
    );
    expect(first.data!.apiKeys.totalCount).toBe(3);
    expect(first.data!.apiKeys.pageInfo.hasNextPage).toBe(true);
    expect(second.data!.apiKeys.pageInfo.hasNextPage).toBe(false);
    expect([...first.data!.apiKeys.nodes, ...second.data!.apiKeys.nodes]).toEqual(expected);

    const tooMany = await hub.gql(
      'query($o: ID!) { apiKeys(organizationId: $o, first: 101) { nodes { id } } }',
      { o: partner },
      admin,
    );
    expect(tooMany.data).toBeNull();
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'first',
    });
  });
});

describe('revokeApiKey', () => {
  it('revokes for the organisation’s admins, with an audit entry', async () => {
    const { apiKey } = await newKey();
    expect(codeOf(await revokeKey(apiKey.id, orgAdmin(otherOrganizationId)))).toBe('FORBIDDEN');
    expect(codeOf(await revokeKey(apiKey.id, null))).toBe('UNAUTHENTICATED');
    const revoked = await revokeKey(apiKey.id);
    expect(revoked.data!.revokeApiKey.apiKey).toMatchObject({
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
    expect((await revokeKey(unknown, asAdmin())).data!.revokeApiKey).toMatchObject({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
      field: 'input.id',
    });
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

  it('refuses keys of organisations that are not partners, or no longer within the ceiling', async () => {
    const partner = await newPartner(hub.prisma);
    const admin = orgAdmin(partner);
    const minted = await createKey(
      {
        organizationId: partner,
        scopes: ['PUBLIC_READ', 'MEMBERS_PERSONAL_READ'],
        purpose: 'WORK_MATCHING',
      },
      admin,
    );
    const key = minted.data!.createApiKey.issuedKey;
    expect((await verify(key.secret)).status).toBe(200);

    // The hub admin lowers the ceiling: the key is refused and shown as inactive, not revoked.
    await updatePartnership(
      hub.prisma,
      {
        organizationId: partner,
        scopes: ['public:read', 'members:personal:read'],
        purposes: ['municipal-relocation-support'],
      },
      byHub,
    );
    expect(await verify(key.secret)).toEqual({
      status: 401,
      body: { code: 'OUTSIDE_PARTNER_CEILING' },
    });
    const listed = await hub.gql<{
      apiKeys: { nodes: { id: string; isActive: boolean; revokedAt: null }[] };
    }>(
      'query($o: ID!) { apiKeys(organizationId: $o) { nodes { id isActive revokedAt } } }',
      { o: partner },
      admin,
    );
    expect(listed.data!.apiKeys.nodes).toEqual([
      { id: key.apiKey.id, isActive: false, revokedAt: null },
    ]);
    // … and raises it again: the key works again.
    await updatePartnership(
      hub.prisma,
      {
        organizationId: partner,
        scopes: ['public:read', 'members:personal:read'],
        purposes: ['work-matching'],
      },
      byHub,
    );
    expect((await verify(key.secret)).status).toBe(200);

    // A key stored for an organisation that was never made a partner (as every key minted
    // before partner status existed): refused.
    const notPartner = await newOrganization(hub.prisma);
    const legacy = `hub_${'L'.repeat(43)}`;
    await hub.prisma.apiKey.create({
      data: {
        organizationId: notPartner,
        name: '旧キー (legacy)',
        prefix: 'LLLLLLLL',
        keyHash: createHash('sha256').update(legacy).digest('hex'),
        scopes: ['public:read', 'members:personal:read'],
        purpose: 'municipal-relocation-support',
      },
    });
    expect(await verify(legacy)).toEqual({ status: 401, body: { code: 'NOT_A_PARTNER' } });
  });

  it('withdrawing partner status revokes every key of the organisation, audited', async () => {
    const partner = await newPartner(hub.prisma);
    const keys = [];
    for (const name of ['一つ目', '二つ目']) {
      const minted = await createKey(
        { organizationId: partner, name, scopes: ['PUBLIC_READ'] },
        orgAdmin(partner),
      );
      keys.push(minted.data!.createApiKey.issuedKey);
    }
    await withdrawPartnership(hub.prisma, partner, { memberId: ADMIN_ID, requestId: 'req-w' });
    for (const key of keys) {
      expect(await verify(key.secret)).toEqual({ status: 401, body: { code: 'API_KEY_REVOKED' } });
    }
    const audit = await hub.prisma.auditLogEntry.findMany({
      where: { organizationId: partner, requestId: 'req-w' },
    });
    expect(audit.map((entry) => [entry.action, entry.apiKeyId]).sort()).toEqual(
      [
        ['API_KEY_REVOKED', keys[0]!.apiKey.id],
        ['API_KEY_REVOKED', keys[1]!.apiKey.id],
        ['PARTNERSHIP_WITHDRAWN', null],
      ].sort(),
    );
    const again = await createKey(
      { organizationId: partner, scopes: ['PUBLIC_READ'] },
      orgAdmin(partner),
    );
    expect(again.errors?.[0]?.extensions?.code).toBe('NOT_A_PARTNER');
  });

  it('is for the gateway only', async () => {
    const { secret } = await newKey();
    expect((await verify(secret, 'not-the-gateway-secret')).status).toBe(401);
  });
});
