import type { PrismaClient } from '../../generated/prisma/client.js';

/** Volumes of assignments: offered or further (not declined or withdrawn), accepted or further, delivered. */
export type VolumeTotals = { allocated: number; accepted: number; delivered: number };

/** One child of an order with the totals of its whole subtree. */
export type BranchProgress = VolumeTotals & { parentId: string; workOrderId: string };

/** An order's own figures: its direct assignments, and the volume it delegated. */
export type OwnProgress = VolumeTotals & { workOrderId: string; delegated: number };

type Db = Pick<PrismaClient, '$queryRaw'>;

/**
 * Per child of each given order, the assignment totals of the child's whole subtree: one
 * recursive query for every order of the request, whatever the depth of the trees.
 */
export async function branchProgressOf(
  db: Db,
  parentIds: readonly string[],
): Promise<BranchProgress[]> {
  return db.$queryRaw<BranchProgress[]>`
    WITH RECURSIVE branch AS (
      SELECT c.id, c.id AS branch_id, c.parent_id AS top
      FROM work_order c WHERE c.parent_id = ANY(${[...parentIds]}::uuid[])
      UNION ALL
      SELECT g.id, b.branch_id, b.top FROM work_order g JOIN branch b ON g.parent_id = b.id
    )
    SELECT b.top::text AS "parentId", b.branch_id::text AS "workOrderId",
      COALESCE(sum(a.allocated_volume) FILTER (WHERE a.status NOT IN ('declined', 'withdrawn')), 0)::int AS allocated,
      COALESCE(sum(a.allocated_volume) FILTER (WHERE a.status IN ('accepted', 'in-progress', 'done')), 0)::int AS accepted,
      COALESCE(sum(a.delivered_volume) FILTER (WHERE a.status = 'done'), 0)::int AS delivered
    FROM branch b LEFT JOIN assignment a ON a.work_order_id = b.id
    GROUP BY b.top, b.branch_id
    ORDER BY b.top, b.branch_id`;
}

/** Each order's own figures (direct assignments, volume delegated to children not cancelled). */
export async function ownProgressOf(
  db: Db,
  workOrderIds: readonly string[],
): Promise<OwnProgress[]> {
  return db.$queryRaw<OwnProgress[]>`
    SELECT o.id::text AS "workOrderId",
      COALESCE((SELECT sum(c.volume) FROM work_order c
                WHERE c.parent_id = o.id AND c.status <> 'cancelled'), 0)::int AS delegated,
      COALESCE(sum(a.allocated_volume) FILTER (WHERE a.status NOT IN ('declined', 'withdrawn')), 0)::int AS allocated,
      COALESCE(sum(a.allocated_volume) FILTER (WHERE a.status IN ('accepted', 'in-progress', 'done')), 0)::int AS accepted,
      COALESCE(sum(a.delivered_volume) FILTER (WHERE a.status = 'done'), 0)::int AS delivered
    FROM work_order o LEFT JOIN assignment a ON a.work_order_id = o.id
    WHERE o.id = ANY(${[...workOrderIds]}::uuid[])
    GROUP BY o.id`;
}

/** A part's leader with the organisation receiving it: they lead it while registered there. */
export type TreeLeader = { leaderMemberId: string; receivingCentreId: string };

/**
 * The organisations and leaders of each tree: who may follow its progress. Each leader comes
 * with the receiver of the part they lead, for the leader rule (authorization/leader-access.ts):
 * a leader is a party only while registered with it today — the caller checks that.
 */
export async function treePartiesOf(
  db: Db,
  rootIds: readonly string[],
): Promise<{ rootId: string; organizationIds: string[]; leaders: TreeLeader[] }[]> {
  return db.$queryRaw`
    SELECT root_id::text AS "rootId",
      array_remove(array_agg(DISTINCT client_id::text) || array_agg(DISTINCT receiving_centre_id::text), NULL) AS "organizationIds",
      COALESCE(
        jsonb_agg(DISTINCT jsonb_build_object(
          'leaderMemberId', leader_member_id::text,
          'receivingCentreId', receiving_centre_id::text))
        FILTER (WHERE leader_member_id IS NOT NULL AND receiving_centre_id IS NOT NULL),
        '[]'::jsonb) AS "leaders"
    FROM work_order WHERE root_id = ANY(${[...rootIds]}::uuid[])
    GROUP BY root_id`;
}
