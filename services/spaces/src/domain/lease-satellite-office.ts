import { dateColumn, ZTokyoDate } from '@hub/contracts';
import { type CommitContext, commit } from '@hub/event-bus';
import { AppError, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { PrismaClient, SatelliteLease } from '../generated/prisma/client.js';
import { leaseGrantedEvent } from './satellite-lease-events.js';

const ZLeaseSatelliteOffice = z
  .object({
    id: z.uuid().optional(),
    roomId: z.uuid(),
    tenantOrganizationId: z.uuid(),
    startsOn: ZTokyoDate,
    endsOn: ZTokyoDate.nullish(),
  })
  .refine((input) => !input.endsOn || input.endsOn >= input.startsOn, {
    path: ['endsOn'],
    message: '終了日が開始日より前です (ends before it starts)',
  });

/**
 * Lets a satellite-office room to a tenant organisation for a period. A room is never let
 * twice for overlapping periods: the room's row is locked first, so of two concurrent leases
 * the second sees the first and is refused (ROOM_ALREADY_LET) instead of both passing the check.
 * Announced as `spaces.satellite-lease.granted` (the tenant's people may enter the room).
 */
export async function leaseSatelliteOffice(
  db: CommitContext<PrismaClient>,
  input: unknown,
): Promise<SatelliteLease> {
  const fields = parseInput(ZLeaseSatelliteOffice, input);
  const startsOn = dateColumn(fields.startsOn);
  const endsOn = fields.endsOn ? dateColumn(fields.endsOn) : null;
  return commit(db, async (tx, emit) => {
    const [room] = await tx.$queryRaw<{ kind: string; spaceId: string }[]>`
      SELECT kind::text, space_id AS "spaceId" FROM room WHERE id = ${fields.roomId}::uuid FOR UPDATE`;
    if (!room) {
      throw new AppError('NOT_FOUND', '部屋が見つかりません (no such room)', { field: 'roomId' });
    }
    if (room.kind !== 'satellite-office') {
      throw new AppError(
        'CONFLICT',
        'サテライトオフィスではない部屋は貸し出せません (only a satellite-office room can be let)',
        { field: 'roomId' },
      );
    }
    const clash = await tx.satelliteLease.findFirst({
      where: {
        roomId: fields.roomId,
        ...(endsOn ? { startsOn: { lte: endsOn } } : {}),
        OR: [{ endsOn: null }, { endsOn: { gte: startsOn } }],
      },
      select: { id: true },
    });
    if (clash) {
      throw new AppError(
        'ROOM_ALREADY_LET',
        'この部屋はこの期間すでに貸し出されています (the room is already let for part of that period)',
        { field: 'startsOn' },
      );
    }
    const lease = await tx.satelliteLease.create({
      data: {
        ...(fields.id ? { id: fields.id } : {}),
        roomId: fields.roomId,
        tenantOrganizationId: fields.tenantOrganizationId,
        startsOn,
        endsOn,
      },
    });
    emit(leaseGrantedEvent(lease, room.spaceId));
    return lease;
  });
}
