import { type CommitContext, commit } from '@hub/event-bus';
import { AppError, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { PrismaClient, Room } from '../generated/prisma/client.js';

export const ROOM_KINDS = ['COMMON_AREA', 'MEETING_ROOM', 'SATELLITE_OFFICE'] as const;

const ZCreateRoom = z.object({
  // Seeds pass fixed ids so demo data stays stable; clients never do.
  id: z.uuid().optional(),
  spaceId: z.uuid(),
  name: z.string().trim().min(1).max(200),
  nameEn: z.string().trim().min(1).max(200).nullish(),
  kind: z.enum(ROOM_KINDS),
  capacity: z.number().int().min(1).max(10_000).nullish(),
});

/** Adds a room (common area, meeting room or satellite office) to a space. */
export async function createRoom(db: CommitContext<PrismaClient>, input: unknown): Promise<Room> {
  const fields = parseInput(ZCreateRoom, input);
  return commit(db, async (tx) => {
    const space = await tx.space.findUnique({
      where: { id: fields.spaceId },
      select: { id: true },
    });
    if (!space) {
      throw new AppError('NOT_FOUND', '拠点が見つかりません (no such space)', { field: 'spaceId' });
    }
    return tx.room.create({
      data: {
        ...(fields.id ? { id: fields.id } : {}),
        spaceId: fields.spaceId,
        name: fields.name,
        nameEn: fields.nameEn ?? null,
        kind: fields.kind,
        capacity: fields.capacity ?? null,
      },
    });
  });
}
