import { type CommitContext, commit } from '@hub/event-bus';
import { AppError } from '@hub/service-kit';
import type { PrismaClient, WorkOrder } from '../generated/prisma/client.js';
import { workOrderPostedEvent } from './post-work-order.js';
import {
  confirmSide,
  isPublicWorkOrder,
  lockedWorkOrder,
  noReceivingCentre,
  organizationOf,
  parseWorkOrderLinkAnswer,
  SIDE_LABEL,
  sideConfirmedAt,
  type WorkOrderSide,
} from './work-order-links.js';

/**
 * The admin of the organisation named as client (or receiving centre) confirms its part.
 * Confirming a confirmed part changes nothing. When it was the last part awaited, the order
 * takes effect: it becomes public and `matching.work-order.posted` is announced in the same
 * commit.
 */
export async function confirmWorkOrderLink(
  db: CommitContext<PrismaClient>,
  input: unknown,
  side: WorkOrderSide,
): Promise<WorkOrder> {
  const { workOrderId } = parseWorkOrderLinkAnswer(input);
  return commit(db, async (tx, emit) => {
    const order = await lockedWorkOrder(tx, workOrderId);
    if (organizationOf(order, side) === null) throw noReceivingCentre();
    if (sideConfirmedAt(order, side)) return order;
    if (order.status === 'CANCELLED') {
      throw new AppError(
        'CONFLICT',
        `この発注は取り消されています — ${SIDE_LABEL[side]}として確認できません (the work order was cancelled, or declined, and can no longer be confirmed)`,
        { field: 'workOrderId' },
      );
    }
    const confirmed = await tx.workOrder.update({
      where: { id: workOrderId },
      data: confirmSide(order, side, new Date()),
    });
    // A draft is announced when it is published (change-work-order-status.ts).
    if (isPublicWorkOrder(confirmed)) {
      emit(workOrderPostedEvent(confirmed));
    }
    return confirmed;
  });
}
