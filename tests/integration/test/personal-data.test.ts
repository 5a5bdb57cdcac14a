import { waitFor } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Auth, bearer, signUp, signUpHubAdmin, sql } from './support/accounts.js';
import { type HubStack, startHub } from './support/hub.js';

// Personal data outside members, end to end: a partner reads a worker in matching through the
// real gateway, under a consent matching learnt from members over real NATS, and the member
// then sees exactly one audit entry for that read in members' audit log.
let hub: HubStack;

beforeAll(async () => {
  hub = await startHub({
    services: ['members', 'matching'],
    gatewayOptions: { identity: { apiKeyCacheTtlMs: 200 } },
  });
}, 60_000);

afterAll(() => hub?.stop());

type AuditEntry = {
  action: string;
  service: string;
  apiKeyId: string | null;
  organizationId: string | null;
  fields: string[];
  requestId: string | null;
};

describe('a partner reading a worker in matching', () => {
  let admin: Auth;
  let worker: Auth;
  let organizationId: string;
  let partnerKey: string;
  let keyId: string;

  beforeAll(async () => {
    admin = await signUpHubAdmin(hub);
    const organization = await hub.query<{ createOrganization: { organization: { id: string } } }>(
      `mutation { createOrganization(input: {
        name: "しおじり テレワーク推進協議会", kind: MUNICIPALITY, municipalityCode: "202151"
      }) { ... on CreateOrganizationSuccess { organization { id } } ... on Error { __typename code message messageEn field } } }`,
      {},
      bearer(admin.accessToken),
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
          purposes: ['WORK_MATCHING'],
        },
      },
      bearer(admin.accessToken),
    );
    expect(granted.data).toEqual({ grantPartnership: { partnership: { isActive: true } } });
    const key = await hub.query<{
      createApiKey: { issuedKey: { secret: string; apiKey: { id: string } } };
    }>(
      `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) {
        ... on CreateApiKeySuccess { issuedKey { secret apiKey { id } } } } }`,
      {
        input: {
          organizationId,
          name: 'ワーカー紹介',
          scopes: ['PUBLIC_READ', 'MEMBERS_PERSONAL_READ'],
          purpose: 'WORK_MATCHING',
        },
      },
      bearer(admin.accessToken),
    );
    expect(key.errors).toBeUndefined();
    partnerKey = key.data!.createApiKey.issuedKey.secret;
    keyId = key.data!.createApiKey.issuedKey.apiKey.id;

    worker = await signUp(hub, '在宅 ワーカー');
    const updated = await hub.query(
      'mutation ($i: UpdateMyProfileInput!) { updateMyProfile(input: $i) { __typename } }',
      { i: { availableHoursPerWeek: 12 } },
      bearer(worker.accessToken),
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data).toEqual({ updateMyProfile: { __typename: 'UpdateMyProfileSuccess' } });
    // Matching learns the profile from members' events.
    await waitFor(
      async () =>
        (
          await sql<{ hours: number | null }>(
            hub,
            'matching',
            'SELECT available_hours_per_week AS hours FROM worker WHERE member_id = $1',
            [worker.member.id],
          )
        )[0]?.hours === 12,
      { message: 'the worker in matching', timeoutMs: 15_000 },
    );
  }, 60_000);

  const READ = `query ($id: ID!) {
    worker(memberId: $id) { displayName availableHoursPerWeek registeredAt }
  }`;
  type Read = {
    worker: {
      displayName: string;
      availableHoursPerWeek: number | null;
      registeredAt: string | null;
    };
  };
  const asPartner = () => ({ 'x-api-key': partnerKey });
  const auditLog = async () => {
    const response = await hub.query<{ me: { auditLog: { nodes: AuditEntry[] } } }>(
      `{ me { auditLog(first: 50) {
        nodes { action service apiKeyId organizationId fields requestId } } } }`,
      {},
      bearer(worker.accessToken),
    );
    expect(response.errors).toBeUndefined();
    return response.data!.me.auditLog.nodes;
  };
  const consentIn = (state: 'live' | 'withdrawn') =>
    waitFor(
      async () => {
        const [row] = await sql<{ withdrawn_at: Date | null }>(
          hub,
          'matching',
          'SELECT withdrawn_at FROM member_consent WHERE member_id = $1 AND recipient_organization_id = $2',
          [worker.member.id, organizationId],
        );
        return row !== undefined && (row.withdrawn_at === null) === (state === 'live');
      },
      { message: `the consent ${state} in matching`, timeoutMs: 15_000 },
    );

  it('is refused without consent, read with it and audited exactly once, refused after withdrawal', async () => {
    const before = await hub.query<Read>(READ, { id: worker.member.id }, asPartner());
    expect(before.data?.worker).toEqual({
      displayName: '在宅 ワーカー',
      availableHoursPerWeek: null,
      registeredAt: null,
    });
    expect(before.errors?.map((error) => error.extensions?.code)).toEqual([
      'CONSENT_REQUIRED',
      'CONSENT_REQUIRED',
    ]);

    const notices = await hub.query<{ privacyNotices: { purpose: string; version: string }[] }>(
      '{ privacyNotices { purpose version } }',
    );
    const notice = notices.data!.privacyNotices.find((n) => n.purpose === 'WORK_MATCHING')!;
    const granted = await hub.query(
      `mutation ($to: ID!, $v: String!) {
        grantConsent(input: { recipientOrganizationId: $to, purpose: WORK_MATCHING, noticeVersion: $v }) {
          ... on GrantConsentSuccess { consent { purpose } } } }`,
      { to: organizationId, v: notice.version },
      bearer(worker.accessToken),
    );
    expect(granted.data).toEqual({ grantConsent: { consent: { purpose: 'WORK_MATCHING' } } });
    await consentIn('live');

    const read = await hub.query<Read>(READ, { id: worker.member.id }, asPartner());
    expect(read.errors).toBeUndefined();
    expect(read.data!.worker).toEqual({
      displayName: '在宅 ワーカー',
      availableHoursPerWeek: 12,
      registeredAt: expect.any(String),
    });
    const requestId = read.headers['x-request-id'];
    expect(requestId).toEqual(expect.any(String));

    // Members records the read from matching's event, a moment later; the member sees it.
    const entries = await waitFor(
      async () => {
        const found = (await auditLog()).filter((entry) => entry.requestId === requestId);
        return found.length > 0 ? found : undefined;
      },
      { message: 'the read in the member’s audit log', timeoutMs: 15_000 },
    );
    expect(entries).toEqual([
      {
        action: 'PARTNER_READ',
        service: 'matching',
        apiKeyId: keyId,
        organizationId,
        fields: ['Worker.availableHoursPerWeek', 'Worker.registeredAt'],
        requestId,
      },
    ]);
    // Exactly once: once the relay and the consumer are idle, still one row for the request.
    await waitFor(
      async () =>
        (
          await sql<{ n: string }>(
            hub,
            'matching',
            "SELECT count(*) AS n FROM outbox_event WHERE type = 'matching.partner-read.recorded' AND sent_at IS NULL",
          )
        )[0]!.n === '0',
      { message: 'the audit event published', timeoutMs: 15_000 },
    );
    const rows = await sql(
      hub,
      'members',
      "SELECT id FROM audit_log_entry WHERE request_id = $1 AND action = 'partner-read'",
      [requestId],
    );
    expect(rows).toHaveLength(1);

    const withdrawn = await hub.query(
      `mutation ($to: ID!) {
        withdrawConsent(input: { recipientOrganizationId: $to, purpose: WORK_MATCHING }) {
          ... on WithdrawConsentSuccess { consent { isActive } } } }`,
      { to: organizationId },
      bearer(worker.accessToken),
    );
    expect(withdrawn.data).toEqual({ withdrawConsent: { consent: { isActive: false } } });
    await consentIn('withdrawn');
    const after = await hub.query<Read>(READ, { id: worker.member.id }, asPartner());
    expect(after.data!.worker.availableHoursPerWeek).toBeNull();
    expect(after.errors?.map((error) => error.extensions?.code)).toContain('CONSENT_REQUIRED');
    const afterRequest = after.headers['x-request-id'];
    expect((await auditLog()).filter((entry) => entry.requestId === afterRequest)).toEqual([]);
  });

  it('lists to the partner only the workers who consented to it', async () => {
    const response = await hub.query<{
      workers: { totalCount: number; nodes: { displayName: string }[] };
    }>('{ workers { totalCount nodes { displayName } } }', {}, asPartner());
    expect(response.errors).toBeUndefined();
    // The only worker here withdrew their consent above; the admin never gave one.
    expect(response.data!.workers).toEqual({ totalCount: 0, nodes: [] });
  });
});
