import { AppError } from '@hub/service-kit';
import type { PrismaClient, WorkOrder } from '../generated/prisma/client.js';
import {
  lockedWorkOrder,
  noReceivingCentre,
  organizationOf,
  parseWorkOrderLinkAnswer,
  SIDE_LABEL,
  sideConfirmedAt,
  type WorkOrderSide,
} from './work-order-links.js';

/**
 * The admin of the organisation named as client (or receiving centre) declines: an order
 * cannot go ahead without it, so it is CANCELLED and stays, never confirmed, as history for
 * the side that posted it. It was never public nor announced, so nothing is published.
 */
export async function declineWorkOrderLink(
  prisma: PrismaClient,
  input: unknown,
  side: WorkOrderSide,
): Promise<WorkOrder> {
  const { workOrderId } = parseWorkOrderLinkAnswer(input);
  return prisma.$transaction(async (tx) => {
    const order = await lockedWorkOrder(tx, workOrderId);
    if (organizationOf(order, side) === null) throw noReceivingCentre();
    if (sideConfirmedAt(order, side)) {
      throw new AppError(
        'CONFLICT',
        `${SIDE_LABEL[side]}として確認済みです — 辞退できるのは確認待ちのものだけです (this part is already confirmed; only a pending one can be declined)`,
        { field: 'workOrderId' },
      );
    }
    if (order.status === 'CANCELLED') {
      throw new AppError(
        'CONFLICT',
        'この発注はすでに取り消されています (the work order is already cancelled)',
        { field: 'workOrderId' },
      );
    }
    return tx.workOrder.update({ where: { id: workOrderId }, data: { status: 'CANCELLED' } });
  });
}
