import { type CommitContext, commit, type Emit, type EventDraft } from '@hub/event-bus';
import { AppError, parseInput, type SpeaksFor } from '@hub/service-kit';
import { z } from 'zod';
import type { Prisma, PrismaClient, WorkOrder } from '../generated/prisma/client.js';
import { categoryForEvent, type TWorkOrderFields, ZWorkOrderFields } from './work-order-fields.js';

/** postWorkOrder's input: the order's fields, and whether to keep it as a draft. */
const ZPostWorkOrderInput = ZWorkOrderFields.and(
  z.object({
    draft: z
      .boolean()
      .nullish()
      .transform((value) => value ?? false),
  }),
);

import { confirmationOnPost, isPublicWorkOrder } from './work-order-links.js';

export type PostWorkOrderOptions = {
  /**
   * Which named organisations (client, receiving centre) the poster speaks for: their part
   * counts at once, the others' awaits their admin (see work-order-links.ts).
   */
  speaksFor: SpeaksFor;
};

/**
 * How far ahead a deadline may be. An offer's capacity period runs to the deadline, and the
 * ranking sums hours over it as 32-bit integers: a deadline centuries away would overflow them.
 */
export const MAX_DEADLINE_YEARS = 5;

function latestDeadline(now: Date): Date {
  const latest = new Date(now);
  latest.setUTCFullYear(latest.getUTCFullYear() + MAX_DEADLINE_YEARS);
  return latest;
}

/**
 * Posts a new work order, OPEN (or DRAFT when `draft` is set). When the poster speaks for every organisation it names, it
 * takes effect at once and is announced with `matching.work-order.posted` in the same
 * commit; otherwise it waits for the others' confirmation.
 */
export async function postWorkOrder(
  db: CommitContext<PrismaClient>,
  input: unknown,
  options: PostWorkOrderOptions,
): Promise<WorkOrder> {
  const { draft, ...rest } = parseInput(ZPostWorkOrderInput, input);
  const fields = rest as TWorkOrderFields;
  if (fields.deadline && fields.deadline.getTime() <= Date.now()) {
    throw new AppError(
      'DEADLINE_IN_PAST',
      '納期は未来の日時を指定してください (deadline must be in the future)',
      { field: 'deadline' },
    );
  }
  if (fields.deadline && fields.deadline.getTime() > latestDeadline(new Date()).getTime()) {
    throw new AppError(
      'DEADLINE_TOO_FAR',
      `納期は${MAX_DEADLINE_YEARS}年以内にしてください (deadline: at most ${MAX_DEADLINE_YEARS} years ahead)`,
      { field: 'deadline' },
    );
  }
  return commit(db, (tx, emit) =>
    insertWorkOrder(tx, emit, fields, { ...options, isDraft: draft }),
  );
}

/** Writes an order with its skills, and its posted event when it takes effect at once. */
export async function insertWorkOrder(
  tx: Prisma.TransactionClient,
  emit: Emit,
  fields: TWorkOrderFields,
  options: PostWorkOrderOptions & {
    /** Given only by demo data. */ id?: string;
    /** Kept as DRAFT: no one is offered or told of it until it is published. */
    isDraft?: boolean;
  },
): Promise<WorkOrder> {
  const { requiredSkills, ...order } = fields;
  const created = await tx.workOrder.create({
    data: {
      ...order,
      status: options.isDraft ? 'DRAFT' : 'OPEN',
      ...confirmationOnPost(order, options.speaksFor),
      ...(options.id ? { id: options.id } : {}),
      requiredSkills: { createMany: { data: requiredSkills } },
    },
  });
  // An order a client placed is the root of its own delegation tree.
  const workOrder = await tx.workOrder.update({
    where: { id: created.id },
    data: { rootId: created.id },
  });
  if (isPublicWorkOrder(workOrder)) {
    emit(workOrderPostedEvent(workOrder));
  }
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
