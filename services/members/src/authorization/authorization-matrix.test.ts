import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Identity } from '@hub/identity';
import { asAdmin, asMember, asPartner, type GraphQLResponse } from '@hub/testing';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { type GraphQLObjectType, getNullableType } from 'graphql';
import {
  consentTo,
  errorCodeAt,
  newAccount,
  newMember,
  newOrganization,
  useMembers,
} from '../../test/support/index.js';
import { addAffiliation } from '../domain/add-affiliation.js';
import { withdrawConsent } from '../domain/privacy/consents.js';
import { schema } from '../schema/index.js';
import { renderAuthorizationMatrix } from './matrix-doc.js';
import {
  expectedAccess,
  fieldsOfGroup,
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
  referrals: 'referrals { id }',
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
  auditLog: 'auditLog(first: 3) { action }',
  pendingAffiliations: 'pendingAffiliations { role isConfirmed organization { id } }',
};
// Values that change between reads (partner reads append to the log).
const VOLATILE = new Set<MemberFieldName>(['auditLog']);
const FIELDS = Object.keys(MEMBER_FIELDS) as MemberFieldName[];
const MEMBER_QUERY = `query($id: ID!) { member(id: $id) { ${FIELDS.map((f) => SELECTION[f]).join(' ')} } }`;

const hub = useMembers();
let subjectId: string;
let identities: Record<Viewer, Identity | null>;

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
    prisma,
    {
      memberId: subjectId,
      organizationId: current,
      role: 'WORKER',
      startsOn: '2020-04-01',
    },
    { confirmed: true },
  );
  await addAffiliation(
    prisma,
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
    prisma,
    { memberId: subjectId, organizationId: unconfirmed, role: 'WORKER', startsOn: '2024-04-01' },
    { confirmed: false },
  );
  await consentTo(prisma, subjectId, 'work-matching');
  await consentTo(prisma, subjectId, 'municipal-relocation-support');
  await withdrawConsent(prisma, { memberId: subjectId, purpose: 'municipal-relocation-support' });
  const personalScopes = ['public:read', 'members:personal:read'] as const;
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
    // Has the purpose the member consented to, but not the scope.
    partnerWithoutScope: asPartner({ scopes: ['public:read'], purpose: 'work-matching' }),
    partnerWithoutConsent: asPartner({ scopes: [...personalScopes], purpose: 'program-guidance' }),
    partnerWithConsent: asPartner({ scopes: [...personalScopes], purpose: 'work-matching' }),
    partnerAfterWithdrawal: asPartner({
      scopes: [...personalScopes],
      purpose: 'municipal-relocation-support',
    }),
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
