import { type CommitContext, commit, type Emit, type EventDraft } from '@hub/event-bus';
import { AppError, parseInput, type SpeaksFor } from '@hub/service-kit';
import type { Prisma, PrismaClient, WorkOrder } from '../generated/prisma/client.js';
import { categoryForEvent, type TWorkOrderFields, ZWorkOrderFields } from './work-order-fields.js';
import { confirmationOnPost, isConfirmedWorkOrder } from './work-order-links.js';

export type PostWorkOrderOptions = {
  /**
   * Which named organisations (client, receiving centre) the poster speaks for: their part
   * counts at once, the others' awaits their admin (see work-order-links.ts).
   */
  speaksFor: SpeaksFor;
};

/**
 * Posts a new, open work order. When the poster speaks for every organisation it names, it
 * takes effect at once and is announced with `matching.work-order.posted` in the same
 * commit; otherwise it waits for the others' confirmation.
 */
export async function postWorkOrder(
  db: CommitContext<PrismaClient>,
  input: unknown,
  options: PostWorkOrderOptions,
): Promise<WorkOrder> {
  const fields = parseInput(ZWorkOrderFields, input);
  if (fields.deadline && fields.deadline.getTime() <= Date.now()) {
    throw new AppError(
      'BAD_USER_INPUT',
      '納期は未来の日時を指定してください (deadline must be in the future)',
      {
        field: 'deadline',
      },
    );
  }
  return commit(db, (tx, emit) => insertWorkOrder(tx, emit, fields, options));
}

/** Writes an order with its skills, and its posted event when it takes effect at once. */
export async function insertWorkOrder(
  tx: Prisma.TransactionClient,
  emit: Emit,
  fields: TWorkOrderFields,
  options: PostWorkOrderOptions & { /** Given only by demo data. */ id?: string },
): Promise<WorkOrder> {
  const { requiredSkills, ...order } = fields;
  const workOrder = await tx.workOrder.create({
    data: {
      ...order,
      ...confirmationOnPost(order, options.speaksFor),
      ...(options.id ? { id: options.id } : {}),
      requiredSkills: { createMany: { data: requiredSkills } },
    },
  });
  if (isConfirmedWorkOrder(workOrder)) emit(workOrderPostedEvent(workOrder));
  return workOrder;
}

/**
 * `matching.work-order.posted`: the order has taken effect. Written once, when the last
 * organisation it names has confirmed, so consumers never learn of an order (or a client)
 * that has not agreed.
 */
export function workOrderPostedEvent(workOrder: WorkOrder): EventDraft {
  return {
    type: 'matching.work-order.posted',
    subject: workOrder.id,
    data: {
      workOrderId: workOrder.id,
      clientId: workOrder.clientId,
      title: workOrder.title,
      category: categoryForEvent(workOrder.category),
    },
  };
}
