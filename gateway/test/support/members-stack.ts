import { createHash, randomBytes, randomUUID, type webcrypto } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInProcessBus, type EventBus } from '@hub/event-bus';
import {
  ACCESS_TOKEN,
  accessTokenClaims,
  CONSENT_PURPOSES,
  type MemberIdentity,
  PARTNER_SCOPES,
  type PartnerScope,
} from '@hub/identity';
import { startMembersService } from '@hub/members';
import { type Stack, startStack, TEST_GATEWAY_SECRET, testPool } from '@hub/testing';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import type pg from 'pg';
import { pino } from 'pino';
import { type GatewayOptions, startGateway } from '../../src/app.js';
import type { LogLine, TestGateway } from './test-gateway.js';

const require = createRequire(import.meta.url);
const MEMBERS_MIGRATIONS = join(
  dirname(dirname(require.resolve('@hub/members'))),
  'prisma',
  'migrations',
);
// Subgraphs these tests do not start: nothing listens on port 9 locally.
export const UNUSED_URL = 'http://127.0.0.1:9/graphql';

export type MembersStack = {
  stack: Stack;
  /** Members' own database: signing keys and API keys are written here as members would. */
  db: pg.Pool;
  membersUrl: string;
  /** GraphQL requests members has run (the 429 tests prove nothing reached it). */
  queryCount(): number;
  stop(): Promise<void>;
};

/** The real members subgraph on a fresh database (startStack), without a gateway. */
export async function startMembersStack(): Promise<MembersStack> {
  const logger = pino({ level: 'silent' });
  const bus: EventBus = createInProcessBus({ logger });
  const stack = await startStack<EventBus>({
    services: [{ name: 'members', migrationsDir: MEMBERS_MIGRATIONS, start: startMembersService }],
    bus,
    logger,
  });
  const members = stack.services.members!;
  const db = testPool(members.databaseUrl);
  return {
    stack,
    db,
    membersUrl: members.url,
    queryCount: () => members.queryCount(),
    async stop() {
      await db.end();
      await stack.stop();
      await bus.close();
    },
  };
}

/** The real gateway over the committed supergraph, routing `members` to the stack's. */
export async function startGatewayOverMembers(
  membersUrl: string,
  overrides: Partial<GatewayOptions> = {},
): Promise<TestGateway> {
  const logs: LogLine[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => logs.push(JSON.parse(line) as LogLine) },
  );
  const gateway = await startGateway({
    port: 0,
    gatewaySecret: TEST_GATEWAY_SECRET,
    subgraphUrls: {
      spaces: UNUSED_URL,
      members: membersUrl,
      events: UNUSED_URL,
      matching: UNUSED_URL,
      'support-programs': UNUSED_URL,
    },
    logger,
    ...overrides,
  });
  return { ...gateway, origin: new URL(gateway.url).origin, logs };
}

export type SigningKey = { kid: string; privateKey: webcrypto.CryptoKey };

/** The key members signs access tokens with now, read from its database. */
export async function activeSigningKey(db: pg.Pool): Promise<SigningKey> {
  const { rows } = await db.query<{ kid: string; private_jwk: JWK }>(
    'SELECT kid, private_jwk FROM signing_key WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1',
  );
  const row = rows[0];
  if (!row) throw new Error('members has no active signing key');
  return {
    kid: row.kid,
    privateKey: (await importJWK(row.private_jwk, ACCESS_TOKEN.algorithm)) as webcrypto.CryptoKey,
  };
}

/** A rotation as members does it: a new key signs from now on, the old one stays published. */
export async function rotateSigningKey(db: pg.Pool): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', {
    crv: 'Ed25519',
    extractable: true,
  });
  const kid = randomUUID();
  const publicJwk = {
    ...(await exportJWK(publicKey)),
    kid,
    alg: ACCESS_TOKEN.algorithm,
    use: 'sig',
  };
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: ACCESS_TOKEN.algorithm };
  await db.query('UPDATE signing_key SET retired_at = now() WHERE retired_at IS NULL');
  await db.query('INSERT INTO signing_key (kid, public_jwk, private_jwk) VALUES ($1, $2, $3)', [
    kid,
    publicJwk,
    privateJwk,
  ]);
  return { kid, privateKey };
}

/** A member as an access token would describe them. */
export function aMember(overrides: Partial<MemberIdentity> = {}): MemberIdentity {
  return {
    kind: 'member',
    memberId: randomUUID(),
    sessionId: randomUUID(),
    roles: [],
    staffOf: [],
    ...overrides,
  };
}

export type AccessTokenOverrides = {
  issuer?: string;
  audience?: string;
  /** Epoch seconds. */
  expiresAt?: number;
  kid?: string;
};

/** Signs an access token exactly as members does (ACCESS_TOKEN, accessTokenClaims). */
export function signAccessToken(
  key: SigningKey,
  identity: MemberIdentity,
  overrides: AccessTokenOverrides = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(accessTokenClaims(identity))
    .setProtectedHeader({ alg: ACCESS_TOKEN.algorithm, kid: overrides.kid ?? key.kid })
    .setIssuer(overrides.issuer ?? ACCESS_TOKEN.issuer)
    .setAudience(overrides.audience ?? ACCESS_TOKEN.audience)
    .setIssuedAt(now)
    .setExpirationTime(overrides.expiresAt ?? now + ACCESS_TOKEN.lifetimeSeconds)
    .sign(key.privateKey);
}

/**
 * A municipality as members stores it; by default a partner a hub admin granted every scope and
 * purpose (members verifies only keys of partners within their ceiling), else none.
 */
export async function createOrganization(
  db: pg.Pool,
  name: string,
  partner: { scopes: PartnerScope[]; purposes: string[] } | null = {
    scopes: [...PARTNER_SCOPES],
    purposes: [...CONSENT_PURPOSES],
  },
): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO organization (id, name, kind, updated_at) VALUES ($1, $2, 'municipality', now())`,
    [id, name],
  );
  if (partner) {
    await db.query(
      `INSERT INTO partnership (organization_id, basis, scopes, purposes, granted_at, updated_at)
       VALUES ($1, 'municipality', $2, $3, now(), now())`,
      [id, partner.scopes, partner.purposes],
    );
  }
  return id;
}

export type ApiKeyRow = {
  organizationId: string;
  scopes?: PartnerScope[];
  purpose?: string | null;
  rateLimitPerMinute?: number;
  revokedAt?: Date | null;
  expiresAt?: Date | null;
};

/** A partner key as members stores it (only its SHA-256); returns the key and its id. */
export async function createApiKey(
  db: pg.Pool,
  row: ApiKeyRow,
): Promise<{ key: string; keyId: string }> {
  const key = `hub_${randomBytes(32).toString('base64url')}`;
  const keyId = randomUUID();
  await db.query(
    `INSERT INTO api_key (id, organization_id, name, prefix, key_hash, scopes, purpose,
       rate_limit_per_minute, revoked_at, expires_at)
     VALUES ($1, $2, 'gateway test', $3, $4, $5, $6, $7, $8, $9)`,
    [
      keyId,
      row.organizationId,
      key.slice(0, 10),
      createHash('sha256').update(key, 'utf8').digest('hex'),
      row.scopes ?? ['public:read'],
      row.purpose ?? null,
      row.rateLimitPerMinute ?? 600,
      row.revokedAt ?? null,
      row.expiresAt ?? null,
    ],
  );
  return { key, keyId };
}

export const ORGANIZATION_QUERY = `query Organization($id: ID!) { organization(id: $id) { id name } }`;
