import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ConsentPurpose, Identity } from '@hub/identity';
import {
  asAdmin,
  asMember,
  asPartner,
  type GraphQLResponse,
  TEST_GATEWAY_SECRET,
} from '@hub/testing';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { type GraphQLObjectType, getNullableType } from 'graphql';
import {
  consentTo,
  errorCodeAt,
  newAccount,
  newMember,
  newOrganization,
  newPartner,
  useMembers,
} from '../../test/support/index.js';
import { addAffiliation } from '../domain/add-affiliation.js';
import { updatePartnership } from '../domain/partners/update-partnership.js';
import { withdrawPartnership } from '../domain/partners/withdraw-partnership.js';
import { withdrawConsent } from '../domain/privacy/consents.js';
import { PRIVACY_NOTICES } from '../domain/privacy/notices.js';
import { schema } from '../schema/index.js';
import { renderAuthorizationMatrix } from './matrix-doc.js';
import {
  expectedAccess,
  fieldsOfGroup,
  KEY_MINTERS,
  KEY_MINTING,
  KEY_TARGETS,
  type KeyMinter,
  type KeyTarget,
  MEMBER_FIELDS,
  type MemberFieldName,
  MUTATION_RULES,
  PROFILE_VISIBILITY_VALUES,
  type ProfileVisibilityValue,
  RESERVED_MEMBER_FIELDS,
  VIEWERS,
  type Viewer,
} from './rules.js';

// Walks ACCESS_MATRIX (rules.ts) against the running service: every Member field, for every
// viewer, under every visibility setting — refused fields must be null with the expected code,
// allowed ones must carry the value, and partner reads must leave exactly the expected audit.

/** How the test reads each field; a field missing here fails to compile. */
const SELECTION: Record<MemberFieldName, string> = {
  id: 'id',
  displayName: 'displayName',
  displayNameKana: 'displayNameKana',
  kind: 'kind',
  isErased: 'isErased',
  bio: 'bio',
  aspiration: 'aspiration',
  interests: 'interests',
  skills: 'skills { skill { code } level isVerified verifiedBy }',
  links: 'links { label url }',
  municipalityCode: 'municipalityCode',
  municipality: 'municipality { code }',
  relocationInterest: 'relocationInterest',
  referralCount: 'referralCount',
  referrals: 'referrals { totalCount nodes { id } }',
  createdAt: 'createdAt',
  email: 'email',
  contactPhone: 'contactPhone',
  availableHoursPerWeek: 'availableHoursPerWeek',
  homeMunicipalityCode: 'homeMunicipalityCode',
  affiliations: 'affiliations { role startsOn endsOn organization { id } }',
  careerPath: 'careerPath { role startsOn endsOn }',
  referredBy: 'referredBy { id }',
  consents: 'consents { purpose noticeVersion isActive }',
  profileVisibility: 'profileVisibility',
  erasedAt: 'erasedAt',
  auditLog: 'auditLog(first: 3) { nodes { action } }',
  pendingAffiliations: 'pendingAffiliations { role isConfirmed organization { id } }',
};
// Values that change between reads (partner reads append to the log).
const VOLATILE = new Set<MemberFieldName>(['auditLog']);
const FIELDS = Object.keys(MEMBER_FIELDS) as MemberFieldName[];
const MEMBER_QUERY = `query($id: ID!) { member(id: $id) { ${FIELDS.map((f) => SELECTION[f]).join(' ')} } }`;

const hub = useMembers();
let subjectId: string;
let identities: Record<Viewer, Identity | null>;
/** The organisation each column of KEY_MINTING mints a key for. */
let mintTargets: Record<KeyTarget, string>;

