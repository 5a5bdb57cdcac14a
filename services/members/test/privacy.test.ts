import { randomUUID } from 'node:crypto';
import { asAdmin, asMember, asPartner } from '@hub/testing';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { addAffiliation } from '../src/domain/add-affiliation.js';
import { withdrawPartnership } from '../src/domain/partners/withdraw-partnership.js';
import { ERASED_DISPLAY_NAME } from '../src/domain/privacy/erase-member.js';
import { PRIVACY_NOTICES } from '../src/domain/privacy/notices.js';
import {
  consentTo,
  ERROR_FIELDS,
  errorCodeAt,
  newAccount,
  newMember,
  newOrganization,
  newPartner,
  outboxOf,
  typedErrorOf,
  useMembers,
} from './support/index.js';

const hub = useMembers();

const VERSION = PRIVACY_NOTICES['work-matching'].version;
const GRANT = `mutation($to: ID!, $purpose: ConsentPurpose!, $version: String!) {
  grantConsent(input: { recipientOrganizationId: $to, purpose: $purpose, noticeVersion: $version }) {
    ... on GrantConsentSuccess {
      consent { id purpose noticeVersion isActive withdrawnAt recipient { id } }
    }
    ${ERROR_FIELDS} } }`;
const WITHDRAW = `mutation($to: ID!, $purpose: ConsentPurpose!) {
  withdrawConsent(input: { recipientOrganizationId: $to, purpose: $purpose }) {
    ... on WithdrawConsentSuccess { consent { id isActive } } ${ERROR_FIELDS} } }`;

/** A partner allowed every purpose, one allowed relocation support only, and a non-partner. */
let partnerId: string;
let relocationPartnerId: string;
let notPartnerId: string;

beforeAll(async () => {
  partnerId = await newPartner(hub.prisma, { name: '同意テストの自治体' });
  relocationPartnerId = await newPartner(hub.prisma, {
    scopes: ['public:read', 'members:personal:read'],
    purposes: ['municipal-relocation-support'],
  });
  notPartnerId = await newOrganization(hub.prisma);
});

