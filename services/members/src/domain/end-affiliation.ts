import { dateColumn, isoDate } from '@hub/contracts';
import { type CommitContext, commit } from '@hub/event-bus';
import { AppError, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { Affiliation, PrismaClient } from '../generated/prisma/client.js';
import { affiliationChangedEvent } from './affiliation-events.js';
import { lockLiveMember } from './member-guard.js';

export const ZEndAffiliation = z.object({ id: z.uuid(), endsOn: z.iso.date() });

export function affiliationNotFound(): AppError {
  return new AppError('NOT_FOUND', '所属が見つかりません (affiliation not found)', {
    field: 'id',
  });
}

/**
 * Ends an open affiliation on a date (the row stays as history) and announces it — unless it
 * was never confirmed, and so never announced.
 */
export async function endAffiliation(
  db: CommitContext<PrismaClient>,
  input: unknown,
): Promise<Affiliation> {
  const fields = parseInput(ZEndAffiliation, input);
  return commit(db, async (tx, emit) => {
    const found = await tx.affiliation.findUnique({ where: { id: fields.id } });
    if (!found) throw affiliationNotFound();
    // The input names the affiliation, not the member: an erased member is reported at its id.
    await lockLiveMember(tx, found.memberId, 'id');
    // Read again under the member's lock: a concurrent end or promotion may have won.
    const affiliation = await tx.affiliation.findUniqueOrThrow({ where: { id: fields.id } });
    if (affiliation.endsOn) {
      throw new AppError(
        'CONFLICT',
        `この所属は ${isoDate(affiliation.endsOn)} に終了しています (the affiliation has already ended)`,
        { field: 'id' },
      );
    }
    if (fields.endsOn < isoDate(affiliation.startsOn)) {
      throw new AppError(
        'BAD_USER_INPUT',
        '終了日は開始日以降にしてください (endsOn must not precede startsOn)',
        { field: 'endsOn' },
      );
    }
    const ended = await tx.affiliation.update({
      where: { id: affiliation.id },
      data: { endsOn: dateColumn(fields.endsOn) },
    });
    if (ended.confirmedAt) emit(affiliationChangedEvent(ended, 'ended'));
    return ended;
  });
}