beforeAll(async () => {
  const { prisma } = hub;
  const [current, former, unconfirmed, unrelated] = await Promise.all([
    newOrganization(prisma, '現在の登録先 (current)'),
    newOrganization(prisma, '以前の登録先 (former)'),
    newOrganization(prisma, '本人未確認の登録先 (unconfirmed)'),
    newOrganization(prisma, '無関係 (unrelated)'),
  ]);
  const referrerId = await newMember(prisma);
  subjectId = await newMember(prisma, {
    displayName: '対象 花子',
    displayNameKana: 'たいしょう はなこ',
    bio: '自己紹介です。',
    aspiration: '地域で働き続けたい。',
    municipalityCode: '012157',
    homeMunicipalityCode: '131016',
    interests: ['子育て', 'テレワーク'],
    availableHoursPerWeek: 20,
    relocationInterest: 'CONSIDERING',
    contactPhone: '0126-00-0001',
    links: [{ label: 'ブログ', url: 'https://example.com/hanako' }],
    skills: [{ code: 'data-entry', level: 3 }],
    referredById: referrerId,
  });
  await newMember(prisma, { referredById: subjectId });
  await newAccount(prisma, subjectId, 'hanako@example.test');
  await addAffiliation(
    { prisma },
    {
      memberId: subjectId,
      organizationId: current,
      role: 'WORKER',
      startsOn: '2020-04-01',
    },
    { confirmed: true },
  );
  await addAffiliation(
    { prisma },
    {
      memberId: subjectId,
      organizationId: former,
      role: 'WORKER',
      startsOn: '2015-04-01',
      endsOn: '2019-03-31',
    },
    { confirmed: true },
  );
  // Added by that organisation, not (yet) confirmed by the member: it must not count.
  await addAffiliation(
    { prisma },
    { memberId: subjectId, organizationId: unconfirmed, role: 'WORKER', startsOn: '2024-04-01' },
    { confirmed: false },
  );
  // Partners (every scope and purpose unless said otherwise) and what the member told each.
  const [consenting, another, legacyOnly, lowered, withdrawn, nonPartner] = await Promise.all([
    newPartner(prisma, { name: '同意先の自治体 (consented partner)' }),
    newPartner(prisma, { name: '別のパートナー (another partner)' }),
    newPartner(prisma, { name: '旧来の同意のみ (legacy consent only)' }),
    newPartner(prisma, { name: '範囲を引き下げられたパートナー (ceiling lowered)' }),
    newPartner(prisma, { name: '指定を取り消されたパートナー (withdrawn)' }),
    newOrganization(prisma, 'パートナーでない組織 (not a partner)'),
  ]);
  await consentTo(prisma, subjectId, consenting, 'work-matching');
  await consentTo(prisma, subjectId, consenting, 'municipal-relocation-support');
  await withdrawConsent(
    { prisma },
    {
      memberId: subjectId,
      recipientOrganizationId: consenting,
      purpose: 'municipal-relocation-support',
    },
  );
  // A consent from before consents named a recipient: it names nobody.
  await prisma.consent.create({
    data: {
      memberId: subjectId,
      purpose: 'program-guidance',
      noticeVersion: PRIVACY_NOTICES['program-guidance'].version,
    },
  });
  await consentTo(prisma, subjectId, lowered, 'work-matching');
  await consentTo(prisma, subjectId, withdrawn, 'work-matching');
  const byHubAdmin = { memberId: null, requestId: null };
  await updatePartnership(
    prisma,
    {
      organizationId: lowered,
      scopes: ['public:read', 'members:personal:read'],
      purposes: ['program-guidance'],
    },
    byHubAdmin,
  );
  await withdrawPartnership(prisma, withdrawn, byHubAdmin);
  const minting = await newPartner(prisma, {
    name: '発行の確認用 (minting)',
    scopes: ['public:read', 'members:personal:read'],
    purposes: ['municipal-relocation-support'],
  });
  mintTargets = {
    withinCeiling: minting,
    outsideCeiling: minting,
    notPartner: nonPartner,
    withdrawnPartner: withdrawn,
  };
  const personalScopes = ['public:read', 'members:personal:read'] as const;
  const key = (organizationId: string, purpose: ConsentPurpose) =>
    asPartner({ organizationId, scopes: [...personalScopes], purpose });
  identities = {
    anonymous: null,
    self: asMember(subjectId),
    otherMember: asMember(referrerId),
    staffOfMembersOrganization: asMember(randomUUID(), {
      staffOf: [{ organizationId: current, role: 'coordinator' }],
    }),
    staffOfFormerOrganization: asMember(randomUUID(), {
      staffOf: [{ organizationId: former, role: 'staff' }],
    }),
    staffOfUnconfirmedOrganization: asMember(randomUUID(), {
      staffOf: [{ organizationId: unconfirmed, role: 'admin' }],
    }),
    staffOfUnrelatedOrganization: asMember(randomUUID(), {
      staffOf: [{ organizationId: unrelated, role: 'admin' }],
    }),
    hubAdmin: asAdmin(),
    nonPartnerOrganizationAdmin: asMember(randomUUID(), {
      staffOf: [{ organizationId: nonPartner, role: 'admin' }],
    }),
    // Has the purpose the member consented to this partner for, but not the scope.
    partnerWithoutScope: asPartner({
      organizationId: consenting,
      scopes: ['public:read'],
      purpose: 'work-matching',
    }),
    partnerWithoutConsent: key(consenting, 'program-guidance'),
    partnerWithConsent: key(consenting, 'work-matching'),
    partnerAfterWithdrawal: key(consenting, 'municipal-relocation-support'),
    partnerWithConsentToAnotherPartner: key(another, 'work-matching'),
    partnerWithLegacyConsent: key(legacyOnly, 'program-guidance'),
    partnerOutsideCeiling: key(lowered, 'work-matching'),
    partnerWithdrawn: key(withdrawn, 'work-matching'),
  };
}, 60_000);

