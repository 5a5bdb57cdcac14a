import { type CommitContext, commit, type Emit } from '@hub/event-bus';
import { AppError } from '@hub/service-kit';
import type {
  Prisma,
  PrismaClient,
  WorkOrder,
  WorkOrderStatus,
} from '../../generated/prisma/client.js';
import { noteRankingChange } from '../../ranking/change-log.js';
import { emitAssignmentEvent } from '../assignments/assignment-events.js';
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
 * organisation it names has confirmed, `matching.work-order.posted`. A cancellation withdraws
 * the order's open assignments and cancels its open children, all the way down (windUp).
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
    if (step === 'cancel') await windUp(tx, emit, moved, actor);
    return moved;
  });
}

/** Children a cancellation takes with it: still being distributed (delivered work stays). */
const CANCELLABLE_STATUSES: readonly WorkOrderStatus[] = [
  'DRAFT',
  'OPEN',
  'ASSIGNING',
  'IN_PROGRESS',
];

/**
 * What a cancelled order leaves behind, in the same transaction: its open assignments are
 * withdrawn (they would keep holding the workers' hours), and its children still being
 * distributed are cancelled in turn (a cancelled order's delegated shares are no one's work).
 * Each child is locked before it is read, parent before child, as delegation and offers lock.
 */
async function windUp(
  tx: Prisma.TransactionClient,
  emit: Emit,
  order: WorkOrder,
  actor: Actor,
): Promise<void> {
  const open = await tx.assignment.findMany({
    where: { workOrderId: order.id, status: { in: [...OPEN_ASSIGNMENT_STATUSES] } },
    orderBy: { id: 'asc' },
  });
  if (open.length > 0) {
    await tx.assignment.updateMany({
      where: { id: { in: open.map((assignment) => assignment.id) } },
      data: { status: 'WITHDRAWN' },
    });
    const members: string[] = [];
    for (const assignment of open) {
      // An erased member's work stays with the order with nobody named: nobody to tell.
      if (assignment.memberId === null) continue;
      members.push(assignment.memberId);
      emitAssignmentEvent(emit, 'matching.assignment.withdrawn', {
        ...assignment,
        status: 'WITHDRAWN',
        memberId: assignment.memberId,
      });
    }
    // Their hours are free again: the ranking's capacity and fair-spread facts change.
    await noteRankingChange(tx, members);
  }
  const children = await tx.workOrder.findMany({
    where: { parentId: order.id, status: { in: [...CANCELLABLE_STATUSES] } },
    select: { id: true },
    orderBy: { id: 'asc' },
  });
  for (const { id } of children) {
    const child = await lockedWorkOrder(tx, id);
    // Moved on since it was listed (an answer cannot deliver it, but stay exact).
    if (!CANCELLABLE_STATUSES.includes(child.status)) continue;
    const cancelled = await moveWorkOrder(tx, emit, child, 'CANCELLED', {
      action: STEPS.cancel.action,
      byMemberId: actor.memberId,
    });
    await windUp(tx, emit, cancelled, actor);
  }
}
