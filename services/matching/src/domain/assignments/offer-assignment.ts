import { type CommitContext, commit } from '@hub/event-bus';
import { AppError, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import { lockMember } from '../../events/lock-member.js';
import type { Assignment, PrismaClient } from '../../generated/prisma/client.js';
import { noteRankingChange } from '../../ranking/change-log.js';
import { ASSIGNMENT_ROLES, MAX_VOLUME } from '../work-order-fields.js';
import { isConfirmedWorkOrder, lockedWorkOrder } from '../work-order-links.js';
import { type Actor, requireDistributor } from '../work-orders/actor.js';
import { describeVolume, remainingVolumeOf } from '../work-orders/remaining-volume.js';
import {
  DISTRIBUTING_STATUSES,
  invalidTransition,
  moveWorkOrder,
} from '../work-orders/transitions.js';
import { emitAssignmentEvent } from './assignment-events.js';
import { capacityOf, hoursOf, lockMemberCapacity, offerPeriod, overCapacity } from './capacity.js';
import { requireEligible } from './eligibility.js';
import { openRolesOf, teamRolesOf } from './team-roles.js';

export const ZOfferAssignmentInput = z.object({
  workOrderId: z.uuid('発注 ID は UUID です (workOrderId must be a UUID)'),
  memberId: z.uuid('会員 ID は UUID です (memberId must be a UUID)'),
  role: z.enum(ASSIGNMENT_ROLES),
  volume: z
    .int('作業量は整数です (volume must be an integer)')
    .positive('作業量は1以上です (volume must be greater than 0)')
    .max(MAX_VOLUME, `作業量は${MAX_VOLUME}以下です (volume: at most ${MAX_VOLUME})`),
});

/**
 * Offers a member a share of an order in a role. Under the order's row lock (its remaining
 * volume) and the member's capacity lock (their hours), so concurrent offers never allocate
 * more than the order has or the worker can do. The first offer moves an OPEN order to
 * ASSIGNING. Announces `matching.assignment.offered`.
 */
export async function offerAssignment(
  db: CommitContext<PrismaClient>,
  input: unknown,
  actor: Actor,
): Promise<Assignment> {
  const fields = parseInput(ZOfferAssignmentInput, input);
  return commit(db, async (tx, emit) => {
    // The member's erasure holds this lock while it deletes their worker row and offers: taken
    // here, the eligibility check below sees the erasure committed (no worker: NOT_ELIGIBLE), or
    // the erasure waits and then deletes the offer. First, as the erasure takes it before it
    // touches order rows, so the two never wait on each other.
    await lockMember(tx, fields.memberId);
    let order = await lockedWorkOrder(tx, fields.workOrderId);
    await requireDistributor(tx, actor, order);
    if (!DISTRIBUTING_STATUSES.includes(order.status) || !isConfirmedWorkOrder(order)) {
      throw invalidTransition(order, { ja: '割り当て', en: 'offer work on' });
    }
    const roles = teamRolesOf(order.roles);
    if (roles.length > 0) {
      const assignments = await tx.assignment.findMany({
        where: { workOrderId: order.id, status: { not: 'DECLINED' } },
        select: { role: true, status: true },
      });
      const role = openRolesOf(roles, assignments).find((entry) => entry.role === fields.role);
      if (!role || role.open === 0) {
        throw new AppError(
          'CONFLICT',
          `この発注に空いている役割「${fields.role}」はありません (no open ${fields.role} role on this team order)`,
          { field: 'role' },
        );
      }
    }
    const remaining = await remainingVolumeOf(tx, order.id);
    if (fields.volume > remaining) {
      const left = describeVolume(remaining, order.volumeUnit);
      throw new AppError(
        'ALLOCATION_EXCEEDS_REMAINING',
        `割り当てられるのは残り${left.ja}までです (at most the remaining ${left.en} can be allocated)`,
        { field: 'volume' },
      );
    }
    await requireEligible(tx, order, fields.memberId, fields.role);
    const now = new Date();
    const period = offerPeriod(order, now);
    const hours = hoursOf(order, fields.volume);
    await lockMemberCapacity(tx, fields.memberId);
    const capacity = await capacityOf(tx, fields.memberId, period, now);
    if (hours > capacity.remainingHours) throw overCapacity(capacity, hours);

    const assignment = await tx.assignment.create({
      data: {
        workOrderId: order.id,
        memberId: fields.memberId,
        role: fields.role,
        allocatedVolume: fields.volume,
        allocatedHours: hours,
        offeredBy: actor.memberId,
        periodEndsAt: period.endsAt,
      },
    });
    if (order.status === 'OPEN') {
      order = await moveWorkOrder(tx, emit, order, 'ASSIGNING', {
        action: { ja: '割り当て', en: 'offer work on' },
        byMemberId: actor.memberId,
      });
    }
    emitAssignmentEvent(emit, 'matching.assignment.offered', {
      ...assignment,
      memberId: fields.memberId,
    });
    await noteRankingChange(tx, [fields.memberId]);
    return assignment;
  });
}
