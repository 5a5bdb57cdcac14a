import type { PrismaClient } from '../../generated/prisma/client.js';
import { memberNotFound } from '../member-guard.js';

const iso = (date: Date | null) => date?.toISOString() ?? null;
const day = (date: Date | null) => date?.toISOString().slice(0, 10) ?? null;

/**
 * Everything the members service holds about one member (APPI 開示), as plain JSON. Left out on
 * purpose: secrets that are not information about the person — the password hash, refresh
 * token hashes and invitation codes (a code is a credential someone else could still use).
 */
export async function exportMemberData(
  prisma: PrismaClient,
  memberId: string,
): Promise<Record<string, unknown>> {
  const member = await prisma.member.findUnique({
    where: { id: memberId },
    include: {
      account: { include: { sessions: { orderBy: { createdAt: 'asc' } } } },
      skills: { orderBy: { skillCode: 'asc' } },
      links: { orderBy: { position: 'asc' } },
      affiliations: {
        orderBy: [{ startsOn: 'asc' }, { createdAt: 'asc' }],
        include: { organization: { select: { id: true, name: true } } },
      },
      consents: {
        orderBy: { grantedAt: 'asc' },
        include: { recipient: { select: { id: true, name: true } } },
      },
      invitations: { orderBy: { createdAt: 'asc' } },
    },
  });
  if (!member) throw memberNotFound();
  const auditLog = await prisma.auditLogEntry.findMany({
    where: { memberId },
    orderBy: [{ at: 'asc' }, { id: 'asc' }],
  });
  return {
    profile: {
      id: member.id,
      displayName: member.displayName,
      displayNameKana: member.displayNameKana,
      kind: member.kind,
      bio: member.bio,
      aspiration: member.aspiration,
      municipalityCode: member.municipalityCode,
      homeMunicipalityCode: member.homeMunicipalityCode,
      interests: member.interests,
      availableHoursPerWeek: member.availableHoursPerWeek,
      relocationInterest: member.relocationInterest,
      contactPhone: member.contactPhone,
      profileVisibility: member.profileVisibility,
      referredById: member.referredById,
      createdAt: iso(member.createdAt),
      updatedAt: iso(member.updatedAt),
      erasedAt: iso(member.erasedAt),
    },
    email: member.account?.email ?? null,
    account: member.account
      ? {
          email: member.account.email,
          roles: member.account.roles,
          createdAt: iso(member.account.createdAt),
          lockedUntil: iso(member.account.lockedUntil),
        }
      : null,
    skills: member.skills.map((skill) => ({
      code: skill.skillCode,
      level: skill.level,
      isVerified: skill.isVerified,
      verifiedBy: skill.verifiedBy,
      verifiedAt: iso(skill.verifiedAt),
    })),
    links: member.links.map((link) => ({ label: link.label, url: link.url })),
    affiliations: member.affiliations.map((affiliation) => ({
      id: affiliation.id,
      organization: affiliation.organization,
      role: affiliation.role,
      startsOn: day(affiliation.startsOn),
      endsOn: day(affiliation.endsOn),
      confirmedAt: iso(affiliation.confirmedAt),
    })),
    // Whom each consent lets receive the data (null: recorded before recipients were, so it
    // lets nobody), for which purpose.
    consents: member.consents.map((consent) => ({
      id: consent.id,
      recipient: consent.recipient,
      purpose: consent.purpose,
      noticeVersion: consent.noticeVersion,
      grantedAt: iso(consent.grantedAt),
      withdrawnAt: iso(consent.withdrawnAt),
    })),
    invitationsCreated: member.invitations.map((invitation) => ({
      id: invitation.id,
      maxUses: invitation.maxUses,
      uses: invitation.uses,
      createdAt: iso(invitation.createdAt),
      expiresAt: iso(invitation.expiresAt),
      revokedAt: iso(invitation.revokedAt),
    })),
    sessions: (member.account?.sessions ?? []).map((session) => ({
      id: session.id,
      createdAt: iso(session.createdAt),
      lastUsedAt: iso(session.lastUsedAt),
      revokedAt: iso(session.revokedAt),
      revokedReason: session.revokedReason,
    })),
    auditLog: auditLog.map((entry) => ({
      id: entry.id,
      at: iso(entry.at),
      action: entry.action,
      apiKeyId: entry.apiKeyId,
      organizationId: entry.organizationId,
      actorMemberId: entry.actorMemberId,
      fields: entry.fields,
      requestId: entry.requestId,
    })),
  };
}