describe('privacy notices and consent', () => {
  it('lists a notice per purpose, in Japanese and English, with its version', async () => {
    const response = await hub.gql<{ privacyNotices: Record<string, string>[] }>(
      '{ privacyNotices { purpose version publishedOn titleJa titleEn textJa textEn } }',
    );
    expect(response.data!.privacyNotices.map((notice) => notice.purpose)).toEqual([
      'MUNICIPAL_RELOCATION_SUPPORT',
      'WORK_MATCHING',
      'PROGRAM_GUIDANCE',
    ]);
    for (const notice of response.data!.privacyNotices) {
      expect(notice.version).toMatch(/^\d{4}-\d{2}$/);
      expect(notice.textJa!.length).toBeGreaterThan(20);
      expect(notice.textEn!.length).toBeGreaterThan(20);
    }
  });

  // Consent is to someone (APPI art. 27): the recipient must be a partner allowed the purpose.
  it.each([
    // A domain rule or a missing recipient is a typed error; the partner's standing is
    // authorization, and a malformed value is refused by the kit or the schema: errors[].
    [
      'an old notice',
      { purpose: 'WORK_MATCHING', version: '2000-01' },
      'BAD_USER_INPUT',
      'input.noticeVersion',
      'InvalidInputError',
    ],
    [
      'an unknown purpose',
      { purpose: 'ADVERTISING', version: VERSION },
      'BAD_USER_INPUT',
      undefined,
      null,
    ],
    [
      'a recipient that is no partner',
      { to: 'not-partner' },
      'NOT_A_PARTNER',
      'recipientOrganizationId',
      null,
    ],
    [
      'a partner not allowed the purpose',
      { to: 'relocation-only' },
      'OUTSIDE_PARTNER_CEILING',
      'purpose',
      null,
    ],
    [
      'an unknown recipient',
      { to: randomUUID() },
      'NOT_FOUND',
      'input.recipientOrganizationId',
      'NotFoundError',
    ],
    ['a malformed recipient', { to: 'x' }, 'BAD_USER_INPUT', 'input.recipientOrganizationId', null],
  ])('rejects %s (%j) and writes nothing', async (_label, variables, code, field, typename) => {
    const memberId = await newMember(hub.prisma);
    const to =
      { 'not-partner': notPartnerId, 'relocation-only': relocationPartnerId }[
        (variables as { to?: string }).to ?? ''
      ] ??
      (variables as { to?: string }).to ??
      partnerId;
    const response = await hub.gql(
      GRANT,
      { purpose: 'WORK_MATCHING', version: VERSION, ...variables, to },
      asMember(memberId),
    );
    if (typename) {
      expect(typedErrorOf(response, 'grantConsent')).toMatchObject({
        __typename: typename,
        code,
        field,
      });
    } else {
      expect(response.errors?.[0]?.extensions?.code).toBe(code);
      expect(response.errors?.[0]?.extensions?.field).toBe(field);
    }
    expect(await hub.rows('SELECT 1 FROM consent WHERE member_id = $1', [memberId])).toEqual([]);
    expect(
      await hub.rows('SELECT 1 FROM audit_log_entry WHERE member_id = $1', [memberId]),
    ).toEqual([]);
  });

  it('grants once per recipient and version, withdraws, and audits both without personal data', async () => {
    const memberId = await newMember(hub.prisma);
    const me = asMember(memberId);
    const toPartner = { to: partnerId, purpose: 'WORK_MATCHING', version: VERSION };
    const granted = await hub.gql<{ grantConsent: { consent: { id: string } } }>(
      GRANT,
      toPartner,
      me,
    );
    expect(granted.data!.grantConsent.consent).toMatchObject({
      purpose: 'WORK_MATCHING',
      noticeVersion: VERSION,
      isActive: true,
      withdrawnAt: null,
      recipient: { id: partnerId },
    });
    const again = await hub.gql<{ grantConsent: { consent: { id: string } } }>(
      GRANT,
      toPartner,
      me,
    );
    expect(again.data!.grantConsent.consent.id).toBe(granted.data!.grantConsent.consent.id);
    // The same purpose for another recipient is another consent, withdrawn on its own.
    const toOther = {
      ...toPartner,
      to: relocationPartnerId,
      purpose: 'MUNICIPAL_RELOCATION_SUPPORT',
    };
    const other = await hub.gql<{ grantConsent: { consent: { id: string } } }>(GRANT, toOther, me);
    expect(other.data!.grantConsent.consent.id).not.toBe(granted.data!.grantConsent.consent.id);
    const withdrawn = await hub.gql(WITHDRAW, toPartner, me);
    expect(withdrawn.data).toEqual({
      withdrawConsent: { consent: { id: granted.data!.grantConsent.consent.id, isActive: false } },
    });
    const twice = await hub.gql(WITHDRAW, toPartner, me);
    expect(typedErrorOf(twice, 'withdrawConsent')).toMatchObject({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
      field: 'input.purpose',
    });
    const log = await hub.gql<{ member: { auditLog: { nodes: unknown[] }; consents: unknown[] } }>(
      `query($id: ID!, $to: ID!) { member(id: $id) {
        consents(recipientOrganizationId: $to) { isActive recipient { id } }
        auditLog { nodes { action fields organizationId actorMemberId apiKeyId } } } }`,
      { id: memberId, to: partnerId },
      me,
    );
    const entry = (action: string, organizationId: string, purpose: string) => ({
      action,
      fields: [purpose],
      organizationId,
      actorMemberId: memberId,
      apiKeyId: null,
    });
    expect(log.data!.member.auditLog.nodes).toEqual([
      entry('CONSENT_WITHDRAWN', partnerId, 'work-matching'),
      entry('CONSENT_GRANTED', relocationPartnerId, 'municipal-relocation-support'),
      entry('CONSENT_GRANTED', partnerId, 'work-matching'),
    ]);
    expect(log.data!.member.consents).toEqual([{ isActive: false, recipient: { id: partnerId } }]);
  });

  it('a member withdraws a consent to a partner whose status was withdrawn', async () => {
    const memberId = await newMember(hub.prisma);
    const formerPartner = await newPartner(hub.prisma);
    await consentTo(hub.prisma, memberId, formerPartner, 'work-matching');
    await withdrawPartnership(hub.prisma, formerPartner, { memberId: null, requestId: null });
    const again = await hub.gql(
      GRANT,
      { to: formerPartner, purpose: 'WORK_MATCHING', version: VERSION },
      asMember(memberId),
    );
    expect(again.errors?.[0]?.extensions?.code).toBe('NOT_A_PARTNER');
    const withdrawn = await hub.gql(
      WITHDRAW,
      { to: formerPartner, purpose: 'WORK_MATCHING' },
      asMember(memberId),
    );
    expect(withdrawn.data).toMatchObject({ withdrawConsent: { consent: { isActive: false } } });
  });

  it('consents from before recipients were are listed, name nobody and are not in force', async () => {
    const memberId = await newMember(hub.prisma);
    await hub.prisma.consent.create({
      data: { memberId, purpose: 'work-matching', noticeVersion: VERSION },
    });
    const response = await hub.gql(
      'query($id: ID!) { member(id: $id) { consents { purpose recipient { id } withdrawnAt isActive } } }',
      { id: memberId },
      asMember(memberId),
    );
    expect(response.data).toEqual({
      member: {
        consents: [
          { purpose: 'WORK_MATCHING', recipient: null, withdrawnAt: null, isActive: false },
        ],
      },
    });
  });

  it('consent mutations are for the signed-in member', async () => {
    const toPartner = { to: partnerId, purpose: 'WORK_MATCHING', version: VERSION };
    const response = await hub.gql(GRANT, toPartner);
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const partner = await hub.gql(WITHDRAW, toPartner, asPartner({ organizationId: partnerId }));
    expect(partner.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('audit log queries', () => {
  it('auditLog(memberId) is for hub admins; Member.auditLog for the member and hub admins', async () => {
    const memberId = await newMember(hub.prisma, { contactPhone: '03-1111-1111' });
    await consentTo(hub.prisma, memberId, partnerId, 'work-matching');
    const partner = asPartner({
      organizationId: partnerId,
      scopes: ['public:read', 'members:personal:read'],
      purpose: 'work-matching',
    });
    await hub.gql(
      'query($id: ID!) { member(id: $id) { contactPhone } }',
      { id: memberId },
      partner,
    );
    const QUERY = `query($id: ID!) { auditLog(memberId: $id, first: 10) { totalCount nodes {
      action apiKeyId organizationId organization { id } fields requestId } } }`;
    const byAdmin = await hub.gql<{
      auditLog: { totalCount: number; nodes: Record<string, unknown>[] };
    }>(QUERY, { id: memberId }, asAdmin());
    expect(byAdmin.data!.auditLog.nodes[0]).toMatchObject({
      action: 'PARTNER_READ',
      apiKeyId: partner.keyId,
      organizationId: partnerId,
      organization: { id: partnerId },
      fields: ['contactPhone'],
      requestId: expect.any(String),
    });
    expect(byAdmin.data!.auditLog.totalCount).toBe(2);
    expect(byAdmin.data!.auditLog.nodes.map((entry) => entry.action)).toEqual([
      'PARTNER_READ',
      'CONSENT_GRANTED',
    ]);
    for (const identity of [asMember(memberId), asMember(randomUUID()), partner]) {
      const refused = await hub.gql(QUERY, { id: memberId }, identity);
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });
});

describe('erasure', () => {
  async function memberWithEverything() {
    const referrerId = await newMember(hub.prisma);
    const memberId = await newMember(hub.prisma, {
      displayName: '消去 太郎',
      displayNameKana: 'しょうきょ たろう',
      bio: '自己紹介',
      aspiration: '志',
      municipalityCode: '012157',
      homeMunicipalityCode: '131016',
      interests: ['移住'],
      availableHoursPerWeek: 10,
      relocationInterest: 'PLANNING',
      contactPhone: '0126-00-0009',
      profileVisibility: 'PUBLIC',
      links: [{ label: 'web', url: 'https://example.com/taro' }],
      skills: [{ code: 'writing', level: 3 }],
      referredById: referrerId,
    });
    const referralId = await newMember(hub.prisma, { referredById: memberId });
    const email = await newAccount(hub.prisma, memberId, `taro-${memberId}@example.test`);
    const session = await hub.prisma.session.create({ data: { memberId } });
    await hub.prisma.refreshToken.create({
      data: {
        sessionId: session.id,
        tokenHash: `hash-${randomUUID()}`,
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
    await hub.prisma.signInFailure.create({ data: { email, clientAddress: '203.0.113.9' } });
    await hub.prisma.invitation.create({
      data: {
        code: `INV-${randomUUID()}`,
        inviterId: memberId,
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
    await addAffiliation(
      { prisma: hub.prisma },
      {
        memberId,
        organizationId: await newOrganization(hub.prisma),
        role: 'WORKER',
        startsOn: '2024-04-01',
      },
      { confirmed: true },
    );
    await consentTo(hub.prisma, memberId, partnerId, 'work-matching');
    // A partner read before the erasure: its entry must survive (it holds no personal data).
    await hub.gql(
      'query($id: ID!) { member(id: $id) { email } }',
      { id: memberId },
      asPartner({
        organizationId: partnerId,
        scopes: ['members:personal:read'],
        purpose: 'work-matching',
      }),
    );
    return { memberId, referrerId, referralId, email, sessionId: session.id };
  }

  const ERASE_ME = `mutation($c: String!) { eraseMyAccount(input: { confirmation: $c }) {
    ... on EraseMyAccountSuccess { receipt { memberId erasedAt } } ${ERROR_FIELDS} } }`;
  const ERASE = `mutation($id: ID!, $reason: ErasureReason!) {
    eraseMember(input: { memberId: $id, reason: $reason }) {
      ... on EraseMemberSuccess { receipt { memberId erasedAt } } ${ERROR_FIELDS} } }`;

  async function remainingRows(memberId: string, email: string, sessionId: string) {
    const count = async (sql: string, value: string) =>
      Number((await hub.rows<{ n: string }>(sql, [value]))[0]!.n);
    return {
      account: await count('SELECT count(*) AS n FROM account WHERE member_id = $1', memberId),
      sessions: await count('SELECT count(*) AS n FROM session WHERE member_id = $1', memberId),
      refreshTokens: await count(
        'SELECT count(*) AS n FROM refresh_token WHERE session_id = $1',
        sessionId,
      ),
      signInFailures: await count(
        'SELECT count(*) AS n FROM sign_in_failure WHERE email = $1',
        email,
      ),
      skills: await count('SELECT count(*) AS n FROM member_skill WHERE member_id = $1', memberId),
      links: await count('SELECT count(*) AS n FROM member_link WHERE member_id = $1', memberId),
      consents: await count('SELECT count(*) AS n FROM consent WHERE member_id = $1', memberId),
      invitations: await count(
        'SELECT count(*) AS n FROM invitation WHERE inviter_id = $1',
        memberId,
      ),
      affiliations: await count(
        'SELECT count(*) AS n FROM affiliation WHERE member_id = $1',
        memberId,
      ),
    };
  }

  it('refuses a wrong confirmation and changes nothing', async () => {
    const { memberId, email, sessionId } = await memberWithEverything();
    const before = await remainingRows(memberId, email, sessionId);
    const response = await hub.gql(ERASE_ME, { c: 'はい' }, asMember(memberId));
    expect(typedErrorOf(response, 'eraseMyAccount')).toMatchObject({
      __typename: 'InvalidInputError',
      code: 'BAD_USER_INPUT',
      field: 'input.confirmation',
    });
    expect(await remainingRows(memberId, email, sessionId)).toEqual(before);
  });

  it('eraseMyAccount anonymises the member and deletes everything personal, in one go', async () => {
    const { memberId, referralId, email, sessionId } = await memberWithEverything();
    const response = await hub.gql<{
      eraseMyAccount: { receipt: { memberId: string; erasedAt: string } };
    }>(ERASE_ME, { c: '退会します' }, asMember(memberId));
    expect(response.errors).toBeUndefined();
    expect(response.data!.eraseMyAccount.receipt.memberId).toBe(memberId);

    const [row] = await hub.rows('SELECT * FROM member WHERE id = $1', [memberId]);
    expect(row).toMatchObject({
      display_name: ERASED_DISPLAY_NAME,
      display_name_kana: null,
      bio: null,
      aspiration: null,
      municipality_code: null,
      home_municipality_code: null,
      interests: [],
      available_hours_per_week: null,
      relocation_interest: 'none',
      contact_phone: null,
      profile_visibility: 'staff',
      referred_by_id: null,
      erased_at: expect.any(Date),
    });
    expect(await remainingRows(memberId, email, sessionId)).toEqual({
      account: 0,
      sessions: 0,
      refreshTokens: 0,
      signInFailures: 0,
      skills: 0,
      links: 0,
      consents: 0,
      invitations: 0,
      affiliations: 0,
    });
    // Others' referral edges still point at the tombstone.
    const [referral] = await hub.rows<{ referred_by_id: string }>(
      'SELECT referred_by_id FROM member WHERE id = $1',
      [referralId],
    );
    expect(referral!.referred_by_id).toBe(memberId);

    const audit = await hub.rows<{
      action: string;
      actor_member_id: string | null;
      fields: string[];
    }>(
      'SELECT action::text, actor_member_id, fields FROM audit_log_entry WHERE member_id = $1 ORDER BY at',
      [memberId],
    );
    expect(audit.map((entry) => entry.action)).toEqual([
      'consent-granted',
      'partner-read',
      'erasure',
    ]);
    expect(audit.at(-1)).toEqual({ action: 'erasure', actor_member_id: null, fields: [] });
    expect(JSON.stringify(audit)).not.toContain('消去');

    const events = await outboxOf(hub, memberId);
    expect(events.at(-1)).toEqual({
      type: 'members.member.erased',
      payload: expect.objectContaining({
        data: {
          memberId,
          erasedAt: response.data!.eraseMyAccount.receipt.erasedAt,
          requestedBy: 'member',
        },
      }),
    });

    const publicView = await hub.gql(
      'query($id: ID!) { member(id: $id) { displayName isErased bio } }',
      {
        id: memberId,
      },
    );
    expect(publicView.data).toEqual({
      member: { displayName: ERASED_DISPLAY_NAME, isErased: true, bio: null },
    });
  });

  it('after erasure every change is MEMBER_ERASED and the member leaves the directory', async () => {
    const { memberId } = await memberWithEverything();
    await hub.gql(ERASE_ME, { c: 'ERASE' }, asMember(memberId));
    const me = asMember(memberId);
    const TYPED = ERROR_FIELDS;
    // The last item: the input field naming the member (null when it is the caller).
    const attempts: [string, Record<string, unknown>, ReturnType<typeof asMember>, string?][] = [
      [ERASE_ME, { c: 'ERASE' }, me],
      [ERASE, { id: memberId, reason: 'OTHER' }, asAdmin(), 'input.memberId'],
      [`mutation { updateMyProfile(input: { bio: "戻ってきた" }) { ${TYPED} } }`, {}, me],
      [
        `mutation { setMySkills(input: { skills: [{ code: "design", level: 1 }] }) { ${TYPED} } }`,
        {},
        me,
      ],
      [`mutation { setProfileVisibility(input: { visibility: PUBLIC }) { ${TYPED} } }`, {}, me],
      [GRANT, { to: partnerId, purpose: 'WORK_MATCHING', version: VERSION }, me],
      [
        `mutation($id: ID!) { updateMemberProfile(input: { memberId: $id, bio: "x" }) { ${TYPED} } }`,
        { id: memberId },
        asAdmin(),
        'input.memberId',
      ],
      [
        `mutation($input: AddAffiliationInput!) { addAffiliation(input: $input) { ${TYPED} } }`,
        {
          input: {
            memberId,
            organizationId: await newOrganization(hub.prisma),
            role: 'WORKER',
            startsOn: '2025-01-01',
          },
        },
        asAdmin(),
        'input.memberId',
      ],
    ];
    for (const [query, variables, identity, field = null] of attempts) {
      const response = await hub.gql(query, variables, identity);
      const [mutation] = Object.keys(response.data ?? {});
      expect(typedErrorOf(response, mutation!)).toMatchObject({
        __typename: 'NotFoundError',
        code: 'MEMBER_ERASED',
        field,
      });
    }
    const directory = await hub.gql<{ members: { edges: { node: { id: string } }[] } }>(
      '{ members(first: 100) { edges { node { id } } } }',
    );
    expect(directory.data!.members.edges.map((edge) => edge.node.id)).not.toContain(memberId);
  });

  it('eraseMember: hub admins, with a reason kept in the audit log', async () => {
    const { memberId } = await memberWithEverything();
    const refused = await hub.gql(
      ERASE,
      { id: memberId, reason: 'MEMBER_REQUEST' },
      asMember(randomUUID(), { staffOf: [{ organizationId: randomUUID(), role: 'admin' }] }),
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const admin = asAdmin();
    const response = await hub.gql(ERASE, { id: memberId, reason: 'MEMBER_REQUEST' }, admin);
    expect(response.data).toMatchObject({ eraseMember: { receipt: { memberId } } });
    const [entry] = await hub.rows(
      "SELECT actor_member_id, fields FROM audit_log_entry WHERE member_id = $1 AND action = 'erasure'",
      [memberId],
    );
    expect(entry).toEqual({ actor_member_id: admin.memberId, fields: ['reason:member-request'] });
    const events = await outboxOf(hub, memberId);
    expect(events.at(-1)!.payload.data).toMatchObject({ requestedBy: 'admin' });
    const unknown = await hub.gql(ERASE, { id: randomUUID(), reason: 'OTHER' }, admin);
    expect(typedErrorOf(unknown, 'eraseMember')).toMatchObject({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
      field: 'input.memberId',
    });
  });
});

describe('data export', () => {
  const EXPORT_MINE = '{ exportMyData { memberId generatedAt members } }';

  it('holds everything members keeps about the member, and no secrets', async () => {
    const referrerId = await newMember(hub.prisma);
    const organizationId = await newOrganization(hub.prisma, '開示テスト組織');
    const memberId = await newMember(hub.prisma, {
      displayName: '開示 花子',
      contactPhone: '0126-00-0100',
      links: [{ label: 'web', url: 'https://example.com/hanako' }],
      skills: [{ code: 'design', level: 4 }],
      referredById: referrerId,
    });
    const email = await newAccount(hub.prisma, memberId, `hanako-${memberId}@example.test`);
    const session = await hub.prisma.session.create({ data: { memberId } });
    const tokenHash = `secret-hash-${randomUUID()}`;
    await hub.prisma.refreshToken.create({
      data: { sessionId: session.id, tokenHash, expiresAt: new Date(Date.now() + 86_400_000) },
    });
    const code = `SECRET-CODE-${randomUUID()}`;
    const invitation = await hub.prisma.invitation.create({
      data: { code, inviterId: memberId, expiresAt: new Date(Date.now() + 86_400_000) },
    });
    await addAffiliation(
      { prisma: hub.prisma },
      {
        memberId,
        organizationId,
        role: 'WORKER',
        startsOn: '2024-04-01',
      },
      { confirmed: true },
    );
    await consentTo(hub.prisma, memberId, partnerId, 'work-matching');

    const response = await hub.gql<{
      exportMyData: { memberId: string; generatedAt: string; members: Record<string, unknown> };
    }>(EXPORT_MINE, {}, asMember(memberId));
    expect(response.errors).toBeUndefined();
    const { members, generatedAt } = response.data!.exportMyData;
    expect(Date.now() - Date.parse(generatedAt)).toBeLessThan(60_000);
    expect(members).toMatchObject({
      profile: {
        id: memberId,
        displayName: '開示 花子',
        contactPhone: '0126-00-0100',
        referredById: referrerId,
        erasedAt: null,
      },
      email,
      skills: [{ code: 'design', level: 4, isVerified: false, verifiedBy: null, verifiedAt: null }],
      links: [{ label: 'web', url: 'https://example.com/hanako' }],
      affiliations: [
        {
          organization: { id: organizationId, name: '開示テスト組織' },
          role: 'WORKER',
          startsOn: '2024-04-01',
          endsOn: null,
          confirmedAt: expect.any(String),
        },
      ],
      consents: [
        {
          recipient: { id: partnerId, name: '同意テストの自治体' },
          purpose: 'work-matching',
          noticeVersion: VERSION,
          withdrawnAt: null,
        },
      ],
      invitationsCreated: [{ id: invitation.id, maxUses: 1, uses: 0 }],
      sessions: [{ id: session.id, revokedAt: null }],
      auditLog: [{ action: 'CONSENT_GRANTED', fields: ['work-matching'] }],
    });
    const text = JSON.stringify(members);
    expect(text).not.toContain(tokenHash);
    expect(text).not.toContain(code);
    expect(text).not.toContain('not-a-real-hash');
  });

  it('is for the member and hub admins, also when another service asks by key', async () => {
    const memberId = await newMember(hub.prisma);
    const byAdmin = await hub.gql<{ exportMemberData: { members: { profile: { id: string } } } }>(
      'query($id: ID!) { exportMemberData(memberId: $id) { members } }',
      { id: memberId },
      asAdmin(),
    );
    expect(byAdmin.data!.exportMemberData.members.profile.id).toBe(memberId);
    const notAdmin = await hub.gql(
      'query($id: ID!) { exportMemberData(memberId: $id) { memberId } }',
      { id: memberId },
      asMember(memberId),
    );
    expect(notAdmin.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await hub.gql(EXPORT_MINE)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) {
      ... on DataExport { memberId members } } }`;
    const representations = [{ __typename: 'DataExport', memberId }];
    const other = await hub.gql<{ _entities: { members: unknown }[] }>(
      ENTITIES,
      { r: representations },
      asMember(randomUUID()),
    );
    expect(other.data!._entities[0]!.members).toBeNull();
    expect(errorCodeAt(other, ['_entities', 0, 'members'])).toBe('FORBIDDEN');
    const own = await hub.gql<{ _entities: { members: { profile: { id: string } } }[] }>(
      ENTITIES,
      { r: representations },
      asMember(memberId),
    );
    expect(own.data!._entities[0]!.members.profile.id).toBe(memberId);
  });
});
