import { dateColumn, isoDate, ZTokyoDate } from '@hub/contracts';
import { type CommitContext, commit } from '@hub/event-bus';
import { AppError, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { PrismaClient, SpaceMembership } from '../generated/prisma/client.js';
import { membershipEndedEvent } from './space-membership-events.js';

const ZEndSpaceMembership = z.object({ id: z.uuid(), endsOn: ZTokyoDate });

/**
 * Ends a membership on `endsOn` (its last day, inclusive) and announces it
 * (`spaces.space-membership.ended`). A membership can be cut shorter, never lengthened past an
 * end already announced: that would be a new membership.
 */
export async function endSpaceMembership(
  db: CommitContext<PrismaClient>,
  input: unknown,
): Promise<SpaceMembership> {
  const { id, endsOn } = parseInput(ZEndSpaceMembership, input);
  return commit(db, async (tx, emit) => {
    const [locked] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM space_membership WHERE id = ${id}::uuid FOR UPDATE`;
    const current = locked ? await tx.spaceMembership.findUnique({ where: { id } }) : null;
    if (!current) {
      throw new AppError('NOT_FOUND', '会員資格が見つかりません (no such membership)', {
        field: 'id',
      });
    }
    if (endsOn < isoDate(current.startsOn)) {
      throw new AppError(
        'BAD_USER_INPUT',
        `終了日が開始日 ${isoDate(current.startsOn)} より前です (ends before it starts on ${isoDate(current.startsOn)})`,
        { field: 'endsOn' },
      );
    }
    if (current.endsOn && isoDate(current.endsOn) <= endsOn) {
      throw new AppError(
        'CONFLICT',
        `この会員資格は ${isoDate(current.endsOn)} に終了済みです (the membership already ends on ${isoDate(current.endsOn)})`,
        { field: 'endsOn' },
      );
    }
    const membership = await tx.spaceMembership.update({
      where: { id },
      data: { endsOn: dateColumn(endsOn) },
      include: { space: true },
    });
    const { space, ...row } = membership;
    emit(membershipEndedEvent({ ...row, endsOn: dateColumn(endsOn) }, space));
    return row;
  });
}
