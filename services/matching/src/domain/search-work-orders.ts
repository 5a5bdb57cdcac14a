import type { Prisma, WorkCategory, WorkOrderStatus } from '../generated/prisma/client.js';

export type WorkOrderFilter = {
  status?: WorkOrderStatus | null;
  category?: WorkCategory | null;
  clientId?: string | null;
  receivingCentreId?: string | null;
};

/** Newest first; id breaks ties so cursor pages are stable. */
export const WORK_ORDER_ORDER: Prisma.WorkOrderOrderByWithRelationInput[] = [
  { createdAt: 'desc' },
  { id: 'desc' },
];

/** Turns a filter into a Prisma condition (the kit has refused ids that are not UUIDs). */
export function workOrderWhere(
  filter: WorkOrderFilter | null | undefined,
): Prisma.WorkOrderWhereInput {
  if (!filter) return {};
  const where: Prisma.WorkOrderWhereInput = {};
  if (filter.status) where.status = filter.status;
  if (filter.category) where.category = filter.category;
  if (filter.clientId) where.clientId = filter.clientId;
  if (filter.receivingCentreId) where.receivingCentreId = filter.receivingCentreId;
  return where;
}
