import { requestGroupLoader } from '@hub/service-kit';
import { builder, type MatchingContext } from '../builder.js';
import { WORK_ORDER_ORDER } from '../domain/search-work-orders.js';
import { WorkOrderRef } from './work-order.js';

/** Organizations are owned by the members service; matching only knows their id. */
const OrganizationRef = builder.externalRef(
  'Organization',
  builder.selection<{ id: string }>('id'),
);

OrganizationRef.implement({
  externalFields: (t) => ({ id: t.id() }),
  fields: (t) => ({
    // Nullable: if this subgraph is down, the gateway can still return the organization.
    workOrders: t.field({
      type: [WorkOrderRef],
      nullable: true,
      description:
        'この組織が発注した、または受託した仕事、新しい順 (work orders this organization placed or receives, newest first)',
      resolve: (organization, _args, context) =>
        workOrdersByOrganizationLoader(context).load(organization.id),
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
        where: { OR: [{ clientId: { in: ids } }, { receivingCentreId: { in: ids } }] },
        orderBy: WORK_ORDER_ORDER,
      });
    },
    // An order belongs to its client and to its centre, but only once when they are the same.
    groupOf: (order) => [...new Set([order.clientId, order.receivingCentreId ?? order.clientId])],
  });
}
