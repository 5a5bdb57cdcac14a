import { type CommitContext, commit } from '@hub/event-bus';
import { AppError, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { PrismaClient, Room } from '../generated/prisma/client.js';
import { ensureCapacityHolds } from './presence.js';

const ZUpdateRoom = z.object({
  roomId: z.uuid(),
  name: z.string().trim().min(1).max(200).optional(),
  nameEn: z.string().trim().min(1).max(200).nullish(),
  capacity: z.number().int().min(1).max(10_000).nullish(),
});

/**
 * Changes a room's name or capacity (its kind stays: a satellite office's leases depend on it).
 * A capacity below the people inside now is refused (CAPACITY_BELOW_OCCUPANCY), checked under
 * the space's row lock that checkIn takes.
 */
export async function updateRoom(db: CommitContext<PrismaClient>, input: unknown): Promise<Room> {
  const { roomId, ...fields } = parseInput(ZUpdateRoom, input);
  return commit(db, async (tx) => {
    const room = await tx.room.findUnique({ where: { id: roomId }, select: { spaceId: true } });
    if (!room) {
      throw new AppError('NOT_FOUND', '部屋が見つかりません (no such room)', { field: 'roomId' });
    }
    await tx.$queryRaw`SELECT id FROM space WHERE id = ${room.spaceId}::uuid FOR UPDATE`;
    await ensureCapacityHolds(tx, fields.capacity, { roomId });
    return tx.room.update({
      where: { id: roomId },
      data: {
        ...(fields.name !== undefined ? { name: fields.name } : {}),
        ...(fields.nameEn !== undefined ? { nameEn: fields.nameEn } : {}),
        ...(fields.capacity !== undefined ? { capacity: fields.capacity } : {}),
      },
    });
  });
}
