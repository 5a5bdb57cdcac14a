import { organizationRef, resolveGroupedConnection } from '@hub/service-kit';
import { builder, type MatchingContext } from '../builder.js';
import { WORK_ORDER_ORDER } from '../domain/search-work-orders.js';
import { CONFIRMED_WORK_ORDER } from '../domain/work-order-links.js';
import type { WorkOrder } from '../generated/prisma/client.js';
import { WorkOrderConnection, WorkOrderRef, WorkOrderStatusEnum } from './work-order.js';
import { type OrganizationOrderRole, organizationWorkOrderPage } from './work-order-pages.js';

/** The part an organisation plays in an order, to filter its list by. */
const OrganizationOrderRoleEnum = builder.enumType('OrganizationOrderRole', {
  description: '発注での組織の立場 (the part an organisation plays in a work order)',
  values: {
    CLIENT: { description: '発注元 (the client ordering the work)' },
    RECEIVING: {
      description:
        '受託組織 — センター、または再委託を受けた協力組織 (the receiving centre, or a partner a share was delegated to)',
    },
  },
});

/** Organizations are owned by the members service; matching only knows their id. */
export const OrganizationRef = organizationRef(builder, {
  fields: (t) => ({
    // Nullable: if this subgraph is down, the gateway can still return the organization.
    workOrders: t.connection(
      {
        type: WorkOrderRef,
        nullable: true,
        description:
          'この組織が発注した、または受託した仕事、新しい順 — 公開済み (確認済みで下書きでない) もののみ。状態と立場で絞り込める (work orders this organization placed or receives, newest first; only public ones — confirmed, not drafts; filtered by status and by the part the organisation plays)',
        args: {
          status: t.arg({
            type: WorkOrderStatusEnum,
            required: false,
            description: 'この状態の発注のみ (only orders in this status)',
          }),
          role: t.arg({
            type: OrganizationOrderRoleEnum,
            required: false,
            description: 'この立場の発注のみ (only orders where the organisation plays this part)',
          }),
        },
        resolve: (organization, args, context) =>
          organizationWorkOrderPage(context, {
            parent: organization.id,
            args,
            filter: {
              status: args.status ?? null,
              role: (args.role ?? null) as OrganizationOrderRole | null,
            },
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
            fetch: (ids) => pendingWorkOrdersOf(context, ids),
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
 * Orders where each organization is the client or the receiving centre that still await a
 * confirmation, in page order: one query for every organization of the request. Declined orders
 * are cancelled: they leave the list. Representation keys that are not UUIDs never get here
 * (the kit answers null for them).
 */
function pendingWorkOrdersOf(context: MatchingContext, organizationIds: readonly string[]) {
  const ids = [...organizationIds];
  return context.prisma.workOrder.findMany({
    where: {
      AND: [
        { status: { not: 'CANCELLED' }, NOT: CONFIRMED_WORK_ORDER },
        { OR: [{ clientId: { in: ids } }, { receivingCentreId: { in: ids } }] },
      ],
    },
    orderBy: WORK_ORDER_ORDER,
  });
}

// An order belongs to its client and to its centre, but only once when they are the same.
const sidesOf = (order: WorkOrder) => [
  ...new Set([order.clientId, order.receivingCentreId ?? order.clientId]),
];
