import { dateColumn, SPACE_MEMBERSHIP_PLANS, ZTokyoDate } from '@hub/contracts';
import { type CommitContext, commit } from '@hub/event-bus';
import { AppError, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { PrismaClient, SpaceMembership } from '../generated/prisma/client.js';
import { lockMemberships } from './member-lock.js';
import { membershipStartedEvent } from './space-membership-events.js';

const ZStartSpaceMembership = z
  .object({
    // Seeds pass fixed ids so demo data stays stable; clients never do.
    id: z.uuid().optional(),
    memberId: z.uuid(),
    spaceId: z.uuid(),
    plan: SPACE_MEMBERSHIP_PLANS.keySchema,
    startsOn: ZTokyoDate,
    endsOn: ZTokyoDate.nullish(),
  })
  .refine((input) => !input.endsOn || input.endsOn >= input.startsOn, {
    path: ['endsOn'],
    message: '終了日が開始日より前です (ends before it starts)',
  });

/** Rows of one member at one space whose period meets [startsOn, endsOn]. */
export function overlapping(
  memberId: string,
  spaceId: string,
  startsOn: Date,
  endsOn: Date | null,
) {
  return {
    memberId,
    spaceId,
    ...(endsOn ? { startsOn: { lte: endsOn } } : {}),
    OR: [{ endsOn: null }, { endsOn: { gte: startsOn } }],
  };
}

/**
 * Records a member's membership of a space and announces it
 * (`spaces.space-membership.started`). One membership per member and space at a time: a change
 * of plan ends the old one first, so "which plan on that day" always has one answer.
 */
export async function startSpaceMembership(
  db: CommitContext<PrismaClient>,
  input: unknown,
): Promise<SpaceMembership> {
  const fields = parseInput(ZStartSpaceMembership, input);
  const startsOn = dateColumn(fields.startsOn);
  const endsOn = fields.endsOn ? dateColumn(fields.endsOn) : null;
  return commit(db, async (tx, emit) => {
    // Serialises a member's memberships (two concurrent starts cannot both pass the overlap
    // check) and their erasure (none is recorded for an erased member).
    await lockMemberships(tx, fields.memberId);
    if (await tx.erasedMember.findUnique({ where: { memberId: fields.memberId } })) {
      throw new AppError('MEMBER_ERASED', 'この会員は削除されています (the member was erased)', {
        field: 'memberId',
      });
    }
    const space = await tx.space.findUnique({ where: { id: fields.spaceId } });
    if (!space) {
      throw new AppError('NOT_FOUND', '拠点が見つかりません (no such space)', { field: 'spaceId' });
    }
    const clash = await tx.spaceMembership.findFirst({
      where: overlapping(fields.memberId, fields.spaceId, startsOn, endsOn),
      select: { id: true },
    });
    if (clash) {
      throw new AppError(
        'CONFLICT',
        'この期間にはすでにこの拠点の会員資格があります。先に終了してください (the member already holds a membership of this space in that period; end it first)',
        { field: 'startsOn' },
      );
    }
    const membership = await tx.spaceMembership.create({
      data: {
        ...(fields.id ? { id: fields.id } : {}),
        memberId: fields.memberId,
        spaceId: fields.spaceId,
        plan: fields.plan,
        startsOn,
        endsOn,
      },
    });
    emit(membershipStartedEvent(membership, space));
    return membership;
  });
}
