import { AFFILIATION_ROLES, dateColumn } from '@hub/contracts';
import { type CommitContext, commit } from '@hub/event-bus';
import { AppError, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { Affiliation, PrismaClient } from '../generated/prisma/client.js';
import { type AffiliationConfirmation, confirmedAtOnCreation } from './affiliation-confirmation.js';
import { affiliationChangedEvent } from './affiliation-events.js';
import { lockLiveMember } from './member-guard.js';

export const ZAddAffiliation = z
  .object({
    id: z.uuid().optional(),
    memberId: z.uuid(),
    organizationId: z.uuid(),
    role: AFFILIATION_ROLES.keySchema,
    startsOn: z.iso.date(),
    endsOn: z.iso.date().nullish(),
  })
  .refine((a) => !a.endsOn || a.endsOn >= a.startsOn, {
    message: '終了日は開始日以降にしてください (endsOn must not precede startsOn)',
    path: ['endsOn'],
  });

/**
 * Records that a member holds a role at an organization from a date (history is never
 * overwritten). Confirmed as created when the caller may vouch for it (the member themself, a
 * hub admin, the demo seed) and then announced with `members.affiliation.changed` (started);
 * otherwise it awaits the member, who confirms it (announced then) or declines it.
 */
export async function addAffiliation(
  db: CommitContext<PrismaClient>,
  input: unknown,
  confirmation: AffiliationConfirmation,
): Promise<Affiliation> {
  const fields = parseInput(ZAddAffiliation, input);
  const startsOn = dateColumn(fields.startsOn);
  const endsOn = fields.endsOn ? dateColumn(fields.endsOn) : null;
  return commit(db, async (tx, emit) => {
    await lockLiveMember(tx, fields.memberId);
    const organization = await tx.organization.findUnique({
      where: { id: fields.organizationId },
      select: { id: true },
    });
    if (!organization) {
      throw new AppError('NOT_FOUND', '組織が見つかりません (organization not found)', {
        field: 'organizationId',
      });
    }
    // The same role twice over the same days would make the history ambiguous.
    const overlapping = await tx.affiliation.findFirst({
      where: {
        memberId: fields.memberId,
        organizationId: fields.organizationId,
        role: fields.role,
        ...(endsOn ? { startsOn: { lte: endsOn } } : {}),
        OR: [{ endsOn: null }, { endsOn: { gte: startsOn } }],
      },
      select: { id: true },
    });
    if (overlapping) {
      throw new AppError(
        'CONFLICT',
        '同じ期間に同じ役割の所属があります (an affiliation with this role overlaps these dates)',
        { field: 'startsOn' },
      );
    }
    const affiliation = await tx.affiliation.create({
      data: { ...fields, startsOn, endsOn, confirmedAt: confirmedAtOnCreation(confirmation) },
    });
    if (affiliation.confirmedAt) emit(affiliationChangedEvent(affiliation, 'started'));
    return affiliation;
  });
}
