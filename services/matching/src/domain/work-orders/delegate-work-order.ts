import { type CommitContext, commit } from '@hub/event-bus';
import { AppError, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { PrismaClient, WorkOrder } from '../../generated/prisma/client.js';
import { isRegisteredWith } from '../assignments/eligibility.js';
import { workOrderPostedEvent } from '../post-work-order.js';
import { MAX_VOLUME } from '../work-order-fields.js';
import { confirmationOnPost, isConfirmedWorkOrder, lockedWorkOrder } from '../work-order-links.js';
import { type Actor, requireDistributor } from './actor.js';
import { describeVolume, remainingVolumeOf } from './remaining-volume.js';
import { DISTRIBUTING_STATUSES, invalidTransition } from './transitions.js';

export const ZDelegateWorkOrderInput = z.object({
  workOrderId: z.uuid('発注 ID は UUID です (workOrderId must be a UUID)'),
  partnerOrganizationId: z.uuid(
    '再委託先の組織 ID は UUID です (partnerOrganizationId must be a UUID)',
  ),
  volume: z
    .int('作業量は整数です (volume must be an integer)')
    .positive('作業量は1以上です (volume must be greater than 0)')
    .max(MAX_VOLUME, `作業量は${MAX_VOLUME}以下です (volume: at most ${MAX_VOLUME})`),
  leaderMemberId: z
    .uuid('リーダーの会員 ID は UUID です (leaderMemberId must be a UUID)')
    .nullish()
    .transform((value) => value ?? null),
  note: z
    .string()
    .trim()
    .max(2000, 'メモは2000文字以内です (note: at most 2000 characters)')
    .nullish()
    .transform((value) => value || null),
});

/**
 * Passes a share of an order to a partner organisation: a child order with the same client,
 * received by the partner and, when named, its leader — who distributes it further. The parent
 * row is locked while its remaining volume is read and the child written, so concurrent
 * delegations (and offers) never hand on more than the parent has. Announces
 * `matching.work-order.delegated` and, once the partner's part is confirmed, the child's
 * `matching.work-order.posted`.
 */
export async function delegateWorkOrder(
  db: CommitContext<PrismaClient>,
  input: unknown,
  actor: Actor,
): Promise<WorkOrder> {
  const fields = parseInput(ZDelegateWorkOrderInput, input);
  return commit(db, async (tx, emit) => {
    const parent = await lockedWorkOrder(tx, fields.workOrderId);
    await requireDistributor(tx, actor, parent);
    if (!DISTRIBUTING_STATUSES.includes(parent.status) || !isConfirmedWorkOrder(parent)) {
      throw invalidTransition(parent, { ja: '再委託', en: 'delegate' });
    }
    if (fields.partnerOrganizationId === parent.receivingCentreId) {
      throw new AppError(
        'BAD_USER_INPUT',
        '再委託先は受託組織と別の組織にしてください (the partner must differ from the receiving organisation)',
        { field: 'partnerOrganizationId' },
      );
    }
    const remaining = await remainingVolumeOf(tx, parent.id);
    if (fields.volume > remaining) {
      const left = describeVolume(remaining, parent.volumeUnit);
      throw new AppError(
        'DELEGATION_EXCEEDS_REMAINING',
        `再委託できるのは残り${left.ja}までです (at most the remaining ${left.en} can be delegated)`,
        { field: 'volume' },
      );
    }
    if (fields.leaderMemberId) {
      // The leader distributes in the partner's name: they must be registered with it today.
      if (!(await isRegisteredWith(tx, fields.leaderMemberId, fields.partnerOrganizationId))) {
        throw new AppError(
          'NOT_ELIGIBLE',
          'リーダーは再委託先の組織に登録されている会員にしてください (the leader must be registered with the partner organisation)',
          { field: 'leaderMemberId' },
        );
      }
    }
    const now = new Date();
    const confirmation = confirmationOnPost(
      { clientId: parent.clientId, receivingCentreId: fields.partnerOrganizationId },
      actor.speaksFor,
      now,
    );
    const child = await tx.workOrder.create({
      data: {
        title: parent.title,
        description: parent.description,
        category: parent.category,
        clientId: parent.clientId,
        receivingCentreId: fields.partnerOrganizationId,
        // The client agreed to the whole tree when it confirmed the root.
        clientConfirmedAt: parent.clientConfirmedAt ?? now,
        receivingCentreConfirmedAt: confirmation.receivingCentreConfirmedAt,
        volume: fields.volume,
        volumeUnit: parent.volumeUnit,
        payModel: parent.payModel,
        rate: delegatedRate(parent, fields.volume),
        deadline: parent.deadline,
        requiresOnSite: parent.requiresOnSite,
        hoursPerUnit: parent.hoursPerUnit,
        parentId: parent.id,
        rootId: parent.rootId ?? parent.id,
        leaderMemberId: fields.leaderMemberId,
        delegationNote: fields.note,
        requiredSkills: {
          createMany: {
            data: (await tx.workOrderSkill.findMany({ where: { workOrderId: parent.id } })).map(
              ({ skillCode, minimumLevel }) => ({ skillCode, minimumLevel }),
            ),
          },
        },
      },
    });
    emit('matching.work-order.delegated', {
      subject: child.id,
      data: {
        workOrderId: child.id,
        parentId: parent.id,
        rootId: child.rootId ?? parent.id,
        clientId: child.clientId,
        partnerOrganizationId: fields.partnerOrganizationId,
        volume: child.volume,
        volumeUnit: child.volumeUnit === 'HOURS' ? 'hours' : 'units',
        leaderMemberId: child.leaderMemberId,
      },
    });
    if (isConfirmedWorkOrder(child)) emit(workOrderPostedEvent(child));
    return child;
  });
}

/**
 * The child's rate. An hourly or unit rate holds for any share; a FIXED rate is the fee for the
 * whole order, so the child gets its share of it, rounded down to the yen (as the figures round
 * FIXED pay): otherwise the partner would be shown, and paid out of, the whole fee.
 */
function delegatedRate(
  parent: Pick<WorkOrder, 'payModel' | 'rate' | 'volume'>,
  volume: number,
): number {
  if (parent.payModel !== 'FIXED') return parent.rate;
  // At most 1e8 yen × 1e6: exact in a double.
  return Math.floor((parent.rate * volume) / parent.volume);
}
