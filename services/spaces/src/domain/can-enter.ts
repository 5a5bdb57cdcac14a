import { dateColumn, todayInJapan } from '@hub/contracts';
import { STAFF_ROLES } from '@hub/identity';
import { AppError, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { ENTRY_REASONS, type EntryReason } from './entry-reasons.js';

const ZCanEnter = z.object({
  memberId: z.uuid(),
  spaceId: z.uuid(),
  roomId: z.uuid().nullish(),
});

export type EntryDecision = { allowed: boolean; reason: EntryReason; message: string };

const decide = (allowed: boolean, reason: EntryReason): EntryDecision => ({
  allowed,
  reason,
  message: ENTRY_REASONS[reason],
});

type Db = PrismaClient | Prisma.TransactionClient;

/** Rows whose [startsOn, endsOn] (ends null: open) contains `day`. */
const coversDay = (day: Date) => ({
  startsOn: { lte: day },
  OR: [{ endsOn: null }, { endsOn: { gte: day } }],
});

/**
 * Whether a member may enter a space (its common area) or one of its rooms at `at`, and why.
 * Staff of the space's operator enter everywhere. A satellite office admits only the confirmed
 * affiliates of the organisation it is let to that day; the common area and meeting rooms admit
 * the space's members and holders of a pass redeemed at this space for that Tokyo day.
 * Affiliations are members' confirmed ones (the member_affiliation read model).
 */
export async function canEnter(db: Db, input: unknown, at = new Date()): Promise<EntryDecision> {
  const { memberId, spaceId, roomId } = parseInput(ZCanEnter, input);
  const day = dateColumn(todayInJapan(at));
  const space = await db.space.findUnique({
    where: { id: spaceId },
    select: { operatorId: true, status: true },
  });
  if (!space) {
    throw new AppError('NOT_FOUND', '拠点が見つかりません (no such space)', { field: 'spaceId' });
  }
  const room = roomId
    ? await db.room.findFirst({ where: { id: roomId, spaceId }, select: { id: true, kind: true } })
    : null;
  if (roomId && !room) {
    throw new AppError('NOT_FOUND', 'この拠点にその部屋はありません (no such room in this space)', {
      field: 'roomId',
    });
  }
  const affiliatedWith = async (organizationId: string, roles?: readonly string[]) =>
    (await db.memberAffiliation.count({
      where: {
        memberId,
        organizationId,
        ...(roles ? { role: { in: [...roles] } } : {}),
        ...coversDay(day),
      },
    })) > 0;

  if (space.operatorId && (await affiliatedWith(space.operatorId, STAFF_ROLES))) {
    return decide(true, 'SPACE_STAFF');
  }
  if (space.status !== 'OPEN') return decide(false, 'SPACE_NOT_OPEN');

  if (room?.kind === 'SATELLITE_OFFICE') {
    const lease = await db.satelliteLease.findFirst({
      where: { roomId: room.id, ...coversDay(day) },
      select: { tenantOrganizationId: true },
    });
    if (!lease) return decide(false, 'ROOM_NOT_LET');
    return (await affiliatedWith(lease.tenantOrganizationId))
      ? decide(true, 'TENANT_AFFILIATE')
      : decide(false, 'NOT_TENANT_AFFILIATE');
  }

  const membership = await db.spaceMembership.count({
    where: { memberId, spaceId, ...coversDay(day) },
  });
  if (membership > 0) return decide(true, 'SPACE_MEMBER');
  const redeemed = await db.passRedemption.count({
    where: { hostSpaceId: spaceId, date: day, pass: { memberId } },
  });
  if (redeemed > 0) return decide(true, 'PASS_REDEEMED');
  return decide(false, 'NO_MEMBERSHIP_OR_PASS');
}
