import { AppError, hubAuthScopes, parseInput, type SpeaksFor } from '@hub/service-kit';
import { z } from 'zod';
import { callerStaffOrganizationIds } from '../authorization/worker-access.js';
import type { MatchingContext } from '../builder.js';
import type { Prisma, WorkOrder } from '../generated/prisma/client.js';

// A work order names two organisations: its client and, usually, a receiving centre. Naming
// one is a link that takes effect only when its staff made it or its admin confirms it
// (docs/authorization.md, "Links that name another organisation"): otherwise anyone could
// create an organisation and post orders "from" any company. An order is an agreement between
// both, so it takes effect — listed, offered, announced with matching.work-order.posted — only
// once every organisation it names has confirmed. Until then it is seen only by the staff of
// either side and hub admins; a declined one is CANCELLED and never becomes public.

/** The organisations an order names, in the roles they answer for. */
export type WorkOrderSide = 'client' | 'receivingCentre';

/** Orders every named organisation has confirmed: the public ones. */
export const CONFIRMED_WORK_ORDER = {
  clientConfirmedAt: { not: null },
  OR: [{ receivingCentreId: null }, { receivingCentreConfirmedAt: { not: null } }],
} satisfies Prisma.WorkOrderWhereInput;

/** Orders anyone may read: confirmed by everyone they name, and no longer a draft. */
export const PUBLIC_WORK_ORDER = {
  ...CONFIRMED_WORK_ORDER,
  status: { not: 'DRAFT' },
} satisfies Prisma.WorkOrderWhereInput;

export function isPublicWorkOrder(order: WorkOrder): boolean {
  return isConfirmedWorkOrder(order) && order.status !== 'DRAFT';
}

export function isConfirmedWorkOrder(
  order: Pick<WorkOrder, 'clientConfirmedAt' | 'receivingCentreId' | 'receivingCentreConfirmedAt'>,
): boolean {
  return (
    order.clientConfirmedAt !== null &&
    (order.receivingCentreId === null || order.receivingCentreConfirmedAt !== null)
  );
}

/** The organisation named in a role, if any. */
export function organizationOf(
  order: Pick<WorkOrder, 'clientId' | 'receivingCentreId'>,
  side: WorkOrderSide,
): string | null {
  return side === 'client' ? order.clientId : order.receivingCentreId;
}

/** The confirmation timestamps of a new order, decided by who posts it. */
export function confirmationOnPost(
  order: { clientId: string; receivingCentreId: string | null },
  speaksFor: SpeaksFor,
  now: Date = new Date(),
): { clientConfirmedAt: Date | null; receivingCentreConfirmedAt: Date | null } {
  return {
    clientConfirmedAt: speaksFor(order.clientId) ? now : null,
    receivingCentreConfirmedAt:
      order.receivingCentreId !== null && speaksFor(order.receivingCentreId) ? now : null,
  };
}

/**
 * Orders the caller may read: public ones, and for staff also those naming their
 * organisations; a hub admin reads all.
 */
export function readableWorkOrderWhere(context: MatchingContext): Prisma.WorkOrderWhereInput {
  if (hubAuthScopes(context).admin) return {};
  const staffIds = callerStaffOrganizationIds(context);
  if (staffIds.length === 0) return PUBLIC_WORK_ORDER;
  return {
    OR: [
      PUBLIC_WORK_ORDER,
      { clientId: { in: staffIds } },
      { receivingCentreId: { in: staffIds } },
    ],
  };
}

/** The same rule for one order already loaded (entity references). */
export function mayReadWorkOrder(order: WorkOrder, context: MatchingContext): boolean {
  if (isPublicWorkOrder(order) || hubAuthScopes(context).admin) return true;
  const staffIds = new Set(callerStaffOrganizationIds(context));
  return [order.clientId, order.receivingCentreId].some((id) => id !== null && staffIds.has(id));
}

export const ZWorkOrderLinkAnswer = z.object({
  workOrderId: z.uuid('発注 ID は UUID です (workOrderId must be a UUID)'),
});

export function parseWorkOrderLinkAnswer(input: unknown): { workOrderId: string } {
  return parseInput(ZWorkOrderLinkAnswer, input);
}

/** The order under a row lock, so two answers at once never both see it pending. */
export async function lockedWorkOrder(
  tx: Prisma.TransactionClient,
  workOrderId: string,
): Promise<WorkOrder> {
  await tx.$queryRaw`SELECT 1 FROM work_order WHERE id = ${workOrderId}::uuid FOR UPDATE`;
  const order = await tx.workOrder.findUnique({ where: { id: workOrderId } });
  if (!order) {
    throw new AppError('NOT_FOUND', '発注が見つかりません (work order not found)', {
      field: 'workOrderId',
    });
  }
  return order;
}

export const noReceivingCentre = () =>
  new AppError(
    'NOT_FOUND',
    'この発注には受託組織がありません (the work order has no receiving centre)',
    { field: 'workOrderId' },
  );

/** Data setting a side's confirmation — both sides when one organisation holds both roles. */
export function confirmSide(order: WorkOrder, side: WorkOrderSide, now: Date) {
  const organizationId = organizationOf(order, side);
  return {
    ...(order.clientId === organizationId && order.clientConfirmedAt === null
      ? { clientConfirmedAt: now }
      : {}),
    ...(order.receivingCentreId === organizationId && order.receivingCentreConfirmedAt === null
      ? { receivingCentreConfirmedAt: now }
      : {}),
  } satisfies Prisma.WorkOrderUpdateInput;
}

export function sideConfirmedAt(order: WorkOrder, side: WorkOrderSide): Date | null {
  return side === 'client' ? order.clientConfirmedAt : order.receivingCentreConfirmedAt;
}

export const SIDE_LABEL: Record<WorkOrderSide, string> = {
  client: '発注元 (client)',
  receivingCentre: '受託組織 (receiving centre)',
};
