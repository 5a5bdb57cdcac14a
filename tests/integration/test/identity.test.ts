import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type Auth,
  bearer,
  signUpHubAdmin,
  signUp as signUpIn,
  sql as sqlIn,
} from './support/accounts.js';
import { type HubStack, startHub } from './support/hub.js';

// Identity end to end: the real gateway verifying members' tokens and partner keys, every
// subgraph checking the forwarded identity, consent and erasure flowing over real NATS.
let hub: HubStack;

beforeAll(async () => {
  hub = await startHub({ gatewayOptions: { identity: { apiKeyCacheTtlMs: 200 } } });
}, 60_000);

afterAll(() => hub?.stop());

const signUp = (displayName: string, extra?: Record<string, unknown>) =>
  signUpIn(hub, displayName, extra);
const sql = <T extends Record<string, unknown>>(
  service: string,
  text: string,
  values?: unknown[],
) => sqlIn<T>(hub, service, text, values);

describe('members signing in through the gateway', () => {
  it('signs up, reads itself with the access token, and rotates its refresh token', async () => {
    const auth = await signUp('雲上 太郎');
    const me = await hub.query<{ me: { id: string; displayName: string } }>(
      '{ me { id displayName } }',
      {},
      bearer(auth.accessToken),
    );
    expect(me.data?.me).toEqual({ id: auth.member.id, displayName: '雲上 太郎' });
    expect(me.headers['ratelimit-limit']).toBeDefined();

    const refresh = `mutation ($t: String!) { refreshSession(input: { refreshToken: $t }) {
      __typename ... on RefreshSessionSuccess { session { accessToken refreshToken } }
      ... on CredentialError { code } } }`;
    type Refreshed = { refreshSession: { __typename: string; session: Auth; code?: string } };
    const rotated = await hub.query<Refreshed>(refresh, { t: auth.refreshToken });
    expect(rotated.data?.refreshSession.session.refreshToken).not.toBe(auth.refreshToken);
    // The used token again: theft suspected, the whole session ends (a typed CredentialError).
    const reused = await hub.query<Refreshed>(refresh, { t: auth.refreshToken });
    expect(reused.errors).toBeUndefined();
    expect(reused.data?.refreshSession).toEqual({
      __typename: 'CredentialError',
      code: 'REFRESH_TOKEN_REUSED',
    });
    const afterRevocation = await hub.query<Refreshed>(refresh, {
      t: rotated.data!.refreshSession.session.refreshToken,
    });
    expect(afterRevocation.data?.refreshSession.code).toBe('INVALID_REFRESH_TOKEN');
  });

  it('refuses a forged token with 401 UNAUTHENTICATED before any subgraph runs', async () => {
    const auth = await signUp('偽造 花子');
    const [header, payload] = auth.accessToken.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(86)}`;
    const response = await hub.query('{ me { id } }', {}, bearer(forged));
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('lets only authorised staff mutate: other subgraphs check the forwarded identity', async () => {
    const stranger = await signUp('通りすがり 次郎');
    const response = await hub.query(
      `mutation { createSpace(input: {
        name: "勝手なスペース", kind: COWORKING, municipalityCode: "012157",
        addressLine: "美唄市", latitude: 43.33, longitude: 141.85
      }) { __typename } }`,
      {},
      bearer(stranger.accessToken),
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await hub.query('{ exportMyData { memberId } }');
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('a partner municipality reading personal data', () => {
  let adminToken: string;
  let organizationId: string;
  let resident: Auth;
  let partnerKey: string;
  let keyId: string;

  beforeAll(async () => {
    adminToken = (await signUpHubAdmin(hub)).accessToken;
    const organization = await hub.query<{ createOrganization: { organization: { id: string } } }>(
      `mutation { createOrganization(input: {
        name: "美唄市 経済部", kind: MUNICIPALITY, municipalityCode: "012157"
      }) { ... on CreateOrganizationSuccess { organization { id } } ... on Error { __typename code message messageEn field } } }`,
      {},
      bearer(adminToken),
    );
    expect(organization.errors).toBeUndefined();
    organizationId = organization.data!.createOrganization.organization.id;
    const granted = await hub.query(
      `mutation ($input: GrantPartnershipInput!) { grantPartnership(input: $input) {
        ... on GrantPartnershipSuccess { partnership { isActive } } } }`,
      {
        input: {
          organizationId,
          basis: 'MUNICIPALITY',
          scopes: ['PUBLIC_READ', 'MEMBERS_PERSONAL_READ'],
          purposes: ['MUNICIPAL_RELOCATION_SUPPORT'],
        },
      },
      bearer(adminToken),
    );
    expect(granted.errors).toBeUndefined();
    expect(granted.data).toEqual({ grantPartnership: { partnership: { isActive: true } } });
    const key = await hub.query<{
      createApiKey: { issuedKey: { secret: string; apiKey: { id: string } } };
    }>(
      `mutation ($input: CreateApiKeyInput!) {
        createApiKey(input: $input) { ... on CreateApiKeySuccess { issuedKey { secret apiKey { id } } } }
      }`,
      {
        input: {
          organizationId,
          name: '移住支援システム',
          scopes: ['PUBLIC_READ', 'MEMBERS_PERSONAL_READ'],
          purpose: 'MUNICIPAL_RELOCATION_SUPPORT',
        },
      },
      bearer(adminToken),
    );
    expect(key.errors).toBeUndefined();
    partnerKey = key.data!.createApiKey.issuedKey.secret;
    keyId = key.data!.createApiKey.issuedKey.apiKey.id;

    resident = await signUp('移住 希望');
    const updated = await hub.query(
      'mutation ($i: UpdateMyProfileInput!) { updateMyProfile(input: $i) { __typename } }',
      { i: { availableHoursPerWeek: 12, homeMunicipalityCode: '131016' } },
      bearer(resident.accessToken),
    );
    expect(updated.data).toEqual({ updateMyProfile: { __typename: 'UpdateMyProfileSuccess' } });
  }, 30_000);

  const READ = `query ($id: ID!) { member(id: $id) { displayName availableHoursPerWeek homeMunicipalityCode } }`;
  type Read = {
    member: {
      displayName: string;
      availableHoursPerWeek: number | null;
      homeMunicipalityCode: string | null;
    };
  };

  it('is refused without the member’s consent, allowed with it, refused again after withdrawal', async () => {
    const asPartner = { 'x-api-key': partnerKey };
    const before = await hub.query<Read>(READ, { id: resident.member.id }, asPartner);
    expect(before.data?.member.displayName).toBe('移住 希望');
    expect(before.data?.member.availableHoursPerWeek).toBeNull();
    expect(before.errors?.map((error) => error.extensions?.code)).toContain('CONSENT_REQUIRED');

    const notices = await hub.query<{
      privacyNotices: { purpose: string; version: string }[];
    }>('{ privacyNotices { purpose version } }');
    const notice = notices.data!.privacyNotices.find(
      (entry) => entry.purpose === 'MUNICIPAL_RELOCATION_SUPPORT',
    )!;
    const granted = await hub.query(
      `mutation ($to: ID!, $p: ConsentPurpose!, $v: String!) {
        grantConsent(input: { recipientOrganizationId: $to, purpose: $p, noticeVersion: $v }) {
          ... on GrantConsentSuccess { consent { purpose } } } }`,
      { to: organizationId, p: notice.purpose, v: notice.version },
      bearer(resident.accessToken),
    );
    expect(granted.data).toEqual({ grantConsent: { consent: { purpose: notice.purpose } } });

    const allowed = await hub.query<Read>(READ, { id: resident.member.id }, asPartner);
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data?.member).toEqual({
      displayName: '移住 希望',
      availableHoursPerWeek: 12,
      homeMunicipalityCode: '131016',
    });

    // The member sees who read what, through which key.
    const audit = await hub.query<{
      me: { auditLog: { nodes: { action: string; apiKeyId: string; fields: string[] }[] } };
    }>(
      '{ me { auditLog { nodes { action apiKeyId fields } } } }',
      {},
      bearer(resident.accessToken),
    );
    expect(audit.data?.me.auditLog.nodes).toContainEqual(
      expect.objectContaining({
        action: 'PARTNER_READ',
        apiKeyId: keyId,
        fields: expect.arrayContaining(['availableHoursPerWeek', 'homeMunicipalityCode']),
      }),
    );

    const withdrawal = await hub.query(
      `mutation ($to: ID!, $p: ConsentPurpose!) {
        withdrawConsent(input: { recipientOrganizationId: $to, purpose: $p }) {
          ... on WithdrawConsentSuccess { consent { purpose } } } }`,
      { to: organizationId, p: notice.purpose },
      bearer(resident.accessToken),
    );
    expect(withdrawal.data).toEqual({ withdrawConsent: { consent: { purpose: notice.purpose } } });
    const withdrawn = await hub.query<Read>(READ, { id: resident.member.id }, asPartner);
    expect(withdrawn.data?.member.availableHoursPerWeek).toBeNull();
    expect(withdrawn.errors?.map((error) => error.extensions?.code)).toContain('CONSENT_REQUIRED');
  });

  it('stops a revoked key once the gateway’s short cache has expired', async () => {
    const key = await hub.query<{
      createApiKey: { issuedKey: { secret: string; apiKey: { id: string } } };
    }>(
      `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) {
        ... on CreateApiKeySuccess { issuedKey { secret apiKey { id } } } } }`,
      { input: { organizationId, name: '一時キー', scopes: ['PUBLIC_READ'] } },
      bearer(adminToken),
    );
    const asPartner = { 'x-api-key': key.data!.createApiKey.issuedKey.secret };
    expect((await hub.query('{ spaces { nodes { id } } }', {}, asPartner)).status).toBe(200);
    const revoked = await hub.query(
      `mutation ($id: ID!) { revokeApiKey(input: { id: $id }) {
        ... on RevokeApiKeySuccess { apiKey { isActive } } } }`,
      { id: key.data!.createApiKey.issuedKey.apiKey.id },
      bearer(adminToken),
    );
    expect(revoked.data).toEqual({ revokeApiKey: { apiKey: { isActive: false } } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const refused = await hub.query('{ spaces { nodes { id } } }', {}, asPartner);
    expect(refused.status).toBe(401);
    expect(refused.errors?.[0]?.extensions?.code).toBe('API_KEY_REVOKED');
  });
});

describe('the outside review’s reproduction: a plain member minting a partner key', () => {
  it('is refused: only organisations a hub admin made partners get keys', async () => {
    // Any member may create an organisation and become its admin …
    const member = await signUp('思惑 三郎');
    const created = await hub.query<{ createOrganization: { organization: { id: string } } }>(
      'mutation { createOrganization(input: { name: "x", kind: NONPROFIT }) { ... on CreateOrganizationSuccess { organization { id } } ... on Error { __typename code message messageEn field } } }',
      {},
      bearer(member.accessToken),
    );
    expect(created.errors).toBeUndefined();
    // … and gets its staff role with the next access token …
    const refreshed = await hub.query<{ refreshSession: { session: { accessToken: string } } }>(
      `mutation ($t: String!) { refreshSession(input: { refreshToken: $t }) {
        ... on RefreshSessionSuccess { session { accessToken } } } }`,
      { t: member.refreshToken },
    );
    const adminOfX = bearer(refreshed.data!.refreshSession.session.accessToken);
    // … but a key, let alone one for personal data, needs partner status.
    const key = await hub.query(
      `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) {
        ... on CreateApiKeySuccess { issuedKey { secret } } } }`,
      {
        input: {
          organizationId: created.data!.createOrganization.organization.id,
          name: 'k',
          scopes: ['MEMBERS_PERSONAL_READ'],
          purpose: 'MUNICIPAL_RELOCATION_SUPPORT',
        },
      },
      adminOfX,
    );
    expect(key.data).toBeNull();
    expect(key.errors?.[0]?.extensions?.code).toBe('NOT_A_PARTNER');
  });

  it('a withdrawn partner’s key stops at the gateway once its short cache has expired', async () => {
    const admin = bearer((await signUpHubAdmin(hub)).accessToken);
    const organization = await hub.query<{ createOrganization: { organization: { id: string } } }>(
      'mutation { createOrganization(input: { name: "取消市", kind: MUNICIPALITY }) { ... on CreateOrganizationSuccess { organization { id } } ... on Error { __typename code message messageEn field } } }',
      {},
      admin,
    );
    const organizationId = organization.data!.createOrganization.organization.id;
    await hub.query(
      `mutation ($input: GrantPartnershipInput!) { grantPartnership(input: $input) {
        ... on GrantPartnershipSuccess { partnership { isActive } } } }`,
      {
        input: { organizationId, basis: 'MUNICIPALITY', scopes: ['PUBLIC_READ'], purposes: [] },
      },
      admin,
    );
    const key = await hub.query<{ createApiKey: { issuedKey: { secret: string } } }>(
      `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) {
        ... on CreateApiKeySuccess { issuedKey { secret } } } }`,
      { input: { organizationId, name: '公開情報', scopes: ['PUBLIC_READ'] } },
      admin,
    );
    const asPartner = { 'x-api-key': key.data!.createApiKey.issuedKey.secret };
    expect((await hub.query('{ spaces { nodes { id } } }', {}, asPartner)).status).toBe(200);
    const withdrawn = await hub.query(
      `mutation ($id: ID!) { withdrawPartnership(input: { organizationId: $id }) {
        ... on WithdrawPartnershipSuccess { partnership { isActive } } } }`,
      { id: organizationId },
      admin,
    );
    expect(withdrawn.data).toEqual({ withdrawPartnership: { partnership: { isActive: false } } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const refused = await hub.query('{ spaces { nodes { id } } }', {}, asPartner);
    expect(refused.status).toBe(401);
    expect(refused.errors?.[0]?.extensions?.code).toBe('API_KEY_REVOKED');
  });
});

describe('APPI: export from all five services, erasure reaching all of them', () => {
  it('exports one document, then erases the member everywhere within seconds', async () => {
    const member = await signUp('消去 予定');
    const exported = await hub.query<{
      exportMyData: Record<string, unknown> & { memberId: string };
    }>(
      '{ exportMyData { memberId generatedAt members spaces events matching supportPrograms } }',
      {},
      bearer(member.accessToken),
    );
    expect(exported.errors).toBeUndefined();
    const document = exported.data!.exportMyData;
    expect(document.memberId).toBe(member.member.id);
    for (const part of ['members', 'spaces', 'events', 'matching', 'supportPrograms']) {
      expect(document[part]).toEqual(expect.any(Object));
    }
    expect(JSON.stringify(document.members)).toContain('消去 予定');

    // matching learnt about the member from member.registered over NATS.
    await waitForRow('matching', 'SELECT 1 FROM worker WHERE member_id = $1', [member.member.id]);

    const started = Date.now();
    const erased = await hub.query(
      'mutation { eraseMyAccount(input: { confirmation: "ERASE" }) { __typename } }',
      {},
      bearer(member.accessToken),
    );
    expect(erased.data).toEqual({ eraseMyAccount: { __typename: 'EraseMyAccountSuccess' } });
    const [event] = await sql<{ id: string }>(
      'members',
      "SELECT id FROM outbox_event WHERE type = 'members.member.erased' AND subject = $1",
      [member.member.id],
    );
    expect(event).toBeDefined();
    for (const service of ['spaces', 'events', 'matching', 'support-programs']) {
      await waitForRow(service, 'SELECT 1 FROM inbox_event WHERE event_id = $1', [event!.id]);
    }
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(
      await sql('matching', 'SELECT 1 FROM worker WHERE member_id = $1', [member.member.id]),
    ).toHaveLength(0);

    // The account is gone: the token's session no longer signs in, the profile is a tombstone.
    const profile = await hub.query<{ member: { displayName: string; isErased: boolean } }>(
      'query ($id: ID!) { member(id: $id) { displayName isErased } }',
      { id: member.member.id },
    );
    expect(profile.data?.member.isErased).toBe(true);
    expect(profile.data?.member.displayName).not.toContain('消去 予定');
    const audit = await sql<{ action: string }>(
      'members',
      'SELECT action::text FROM audit_log_entry WHERE member_id = $1',
      [member.member.id],
    );
    expect(audit.map((row) => row.action)).toContain('erasure');
  });
});

async function waitForRow(service: string, text: string, values: unknown[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if ((await sql(service, text, values)).length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no row in ${service} for: ${text}`);
}
