import { assertUuid } from '@hub/service-kit';
import type { Partnership, PrismaClient } from '../../generated/prisma/client.js';
import { writeAuditEntry } from '../privacy/audit-entries.js';
import type { PartnerActor } from './partner-actor.js';
import { lockedPartnership, notAPartner } from './partner-ceiling.js';

/**
 * Ends an organisation's partner status (hub admins only) and revokes all its keys in the same
 * transaction, each revocation audited like revokeApiKey. A gateway stops accepting the keys
 * within its key cache (≤ 10 s); members refuses their personal-data reads at once. Consents
 * naming the organisation stay in the members' records and let it read nothing while it is
 * not a partner. Withdrawing a withdrawn partnership changes and logs nothing.
 */
export async function withdrawPartnership(
  prisma: PrismaClient,
  organizationId: string,
  actor: PartnerActor,
  now = new Date(),
): Promise<Partnership> {
  assertUuid(organizationId, 'organizationId');
  return prisma.$transaction(async (tx) => {
    const existing = await lockedPartnership(tx, organizationId, 'update');
    if (!existing) throw notAPartner();
    if (existing.withdrawnAt) return existing;
    const partnership = await tx.partnership.update({
      where: { organizationId },
      data: { withdrawnAt: now, updatedAt: now },
    });
    const keys = await tx.apiKey.findMany({
      where: { organizationId, revokedAt: null },
      select: { id: true },
    });
    await tx.apiKey.updateMany({
      where: { id: { in: keys.map((key) => key.id) } },
      data: { revokedAt: now },
    });
    await tx.auditLogEntry.createMany({
      data: keys.map((key) => ({
        action: 'API_KEY_REVOKED' as const,
        organizationId,
        apiKeyId: key.id,
        actorMemberId: actor.memberId,
        requestId: actor.requestId,
        at: now,
      })),
    });
    await writeAuditEntry(tx, {
      action: 'PARTNERSHIP_WITHDRAWN',
      memberId: null,
      organizationId,
      actorMemberId: actor.memberId,
      requestId: actor.requestId,
      at: now,
    });
    return partnership;
  });
}
