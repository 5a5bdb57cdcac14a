import { type CommitContext, commit } from '@hub/event-bus';
import { AppError } from '@hub/service-kit';
import type { PrismaClient, WorkOrder, WorkOrderStatus } from '../../generated/prisma/client.js';
import { workOrderPostedEvent } from '../post-work-order.js';
import {
  isConfirmedWorkOrder,
  lockedWorkOrder,
  parseWorkOrderLinkAnswer,
} from '../work-order-links.js';
import { type Actor, requireDistributor, requireParty } from './actor.js';
import { moveWorkOrder, type OrderAction } from './transitions.js';

/** A manual step in an order's life: who may take it and where it leads. */
type StatusStep = {
  to: WorkOrderStatus;
  action: OrderAction;
  /** Distributors only (the centre's staff, the leader), or every party (the client too). */
  who: 'distributor' | 'party';
};

const STEPS = {
  publish: { to: 'OPEN', action: { ja: '公開', en: 'publish' }, who: 'party' },
  markDelivered: {
    to: 'DELIVERED',
    action: { ja: '納品済みに', en: 'mark delivered' },
    who: 'distributor',
  },
  close: { to: 'CLOSED', action: { ja: '完了', en: 'close' }, who: 'party' },
  cancel: { to: 'CANCELLED', action: { ja: '取り消し', en: 'cancel' }, who: 'party' },
} as const satisfies Record<string, StatusStep>;
export type WorkOrderStep = keyof typeof STEPS;

/** Assignments that still hold work: an order with any is not delivered. */
const OPEN_ASSIGNMENT_STATUSES = ['OFFERED', 'ACCEPTED', 'IN_PROGRESS'] as const;

/**
 * Takes a manual step (publish, mark delivered, close, cancel) on an order under its row lock,
 * announcing `matching.work-order.status-changed` — and, when a draft is published and every
 * organisation it names has confirmed, `matching.work-order.posted`.
 */
export async function changeWorkOrderStatus(
  db: CommitContext<PrismaClient>,
  input: unknown,
  step: WorkOrderStep,
  actor: Actor,
): Promise<WorkOrder> {
  const { workOrderId } = parseWorkOrderLinkAnswer(input);
  const { to, action, who } = STEPS[step];
  return commit(db, async (tx, emit) => {
    const order = await lockedWorkOrder(tx, workOrderId);
    if (who === 'distributor') await requireDistributor(tx, actor, order);
    else await requireParty(tx, actor, order);
    if (to === 'DELIVERED') {
      const open = await tx.assignment.count({
        where: { workOrderId, status: { in: [...OPEN_ASSIGNMENT_STATUSES] } },
      });
      if (open > 0 && order.status === 'IN_PROGRESS') {
        throw new AppError(
          'OPEN_ASSIGNMENTS',
          `未完了の割り当てが${open}件あります — 完了・辞退させてから納品済みにしてください (${open} assignment(s) still offered, accepted or in progress)`,
          { field: 'workOrderId' },
        );
      }
    }
    const moved = await moveWorkOrder(tx, emit, order, to, {
      action,
      byMemberId: actor.memberId,
    });
    if (step === 'publish' && isConfirmedWorkOrder(moved)) emit(workOrderPostedEvent(moved));
    return moved;
  });
}
