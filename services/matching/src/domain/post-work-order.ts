import { createEvent, writeOutbox } from '@hub/event-bus';
import { AppError, parseInput } from '@hub/service-kit';
import type { Prisma, PrismaClient, WorkOrder } from '../generated/prisma/client.js';
import { categoryForEvent, type TWorkOrderFields, ZWorkOrderFields } from './work-order-fields.js';

/**
 * Posts a new, open work order and announces it with `matching.work-order.posted` in the same
 * transaction. The caller kicks the outbox relay after this returns.
 */
export async function postWorkOrder(prisma: PrismaClient, input: unknown): Promise<WorkOrder> {
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
  return prisma.$transaction((tx) => insertWorkOrder(tx, fields));
}

/** Writes an order with its skills and its posted event; `id` is given only by demo data. */
export async function insertWorkOrder(
  tx: Prisma.TransactionClient,
  fields: TWorkOrderFields,
  id?: string,
): Promise<WorkOrder> {
  const { requiredSkills, ...order } = fields;
  const workOrder = await tx.workOrder.create({
    data: {
      ...order,
      ...(id ? { id } : {}),
      requiredSkills: { createMany: { data: requiredSkills } },
    },
  });
  await writeOutbox(tx, [
    createEvent('matching.work-order.posted', {
      source: 'matching',
      subject: workOrder.id,
      data: {
        workOrderId: workOrder.id,
        clientId: workOrder.clientId,
        title: workOrder.title,
        category: categoryForEvent(workOrder.category),
      },
    }),
  ]);
  return workOrder;
}