type MemberData = Record<string, unknown>;

async function readSubject(viewer: Viewer) {
  return hub.gql<{ member: MemberData | null }>(
    MEMBER_QUERY,
    { id: subjectId },
    identities[viewer],
  );
}

function auditEntriesOf(response: GraphQLResponse<unknown>) {
  return hub.rows<{
    action: string;
    member_id: string;
    api_key_id: string;
    organization_id: string;
    fields: string[];
  }>(
    'SELECT action::text, member_id, api_key_id, organization_id, fields FROM audit_log_entry WHERE request_id = $1',
    [response.headers['x-request-id']],
  );
}

describe.each(PROFILE_VISIBILITY_VALUES)('profile visibility %s', (visibility) => {
  let reference: MemberData;

  beforeAll(async () => {
    await hub.prisma.member.update({
      where: { id: subjectId },
      data: { profileVisibility: visibility },
    });
    const response = await readSubject('hubAdmin');
    expect(response.errors).toBeUndefined();
    reference = response.data!.member!;
  });

  it.each(Object.keys(VIEWERS) as Viewer[])(
    '%s: no leaks, values where allowed',
    async (viewer) => {
      const response = await readSubject(viewer);
      const member = response.data?.member;
      expect(member).toBeTruthy();
      const problems: string[] = [];
      for (const field of FIELDS) {
        const outcome = expectedAccess(viewer, field, visibility as ProfileVisibilityValue);
        const code = errorCodeAt(response, ['member', field]);
        const value = member![field];
        if (outcome === 'ok' || outcome === 'ok+audit') {
          if (code !== undefined) problems.push(`${field}: refused (${code}), expected the value`);
          else if (VOLATILE.has(field) ? value == null : !isEqual(value, reference[field]))
            problems.push(
              `${field}: ${JSON.stringify(value)} ≠ ${JSON.stringify(reference[field])}`,
            );
        } else {
          if (value !== null) problems.push(`${field}: LEAK ${JSON.stringify(value)}`);
          if (code !== outcome)
            problems.push(`${field}: code ${String(code)}, expected ${outcome}`);
        }
      }
      expect(problems).toEqual([]);
      // Every error belongs to a refused field (nothing failed for another reason).
      expect(response.errors?.every((error) => error.path?.length === 2) ?? true).toBe(true);

      const audited = FIELDS.filter(
        (field) =>
          expectedAccess(viewer, field, visibility as ProfileVisibilityValue) === 'ok+audit',
      ).sort();
      const entries = await auditEntriesOf(response);
      const identity = identities[viewer];
      if (audited.length === 0) {
        expect(entries).toEqual([]);
      } else if (identity?.kind === 'partner') {
        expect(entries).toEqual([
          {
            action: 'partner-read',
            member_id: subjectId,
            api_key_id: identity.keyId,
            organization_id: identity.organizationId,
            fields: audited,
          },
        ]);
      } else {
        throw new Error(`${viewer} is audited but is not a partner`);
      }
    },
  );
});

