import { randomUUID } from 'node:crypto';
import {
  CONSENT_PURPOSES,
  type ConsentPurpose,
  PARTNER_SCOPES,
  type PartnerScope,
} from '@hub/identity';
import type { Database } from '../../src/db.js';
import { createOrganization } from '../../src/domain/create-organization.js';
import { grantPartnership } from '../../src/domain/partners/grant-partnership.js';
import { grantConsent } from '../../src/domain/privacy/consents.js';
import { PRIVACY_NOTICES } from '../../src/domain/privacy/notices.js';
import { registerMember, type TRegisterMember } from '../../src/domain/register-member.js';

type Prisma = Database['prisma'];

/** A member registered through the domain operation (member.registered in the outbox). */
export async function newMember(
  prisma: Prisma,
  fields: Partial<TRegisterMember> = {},
): Promise<string> {
  const member = await registerMember(
    { prisma },
    {
      displayName: `テスト ${randomUUID().slice(0, 8)}`,
      kind: 'TELEWORKER',
      ...fields,
    },
  );
  return member.id;
}

export async function newOrganization(prisma: Prisma, name?: string): Promise<string> {
  const organization = await createOrganization(
    { prisma },
    {
      name: name ?? `テスト組織 ${randomUUID().slice(0, 8)}`,
      kind: 'SPACE_OPERATOR',
    },
  );
  return organization.id;
}

/** An account row as sign-up would leave it (the identity schema owns sign-up itself). */
export async function newAccount(
  prisma: Prisma,
  memberId: string,
  email = `${memberId}@example.test`,
): Promise<string> {
  await prisma.account.create({ data: { memberId, email, passwordHash: 'not-a-real-hash' } });
  return email;
}

/** The member's consent to a partner receiving their data for a purpose (current notice). */
export function consentTo(
  prisma: Prisma,
  memberId: string,
  recipientOrganizationId: string,
  purpose: ConsentPurpose,
) {
  return grantConsent(
    { prisma },
    {
      memberId,
      recipientOrganizationId,
      purpose,
      noticeVersion: PRIVACY_NOTICES[purpose].version,
    },
  );
}

/** Every scope and purpose: a partner whose ceiling bounds nothing a test asks for. */
export const FULL_CEILING = {
  scopes: [...PARTNER_SCOPES],
  purposes: [...CONSENT_PURPOSES],
};

/**
 * A partner organisation (a municipality unless `kind` says otherwise), made one by a hub
 * admin through the domain operation. Returns the organisation's id.
 */
export async function newPartner(
  prisma: Prisma,
  options: {
    name?: string;
    kind?: 'MUNICIPALITY' | 'CLIENT_COMPANY';
    scopes?: readonly PartnerScope[];
    purposes?: readonly ConsentPurpose[];
  } = {},
): Promise<string> {
  const kind = options.kind ?? 'MUNICIPALITY';
  const organization = await createOrganization(
    { prisma },
    {
      name: options.name ?? `テストパートナー ${randomUUID().slice(0, 8)}`,
      kind,
    },
  );
  await grantPartnership(
    prisma,
    {
      organizationId: organization.id,
      basis: kind === 'MUNICIPALITY' ? 'MUNICIPALITY' : 'ON_REQUEST',
      scopes: options.scopes ?? FULL_CEILING.scopes,
      purposes: options.purposes ?? FULL_CEILING.purposes,
    },
    { memberId: null, requestId: null },
  );
  return organization.id;
}
