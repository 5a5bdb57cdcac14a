import { isUuid, organizationRef, requestGroupLoader } from '@hub/service-kit';
import { builder, type MatchingContext } from '../builder.js';
import { WORK_ORDER_ORDER } from '../domain/search-work-orders.js';
import { CONFIRMED_WORK_ORDER } from '../domain/work-order-links.js';
import { WorkOrderRef } from './work-order.js';

/** Organizations are owned by the members service; matching only knows their id. */
const OrganizationRef = organizationRef(builder, {
  fields: (t) => ({
    // Nullable: if this subgraph is down, the gateway can still return the organization.
    workOrders: t.field({
      type: [WorkOrderRef],
      nullable: true,
      description:
        'この組織が発注した、または受託した仕事、新しい順 — 確認済みのもののみ (work orders this organization placed or receives, newest first; only those every named organisation has confirmed)',
      resolve: (organization, _args, context) =>
        workOrdersByOrganizationLoader(context).load(organization.id),
    }),
    pendingWorkOrders: t.field({
      type: [WorkOrderRef],
      nullable: true,
      description:
        '確認待ちの発注 — この組織が発注元か受託組織として挙げられ、この組織か相手側の確認を待つもの (clientConfirmedAt / receivingCentreConfirmedAt でどちらか分かる)。新しい順。その組織のスタッフとハブ管理者のみ (work orders naming this organisation as client or receiving centre that await its admin’s confirmation or the other side’s — clientConfirmedAt / receivingCentreConfirmedAt tell which; declined ones are cancelled and leave the list; newest first; staff of the organisation and hub admins only)',
      authScopes: (organization) => ({ admin: true, staffOf: [organization.id] }),
      resolve: (organization, _args, context) =>
        pendingWorkOrdersLoader(context).load(organization.id),
    }),
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

/** Work orders where each organization is the client or the receiving centre: one query. */
function workOrdersByOrganizationLoader(context: MatchingContext) {
  return requestGroupLoader(context, 'workOrdersByOrganization', {
    fetch: (organizationIds: readonly string[]) => {
      const ids = [...organizationIds];
      return context.prisma.workOrder.findMany({
        where: {
          AND: [
            CONFIRMED_WORK_ORDER,
            { OR: [{ clientId: { in: ids } }, { receivingCentreId: { in: ids } }] },
          ],
        },
        orderBy: WORK_ORDER_ORDER,
      });
    },
    groupOf: sidesOf,
  });
}

/** Orders naming each organisation that have not taken effect, declined ones aside: one query. */
function pendingWorkOrdersLoader(context: MatchingContext) {
  return requestGroupLoader(context, 'pendingWorkOrdersByOrganization', {
    fetch: (organizationIds: readonly string[]) => {
      const ids = organizationIds.filter(isUuid);
      if (ids.length === 0) return Promise.resolve([]);
      return context.prisma.workOrder.findMany({
        where: {
          status: { not: 'CANCELLED' },
          NOT: CONFIRMED_WORK_ORDER,
          OR: [{ clientId: { in: ids } }, { receivingCentreId: { in: ids } }],
        },
        orderBy: WORK_ORDER_ORDER,
      });
    },
    groupOf: sidesOf,
  });
}

// An order belongs to its client and to its centre, but only once when they are the same.
const sidesOf = (order: { clientId: string; receivingCentreId: string | null }) => [
  ...new Set([order.clientId, order.receivingCentreId ?? order.clientId]),
];
