import {
  type ConnectionArgs,
  type ConnectionPage,
  requestGroupLoader,
  requestLoader,
  sqlPageCut,
  sqlPageOf,
} from '@hub/service-kit';
import type { MatchingContext } from '../builder.js';
import { statusForEvent } from '../domain/work-orders/transitions.js';
import {
  Prisma,
  type WorkCategory,
  type WorkOrder,
  type WorkOrderStatus,
} from '../generated/prisma/client.js';

// An organisation's work orders grow with every order it places or receives: each page is cut
// in SQL, one statement for every organisation of the request (a window per organisation, as
// spaces' visit lists), and counted with one GROUP BY only when totalCount is asked. Only public
// orders (confirmed by everyone they name, not drafts) are listed.

/** The part an organisation plays in an order. */
export type OrganizationOrderRole = 'CLIENT' | 'RECEIVING';

export type OrganizationOrderFilter = {
  status: WorkOrderStatus | null;
  role: OrganizationOrderRole | null;
};

/** Database enum values are lower-case and dashed ('in-progress'); Prisma's are 'IN_PROGRESS'. */
const dbValue = statusForEvent;
const modelValue = (value: string) => value.toUpperCase().replaceAll('-', '_');

/** The rows of each organisation (`parent`), public, in the filter. */
function rowsOf(keys: readonly string[], filter: OrganizationOrderFilter): Prisma.Sql {
  const ids = [...keys];
  const sides: Prisma.Sql[] = [];
  if (filter.role !== 'RECEIVING') {
    sides.push(Prisma.sql`SELECT w.*, w.client_id AS parent FROM work_order w
      WHERE w.client_id = ANY(${ids}::uuid[])`);
  }
  if (filter.role !== 'CLIENT') {
    // Once per organisation: an order it both placed and receives is listed as its client's.
    const notAlsoClient =
      filter.role === 'RECEIVING'
        ? Prisma.empty
        : Prisma.sql`AND w.client_id <> w.receiving_centre_id`;
    sides.push(Prisma.sql`SELECT w.*, w.receiving_centre_id AS parent FROM work_order w
      WHERE w.receiving_centre_id = ANY(${ids}::uuid[]) ${notAlsoClient}`);
  }
  const status = filter.status
    ? Prisma.sql`AND s.status = ${dbValue(filter.status)}::work_order_status`
    : Prisma.empty;
  return Prisma.sql`SELECT s.* FROM (${Prisma.join(sides, ' UNION ALL ')}) s
    WHERE s.status <> 'draft' AND s.client_confirmed_at IS NOT NULL
      AND (s.receiving_centre_id IS NULL OR s.receiving_centre_confirmed_at IS NOT NULL)
      ${status}`;
}

type WorkOrderRow = {
  parent: string;
  id: string;
  title: string;
  description: string | null;
  category: string;
  client_id: string;
  receiving_centre_id: string | null;
  client_confirmed_at: Date | null;
  receiving_centre_confirmed_at: Date | null;
  volume: number;
  volume_unit: string;
  pay_model: string;
  rate: number;
  deadline: Date | null;
  requires_on_site: boolean;
  status: string;
  hours_per_unit: Prisma.Decimal | null;
  roles: Prisma.JsonValue;
  parent_id: string | null;
  root_id: string | null;
  leader_member_id: string | null;
  delegation_note: string | null;
  created_at: Date;
  updated_at: Date;
};

function workOrderOf(row: WorkOrderRow): WorkOrder {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    category: modelValue(row.category) as WorkCategory,
    clientId: row.client_id,
    receivingCentreId: row.receiving_centre_id,
    clientConfirmedAt: row.client_confirmed_at,
    receivingCentreConfirmedAt: row.receiving_centre_confirmed_at,
    volume: row.volume,
    volumeUnit: modelValue(row.volume_unit) as WorkOrder['volumeUnit'],
    payModel: modelValue(row.pay_model) as WorkOrder['payModel'],
    rate: row.rate,
    deadline: row.deadline,
    requiresOnSite: row.requires_on_site,
    status: modelValue(row.status) as WorkOrderStatus,
    hoursPerUnit: row.hours_per_unit,
    roles: row.roles,
    parentId: row.parent_id,
    rootId: row.root_id,
    leaderMemberId: row.leader_member_id,
    delegationNote: row.delegation_note,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** One page of an organisation's orders, newest first; cursors are order ids. */
export function organizationWorkOrderPage(
  context: MatchingContext,
  options: { parent: string; args: ConnectionArgs; filter: OrganizationOrderFilter },
): Promise<ConnectionPage<WorkOrder>> {
  const { parent, args, filter } = options;
  const cut = sqlPageCut(args);
  const { isBackward, size, cursorId } = cut;
  const listKey = `${filter.status ?? '*'}:${filter.role ?? '*'}`;
  const loader = requestGroupLoader(
    context,
    `organizationWorkOrders:${listKey}:${isBackward}:${size}:${cursorId}`,
    {
      // One row past the page tells whether there is another.
      fetch: (keys: readonly string[]) => {
        const order = isBackward
          ? Prisma.sql`created_at ASC, id ASC`
          : Prisma.sql`created_at DESC, id DESC`;
        const beyondCursor =
          cursorId === null
            ? Prisma.empty
            : isBackward
              ? Prisma.sql`WHERE (o.created_at, o.id) > (SELECT created_at, id FROM work_order WHERE id = ${cursorId}::uuid)`
              : Prisma.sql`WHERE (o.created_at, o.id) < (SELECT created_at, id FROM work_order WHERE id = ${cursorId}::uuid)`;
        return context.prisma.$queryRaw<WorkOrderRow[]>`
          SELECT * FROM (
            SELECT o.*, row_number() OVER (PARTITION BY parent ORDER BY ${order}) AS n
            FROM (${rowsOf(keys, filter)}) o ${beyondCursor}
          ) numbered
          WHERE n <= ${size + 1}
          ORDER BY ${order}`;
      },
      groupOf: (row: WorkOrderRow) => row.parent,
    },
  );
  return loader.load(parent).then((rows) =>
    sqlPageOf(rows, {
      args,
      cut,
      nodeOf: workOrderOf,
      totalCount: async () =>
        (await organizationWorkOrderCount(context, filter, listKey).load(parent))?.count ?? 0,
    }),
  );
}

function organizationWorkOrderCount(
  context: MatchingContext,
  filter: OrganizationOrderFilter,
  listKey: string,
) {
  return requestLoader(context, `organizationWorkOrderCount:${listKey}`, {
    fetch: (keys: readonly string[]) =>
      context.prisma.$queryRaw<{ parent: string; count: number }[]>`
        SELECT parent::text AS parent, count(*)::int AS count FROM (${rowsOf(keys, filter)}) o
        GROUP BY parent`,
    keyOf: (row) => row.parent,
  });
}
