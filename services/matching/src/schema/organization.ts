import { organizationRef, resolveGroupedConnection } from '@hub/service-kit';
import { builder, type MatchingContext } from '../builder.js';
import { WORK_ORDER_ORDER } from '../domain/search-work-orders.js';
import { CONFIRMED_WORK_ORDER, PUBLIC_WORK_ORDER } from '../domain/work-order-links.js';
import type { Prisma, WorkOrder } from '../generated/prisma/client.js';
import { WorkOrderConnection, WorkOrderRef } from './work-order.js';

/** Organizations are owned by the members service; matching only knows their id. */
export const OrganizationRef = organizationRef(builder, {
  fields: (t) => ({
    // Nullable: if this subgraph is down, the gateway can still return the organization.
    workOrders: t.connection(
      {
        type: WorkOrderRef,
        nullable: true,
        description:
          'この組織が発注した、または受託した仕事、新しい順 — 確認済みのもののみ (work orders this organization placed or receives, newest first; only those every named organisation has confirmed)',
        resolve: (organization, args, context) =>
          resolveGroupedConnection(context, 'workOrdersByOrganization', {
            parent: organization.id,
            args,
            fetch: (ids) => workOrdersOf(context, ids, PUBLIC_WORK_ORDER),
            groupOf: sidesOf,
          }),
      },
      WorkOrderConnection,
    ),
    pendingWorkOrders: t.connection(
      {
        type: WorkOrderRef,
        nullable: true,
        description:
          '確認待ちの発注 — この組織が発注元か受託組織として挙げられ、この組織か相手側の確認を待つもの (clientConfirmedAt / receivingCentreConfirmedAt でどちらか分かる)。新しい順。その組織のスタッフとハブ管理者のみ (work orders naming this organisation as client or receiving centre that await its admin’s confirmation or the other side’s — clientConfirmedAt / receivingCentreConfirmedAt tell which; declined ones are cancelled and leave the list; newest first; staff of the organisation and hub admins only)',
        authScopes: (organization) => ({ admin: true, staffOf: [organization.id] }),
        resolve: (organization, args, context) =>
          resolveGroupedConnection(context, 'pendingWorkOrdersByOrganization', {
            parent: organization.id,
            args,
            // Declined orders are cancelled: they leave the list.
            fetch: (ids) =>
              workOrdersOf(context, ids, {
                status: { not: 'CANCELLED' },
                NOT: CONFIRMED_WORK_ORDER,
              }),
            groupOf: sidesOf,
          }),
      },
      WorkOrderConnection,
    ),
  }),
});

builder.prismaObjectFields(WorkOrderRef, (t) => ({
  client: t.field({
    type: OrganizationRef,
    description: '発注元の組織 (the client organization ordering the work)',
    resolve: (order) => ({ id: order.clientId }),
  }),
  receivingCentre: t.field({
    type: OrganizationRef,
    nullable: true,
    description:
      '受託して仕事を配分する組織・センター (the organization receiving and distributing the work)',
    resolve: (order) => (order.receivingCentreId ? { id: order.receivingCentreId } : null),
  }),
}));

/**
 * Orders where each organization is the client or the receiving centre, under a condition, in
 * page order: one query for every organization of the request. Representation keys that are
 * not UUIDs never get here (the kit answers null for them).
 */
function workOrdersOf(
  context: MatchingContext,
  organizationIds: readonly string[],
  condition: Prisma.WorkOrderWhereInput,
) {
  const ids = [...organizationIds];
  return context.prisma.workOrder.findMany({
    where: {
      AND: [condition, { OR: [{ clientId: { in: ids } }, { receivingCentreId: { in: ids } }] }],
    },
    orderBy: WORK_ORDER_ORDER,
  });
}

// An order belongs to its client and to its centre, but only once when they are the same.
const sidesOf = (order: WorkOrder) => [
  ...new Set([order.clientId, order.receivingCentreId ?? order.clientId]),
];