describe('minting partner keys (KEY_MINTING)', () => {
  const CREATE = `mutation($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { ... on CreateApiKeySuccess { issuedKey { secret apiKey { id } } } } }`;

  function minterIdentity(minter: KeyMinter, target: KeyTarget): Identity | null {
    const organizationId = mintTargets[target];
    switch (minter) {
      case 'anonymous':
        return null;
      case 'member':
        return asMember(randomUUID());
      case 'organizationStaff':
        return asMember(randomUUID(), { staffOf: [{ organizationId, role: 'coordinator' }] });
      case 'organizationAdmin':
        // The matrix's own viewer, for the organisation that is not a partner.
        return target === 'notPartner'
          ? identities.nonPartnerOrganizationAdmin
          : asMember(randomUUID(), { staffOf: [{ organizationId, role: 'admin' }] });
      case 'hubAdmin':
        return asAdmin();
      case 'partnerKey':
        return asPartner({ organizationId, scopes: ['public:read', 'members:personal:read'] });
    }
  }

  const cells = (Object.keys(KEY_MINTERS) as KeyMinter[]).flatMap((minter) =>
    (Object.keys(KEY_TARGETS) as KeyTarget[]).map((target) => [minter, target] as const),
  );

  it.each(cells)('%s for %s', async (minter, target) => {
    const response = await hub.gql<{
      createApiKey: { issuedKey: { secret: string; apiKey: { id: string } } };
    }>(
      CREATE,
      {
        input: {
          organizationId: mintTargets[target],
          name: '移住相談 (matrix)',
          scopes: ['PUBLIC_READ', 'MEMBERS_PERSONAL_READ'],
          purpose: target === 'outsideCeiling' ? 'WORK_MATCHING' : 'MUNICIPAL_RELOCATION_SUPPORT',
        },
      },
      minterIdentity(minter, target),
    );
    const expected = KEY_MINTING[minter][target];
    if (expected !== 'ok') {
      expect(response.data?.createApiKey ?? null).toBeNull();
      expect(response.errors?.[0]?.extensions?.code).toBe(expected);
      return;
    }
    expect(response.errors).toBeUndefined();
    // A key minted within the ceiling is one the gateway will accept.
    const verified = await fetch(new URL('/_internal/api-keys/verify', hub.service.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-gateway-credential': TEST_GATEWAY_SECRET,
      },
      body: JSON.stringify({ key: response.data!.createApiKey.issuedKey.secret }),
    });
    expect(verified.status).toBe(200);
  });
});

function isEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

describe('the rules, the schema and the document agree', () => {
  const memberType = schema.getType('Member') as GraphQLObjectType;

  it('classifies every Member field, and guarded fields are nullable', () => {
    const schemaFields = Object.keys(memberType.getFields());
    const classified = [...FIELDS, ...Object.keys(RESERVED_MEMBER_FIELDS)];
    expect(schemaFields.filter((field) => !classified.includes(field))).toEqual([]);
    expect(FIELDS.filter((field) => !schemaFields.includes(field))).toEqual([]);
    const notNullable = FIELDS.filter(
      (field) =>
        MEMBER_FIELDS[field].group !== 'public' &&
        getNullableType(memberType.getFields()[field]!.type) !==
          memberType.getFields()[field]!.type,
    );
    expect(notNullable).toEqual([]);
  });

  it('documents the generated matrix, every field and every mutation', () => {
    const document = readFileSync(
      new URL('../../../../docs/authorization.md', import.meta.url),
      'utf8',
    );
    expect(document).toContain(renderAuthorizationMatrix());
    for (const field of FIELDS) expect(document).toContain(`\`${field}\``);
    for (const field of fieldsOfGroup('personal')) expect(document).toContain(`| \`${field}\``);
    const mutations = Object.keys(schema.getMutationType()!.getFields());
    for (const mutation of Object.keys(MUTATION_RULES)) {
      expect(mutations).toContain(mutation);
      expect(document).toContain(`\`${mutation}\``);
    }
    expect(document).toContain('## Other services');
  });
});
