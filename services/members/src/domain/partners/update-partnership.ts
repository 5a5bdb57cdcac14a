import { parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { Partnership, PrismaClient } from '../../generated/prisma/client.js';
import { writeAuditEntry } from '../privacy/audit-entries.js';
import { PARTNER_BASES } from './grant-partnership.js';
import type { PartnerActor } from './partner-actor.js';
import {
  ceilingFields,
  isActivePartnership,
  lockedPartnership,
  notAPartner,
  ZPartnerCeiling,
} from './partner-ceiling.js';

export const ZUpdatePartnership = z.intersection(
  z.object({ organizationId: z.uuid(), basis: z.enum(PARTNER_BASES).nullish() }),
  ZPartnerCeiling,
);
export type TUpdatePartnership = z.input<typeof ZUpdatePartnership>;

/**
 * Replaces a partner's ceiling (hub admins only). Keys and consents beyond a lowered ceiling
 * are not deleted: the key verification route and the read checks refuse them from now on (a
 * purpose may be suspended for a while, e.g. until its privacy notice is revised), and the
 * partner's admins see those keys as inactive. Raising the ceiling again lets them work again.
 */
export async function updatePartnership(
  prisma: PrismaClient,
  input: unknown,
  actor: PartnerActor,
  now = new Date(),
): Promise<Partnership> {
  const fields = parseInput(ZUpdatePartnership, input);
  return prisma.$transaction(async (tx) => {
    const existing = await lockedPartnership(tx, fields.organizationId, 'update');
    if (!existing || !isActivePartnership(existing)) throw notAPartner();
    const partnership = await tx.partnership.update({
      where: { organizationId: fields.organizationId },
      data: {
        basis: fields.basis ?? existing.basis,
        scopes: [...new Set(fields.scopes)],
        purposes: [...new Set(fields.purposes)],
        updatedAt: now,
      },
    });
    await writeAuditEntry(tx, {
      action: 'PARTNERSHIP_UPDATED',
      memberId: null,
      organizationId: fields.organizationId,
      actorMemberId: actor.memberId,
      fields: ceilingFields(partnership),
      requestId: actor.requestId,
      at: now,
    });
    return partnership;
  });
}
