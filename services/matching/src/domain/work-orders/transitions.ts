import type { WORK_ORDER_EVENT_STATUSES } from '@hub/contracts';
import type { Emit } from '@hub/event-bus';
import { AppError } from '@hub/service-kit';
import type { Prisma, WorkOrder, WorkOrderStatus } from '../../generated/prisma/client.js';

// The life of a work order (docs/matching.md). Manual steps are the mutations in
// change-work-order-status.ts; OPEN→ASSIGNING and ASSIGNING→IN_PROGRESS follow from the first
// offer and the first acceptance (src/domain/assignments/).
const WORK_ORDER_TRANSITIONS: Readonly<Record<WorkOrderStatus, readonly WorkOrderStatus[]>> = {
  DRAFT: ['OPEN', 'CANCELLED'],
  OPEN: ['ASSIGNING', 'CANCELLED'],
  ASSIGNING: ['IN_PROGRESS', 'CANCELLED'],
  IN_PROGRESS: ['DELIVERED', 'CANCELLED'],
  DELIVERED: ['CLOSED'],
  CLOSED: [],
  CANCELLED: [],
  // Never produced any more (the migration mapped them to ASSIGNING and CLOSED).
  ASSIGNED: [],
  DONE: [],
};

/** Statuses in which work is handed out: offers and delegations are accepted. */
export const DISTRIBUTING_STATUSES: readonly WorkOrderStatus[] = [
  'OPEN',
  'ASSIGNING',
  'IN_PROGRESS',
];

const STATUS_LABEL: Record<WorkOrderStatus, string> = {
  DRAFT: '下書き (DRAFT)',
  OPEN: '募集中 (OPEN)',
  ASSIGNING: '割り当て中 (ASSIGNING)',
  IN_PROGRESS: '作業中 (IN_PROGRESS)',
  DELIVERED: '納品済み (DELIVERED)',
  CLOSED: '完了 (CLOSED)',
  CANCELLED: '取り消し (CANCELLED)',
  ASSIGNED: '担当者決定 (ASSIGNED)',
  DONE: '完了 (DONE)',
};

/** What is being done to an order, for messages: `{ ja: '公開', en: 'publish' }`. */
export type OrderAction = { ja: string; en: string };

export function invalidTransition(order: Pick<WorkOrder, 'status'>, action: OrderAction): AppError {
  return new AppError(
    'INVALID_TRANSITION',
    `発注は${STATUS_LABEL[order.status]}のため${action.ja}できません (cannot ${action.en} an order in status ${order.status})`,
    { field: 'workOrderId' },
  );
}

type WorkOrderEventStatus = (typeof WORK_ORDER_EVENT_STATUSES)[number];

/** Event payloads use the database enum's lower-case, dashed values. */
export function statusForEvent(status: WorkOrderStatus): WorkOrderEventStatus {
  return status.toLowerCase().replaceAll('_', '-') as WorkOrderEventStatus;
}

/**
 * Moves a locked order to `to`, refusing a move the table does not allow, and emits
 * `matching.work-order.status-changed`.
 */
export async function moveWorkOrder(
  tx: Prisma.TransactionClient,
  emit: Emit,
  order: WorkOrder,
  to: WorkOrderStatus,
  options: { action: OrderAction; byMemberId: string | null },
): Promise<WorkOrder> {
  if (!WORK_ORDER_TRANSITIONS[order.status].includes(to)) {
    throw invalidTransition(order, options.action);
  }
  const moved = await tx.workOrder.update({ where: { id: order.id }, data: { status: to } });
  emit('matching.work-order.status-changed', {
    subject: order.id,
    data: {
      workOrderId: order.id,
      rootId: order.rootId ?? order.id,
      from: statusForEvent(order.status),
      to: statusForEvent(to),
      byMemberId: options.byMemberId,
    },
  });
  return moved;
}
