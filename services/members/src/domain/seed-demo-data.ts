import { readFileSync } from 'node:fs';
import { commit } from '@hub/event-bus';
import { HUB_SPEAKS_FOR_ALL } from '@hub/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';
import { API_KEY_PREFIX, hashApiKey } from '../identity/api-key-verification.js';
import { hashPassword } from '../identity/passwords.js';
import { addAffiliation } from './add-affiliation.js';
import { createOrganization } from './create-organization.js';
import { type ProfileFact, profileUpdatedEvent } from './member-events.js';
import { grantPartnership } from './partners/grant-partnership.js';
import { grantConsent } from './privacy/consents.js';
import { isConsentPurpose, PRIVACY_NOTICES } from './privacy/notices.js';
import { registerMember } from './register-member.js';

type DemoData = {
  organizations: {
    id: string;
    kind: string;
    memberOrganizationIds: string[];
    /** Partner status a hub admin granted, with its ceiling. */
    partner?: { basis: string; scopes: string[]; purposes: string[] };
  }[];
  members: {
    id: string;
    skills?: { code: string; level: number; isVerified?: boolean }[];
    consents?: { recipientOrganizationId: string; purpose: string }[];
    account?: { email: string; roles: string[] };
  }[];
  affiliations: { id: string }[];
  demoPassword: string;
  apiKeys: {
    id: string;
    organizationId: string;
    name: string;
    key: string;
    scopes: string[];
    purpose: string | null;
    rateLimitPerMinute: number;
  }[];
};

/**
 * Loads the demo organizations (美唄市 a partner), people, their accounts and consents,
 * affiliations and the demo partner key (seed/demo.json) through the same domain operations the API uses where events
 * matter — registering the demo people publishes member.registered like any sign-up. Rows that
 * already exist are left alone.
 */
export async function loadDemoData(prisma: PrismaClient): Promise<{ created: number }> {
  const data = JSON.parse(
    readFileSync(new URL('../../seed/demo.json', import.meta.url), 'utf8'),
  ) as DemoData;
  let created = 0;
  // Consortia last: their member organizations must exist first.
  const organizations = [...data.organizations].sort(
    (a, b) => Number(a.kind === 'CONSORTIUM') - Number(b.kind === 'CONSORTIUM'),
  );
  for (const organization of organizations) {
    if (
      await prisma.organization.findUnique({ where: { id: organization.id }, select: { id: true } })
    )
      continue;
    // The demo consortia (SCS …) are official: their memberships count as confirmed.
    await createOrganization({ prisma }, organization, { speaksFor: HUB_SPEAKS_FOR_ALL });
    created += 1;
  }
  // Before the consents and keys that need them; granted by "the hub" (no acting member).
  for (const { id, partner } of data.organizations) {
    if (!partner) continue;
    if (
      await prisma.partnership.findUnique({
        where: { organizationId: id },
        select: { basis: true },
      })
    )
      continue;
    await grantPartnership(
      prisma,
      { organizationId: id, ...partner },
      { memberId: null, requestId: null },
    );
    created += 1;
  }
  for (const member of data.members) {
    if (await prisma.member.findUnique({ where: { id: member.id }, select: { id: true } }))
      continue;
    const registered = await registerMember({ prisma }, member);
    // Demo skills marked verified stand for completed training courses. Verification and the
    // hours a member can work are facts other services keep (matching ranks and offers work by
    // them), which member.registered does not carry: announced as a profile update.
    const verified = (member.skills ?? []).filter((s) => s.isVerified).map((s) => s.code);
    if (verified.length > 0 || registered.availableHoursPerWeek !== null) {
      await commit({ prisma }, async (tx, emit) => {
        if (verified.length > 0) {
          await tx.memberSkill.updateMany({
            where: { memberId: member.id, skillCode: { in: verified } },
            data: { isVerified: true, verifiedBy: 'TRAINING', verifiedAt: new Date() },
          });
        }
        const changed: ProfileFact[] = [
          ...(verified.length > 0 ? (['skills'] as const) : []),
          ...(registered.availableHoursPerWeek !== null ? (['availability'] as const) : []),
        ];
        emit(await profileUpdatedEvent(tx, member.id, changed));
      });
    }
    for (const { recipientOrganizationId, purpose } of member.consents ?? []) {
      if (!isConsentPurpose(purpose)) continue;
      await grantConsent(
        { prisma },
        {
          memberId: member.id,
          recipientOrganizationId,
          purpose,
          noticeVersion: PRIVACY_NOTICES[purpose].version,
        },
      );
    }
    created += 1;
  }
  // Demo people sign in with one published password (printed by the run command).
  let passwordHash: string | undefined;
  for (const member of data.members) {
    if (!member.account) continue;
    if (
      await prisma.account.findUnique({
        where: { memberId: member.id },
        select: { memberId: true },
      })
    )
      continue;
    passwordHash ??= await hashPassword(data.demoPassword);
    await prisma.account.create({
      data: {
        memberId: member.id,
        email: member.account.email,
        passwordHash,
        roles: member.account.roles,
      },
    });
    created += 1;
  }
  for (const key of data.apiKeys) {
    if (await prisma.apiKey.findUnique({ where: { id: key.id }, select: { id: true } })) continue;
    await prisma.apiKey.create({
      data: {
        id: key.id,
        organizationId: key.organizationId,
        name: key.name,
        prefix: key.key.slice(API_KEY_PREFIX.length, API_KEY_PREFIX.length + 8),
        keyHash: hashApiKey(key.key),
        scopes: key.scopes,
        purpose: key.purpose,
        rateLimitPerMinute: key.rateLimitPerMinute,
      },
    });
    created += 1;
  }
  for (const affiliation of data.affiliations) {
    if (
      await prisma.affiliation.findUnique({ where: { id: affiliation.id }, select: { id: true } })
    )
      continue;
    // Demo facts, entered by the hub itself: confirmed.
    await addAffiliation({ prisma }, affiliation, { confirmed: true });
    created += 1;
  }
  return { created };
}
