import { dateColumn, isoDate, ZTokyoDate } from '@hub/contracts';
import { type CommitContext, commit } from '@hub/event-bus';
import { AppError, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { PrismaClient, SatelliteLease } from '../generated/prisma/client.js';
import { leaseEndedEvent } from './satellite-lease-events.js';

const ZEndSatelliteLease = z.object({ leaseId: z.uuid(), endsOn: ZTokyoDate });

/**
 * Brings a lease's last day forward (never later: a later end could overlap the room's next
 * lease). Under the room's row lock, as leaseSatelliteOffice takes it, so a lease being let
 * meanwhile sees the period as it will be. Announced as `spaces.satellite-lease.ended`.
 */
export async function endSatelliteLease(
  db: CommitContext<PrismaClient>,
  input: unknown,
): Promise<SatelliteLease> {
  const { leaseId, endsOn } = parseInput(ZEndSatelliteLease, input);
  return commit(db, async (tx, emit) => {
    const found = await tx.satelliteLease.findUnique({
      where: { id: leaseId },
      select: { roomId: true },
    });
    if (!found) {
      throw new AppError('NOT_FOUND', '貸出が見つかりません (no such lease)', {
        field: 'leaseId',
      });
    }
    const [room] = await tx.$queryRaw<{ spaceId: string }[]>`
      SELECT space_id AS "spaceId" FROM room WHERE id = ${found.roomId}::uuid FOR UPDATE`;
    const lease = await tx.satelliteLease.findUniqueOrThrow({ where: { id: leaseId } });
    if (endsOn < isoDate(lease.startsOn)) {
      throw new AppError(
        'BAD_USER_INPUT',
        `終了日が開始日 ${isoDate(lease.startsOn)} より前です (ends before it starts, ${isoDate(lease.startsOn)})`,
        { field: 'endsOn' },
      );
    }
    if (lease.endsOn && endsOn >= isoDate(lease.endsOn)) {
      throw new AppError(
        'CONFLICT',
        `終了日は今の終了日 ${isoDate(lease.endsOn)} より前にしてください — 延長はできません (the new last day must be before the current one, ${isoDate(lease.endsOn)}: a lease cannot be extended)`,
        { field: 'endsOn' },
      );
    }
    const ended = await tx.satelliteLease.update({
      where: { id: leaseId },
      data: { endsOn: dateColumn(endsOn) },
    });
    emit(leaseEndedEvent({ ...ended, endsOn: dateColumn(endsOn) }, room!.spaceId));
    return ended;
  });
}
