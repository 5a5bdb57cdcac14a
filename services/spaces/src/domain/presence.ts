import { type CommitContext, commit, type EventDraft } from '@hub/event-bus';
import { AppError, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { Prisma, PrismaClient, Visit } from '../generated/prisma/client.js';
import { canEnter } from './can-enter.js';
import { isOpenAt } from './opening-hours.js';
import { storedHoursOf } from './search-spaces.js';

const ZCheckIn = z.object({
  memberId: z.uuid(),
  spaceId: z.uuid(),
  roomId: z.uuid().nullish(),
  /** Why staff let the member in although they may not enter or it is full. */
  overrideReason: z.string().trim().min(1).max(500).nullish(),
});

const ZCheckOut = z.object({ memberId: z.uuid(), spaceId: z.uuid() });

/** Who is checking the member in: staff may override a refusal, with a reason. */
export type CheckInActor = { memberId: string | null; isSpaceStaff: boolean };

/** A stay whose member is known: every stay until the member's erasure. */
type NamedVisit = Visit & { memberId: string };

function checkedInEvent(visit: NamedVisit): EventDraft<'spaces.presence.checked-in'> {
  return {
    type: 'spaces.presence.checked-in',
    subject: visit.id,
    data: {
      visitId: visit.id,
      memberId: visit.memberId,
      spaceId: visit.spaceId,
      roomId: visit.roomId,
      checkedInAt: visit.checkedInAt.toISOString(),
      overridden: visit.overrideBy !== null,
    },
  };
}

function checkedOutEvent(visit: NamedVisit): EventDraft<'spaces.presence.checked-out'> {
  return {
    type: 'spaces.presence.checked-out',
    subject: visit.id,
    data: {
      visitId: visit.id,
      memberId: visit.memberId,
      spaceId: visit.spaceId,
      roomId: visit.roomId,
      checkedInAt: visit.checkedInAt.toISOString(),
      checkedOutAt: visit.checkedOutAt!.toISOString(),
      automatic: visit.autoCheckedOut,
    },
  };
}

const openVisits = (where: Prisma.VisitWhereInput) => ({ ...where, checkedOutAt: null });

/**
 * Records a member entering a space (the common area, or a room). Refused when canEnter says no
 * (ENTRY_REFUSED, with its reason) or the room or space is full (OVER_CAPACITY) — unless the
 * space's staff override it with a reason, which the visit records with who did it. The space's
 * row is locked first, so concurrent check-ins cannot together pass the capacity.
 */
export async function checkIn(
  db: CommitContext<PrismaClient>,
  input: unknown,
  actor: CheckInActor,
  now = new Date(),
): Promise<Visit> {
  const fields = parseInput(ZCheckIn, input);
  const override = fields.overrideReason ?? null;
  if (override && !actor.isSpaceStaff) {
    throw new AppError(
      'ENTRY_REFUSED',
      '入室の許可は拠点のスタッフのみができます (only the space’s staff may override)',
      { field: 'overrideReason' },
    );
  }
  return commit(db, async (tx, emit) => {
    await tx.$queryRaw`SELECT id FROM space WHERE id = ${fields.spaceId}::uuid FOR UPDATE`;
    // NOT_FOUND for an unknown space or a room of another space comes from here.
    const decision = await canEnter(tx, fields, now);
    if (!decision.allowed && !override) {
      throw new AppError('ENTRY_REFUSED', decision.message, { field: 'memberId' });
    }
    const already = await tx.visit.findFirst({
      where: openVisits({ memberId: fields.memberId, spaceId: fields.spaceId }),
      select: { id: true },
    });
    if (already) {
      throw new AppError(
        'ALREADY_CHECKED_IN',
        'すでにこの拠点にチェックインしています (already checked in at this space)',
        { field: 'memberId' },
      );
    }
    if (!override) await ensureRoomFor(tx, fields.spaceId, fields.roomId ?? null);
    const visit = await tx.visit.create({
      data: {
        memberId: fields.memberId,
        spaceId: fields.spaceId,
        roomId: fields.roomId ?? null,
        checkedInAt: now,
        overrideBy: override ? actor.memberId : null,
        overrideReason: override,
      },
    });
    emit(checkedInEvent({ ...visit, memberId: fields.memberId }));
    return visit;
  });
}

/** OVER_CAPACITY when the room (if any) or the whole space has no place left. */
async function ensureRoomFor(tx: Prisma.TransactionClient, spaceId: string, roomId: string | null) {
  const space = await tx.space.findUniqueOrThrow({
    where: { id: spaceId },
    select: { capacity: true },
  });
  const room = roomId
    ? await tx.room.findUniqueOrThrow({ where: { id: roomId }, select: { capacity: true } })
    : null;
  const full = async (capacity: number | null | undefined, where: Prisma.VisitWhereInput) =>
    capacity != null && (await tx.visit.count({ where: openVisits(where) })) >= capacity;
  if (
    (room && (await full(room.capacity, { roomId: roomId! }))) ||
    (await full(space.capacity, { spaceId }))
  ) {
    throw new AppError('OVER_CAPACITY', '定員に達しています (the space or room is full)', {
      field: roomId ? 'roomId' : 'spaceId',
    });
  }
}

/** Records a member leaving a space: NOT_CHECKED_IN when they have no open stay there. */
export async function checkOut(
  db: CommitContext<PrismaClient>,
  input: unknown,
  now = new Date(),
): Promise<Visit> {
  const { memberId, spaceId } = parseInput(ZCheckOut, input);
  return commit(db, async (tx, emit) => {
    const open = await tx.visit.findFirst({ where: openVisits({ memberId, spaceId }) });
    // The conditional update: of two concurrent check-outs only one finds the stay still open.
    const closed = open
      ? await tx.visit.updateMany({
          where: { id: open.id, checkedOutAt: null },
          data: { checkedOutAt: now },
        })
      : { count: 0 };
    if (!open || closed.count === 0) {
      throw new AppError(
        'NOT_CHECKED_IN',
        'この拠点にチェックインしていません (not checked in at this space)',
        { field: 'memberId' },
      );
    }
    const visit = { ...open, memberId, checkedOutAt: now };
    emit(checkedOutEvent(visit));
    return visit;
  });
}

/**
 * The closing-time job: whoever is still inside a space that is closed at `now` (its opening
 * hours, holidays and exceptions) is checked out, marked automatic. Spaces without published
 * hours are left alone — their closing time is unknown. Returns how many were checked out.
 */
export async function checkOutAtClosing(db: CommitContext<PrismaClient>, now = new Date()) {
  const spaces = await db.prisma.space.findMany({
    where: { visits: { some: { checkedOutAt: null } } },
  });
  let count = 0;
  for (const space of spaces) {
    const hours = storedHoursOf(space);
    if (Object.keys(hours.weeklyHours ?? {}).length === 0 || isOpenAt(hours, now)) continue;
    count += await commit(db, async (tx, emit) => {
      // Locks the stays first: a check-out racing the job waits, then finds the stay closed.
      const locked = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM visit WHERE space_id = ${space.id}::uuid AND checked_out_at IS NULL FOR UPDATE`;
      const open = await tx.visit.findMany({ where: { id: { in: locked.map((row) => row.id) } } });
      await tx.visit.updateMany({
        where: { id: { in: open.map((visit) => visit.id) }, checkedOutAt: null },
        data: { checkedOutAt: now, autoCheckedOut: true },
      });
      for (const { memberId, ...visit } of open) {
        // An erased member's stay closes unannounced: there is no one to announce it about.
        if (memberId)
          emit(checkedOutEvent({ ...visit, memberId, checkedOutAt: now, autoCheckedOut: true }));
      }
      return open.length;
    });
  }
  return count;
}

/**
 * CAPACITY_BELOW_OCCUPANCY when a new capacity is below the people inside now. The caller holds
 * the space's row lock, the one checkIn takes, so nobody enters between the count and the write.
 */
export async function ensureCapacityHolds(
  tx: Prisma.TransactionClient,
  capacity: number | null | undefined,
  where: { spaceId: string } | { roomId: string },
) {
  if (capacity == null) return;
  const inside = await tx.visit.count({ where: openVisits(where) });
  if (capacity < inside) {
    throw new AppError(
      'CAPACITY_BELOW_OCCUPANCY',
      `定員 ${capacity} 人は現在の在室人数 ${inside} 人より少なくできません (capacity ${capacity} is below the ${inside} people inside now)`,
      { field: 'capacity' },
    );
  }
}

/** People inside now, per space and per room (live occupancy). */
export function occupancy(db: PrismaClient, where: { spaceId: string } | { roomId: string }) {
  return db.visit.count({ where: openVisits(where) });
}
