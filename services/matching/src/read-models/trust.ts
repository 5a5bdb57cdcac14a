import { Prisma, type PrismaClient } from '../generated/prisma/client.js';

/** Beyond this many referral hops two members count as not connected (as in members). */
export const TRUST_MAX_HOPS = 6;
const HALF = TRUST_MAX_HOPS / 2;

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * Whose view of the referral graph a distance is computed in — members' rule
 * (services/members/src/domain/referrals/trust-distance.ts): every link (a hub admin, or the
 * hub itself), or the links a signed-in member may read.
 */
export type TrustViewer =
  | 'everyone'
  | {
      memberId: string;
      /** Organisations where the viewer holds a staff role (the token's staffOf). */
      staffOrganizationIds: readonly string[];
      /** The Tokyo day (YYYY-MM-DD) whose affiliations count. */
      today: string;
    };

/**
 * "The viewer may read the link parent ← child" for the child's row `c` and the parent's row
 * `p` (left-joined: a parent without a row — not announced yet, or erased — counts as `staff`,
 * as members' tombstone of an erased member does): the parent shows their profile to members,
 * the viewer is either side, or the viewer is staff of an organisation either side is
 * affiliated with that day (worker_affiliation holds confirmed affiliations only).
 */
function linkVisible(viewer: TrustViewer): Prisma.Sql {
  if (viewer === 'everyone') return Prisma.sql`TRUE`;
  return Prisma.sql`(
    coalesce(p.profile_visibility, 'staff') IN ('public', 'members')
    OR ${viewer.memberId}::uuid IN (c.member_id, c.referred_by_id)
    OR EXISTS (
      SELECT 1 FROM worker_affiliation a
      WHERE a.member_id IN (c.member_id, c.referred_by_id)
        AND a.organization_id = ANY(${[...viewer.staffOrganizationIds]}::uuid[])
        AND a.starts_on <= ${viewer.today}::date
        AND (a.ends_on IS NULL OR a.ends_on >= ${viewer.today}::date)
    ))`;
}

/** The visible links touching the nodes in `here.node`, read in both directions. */
function neighbours(viewer: TrustViewer, node: Prisma.Sql): Prisma.Sql {
  const visible = linkVisible(viewer);
  return Prisma.sql`
    SELECT c.member_id AS node FROM referral c LEFT JOIN referral p ON p.member_id = c.referred_by_id
    WHERE c.referred_by_id = ${node} AND ${visible}
    UNION ALL
    SELECT c.referred_by_id FROM referral c LEFT JOIN referral p ON p.member_id = c.referred_by_id
    WHERE c.member_id = ${node} AND c.referred_by_id IS NOT NULL AND ${visible}`;
}

export type TrustDistanceOptions = {
  fromMemberId: string;
  toMemberId: string;
  viewer: TrustViewer;
};

/**
 * Referral hops between two members over the links the viewer may read, or null when they are
 * not connected within TRUST_MAX_HOPS; 0 for the same (known) member. Members' definition on
 * matching's copy of the graph: two breadth-first walks of half the way each, joined where
 * they meet (any path of ≤ 6 hops has a node ≤ 3 hops from both ends), one SQL statement.
 */
export async function trustDistance(
  db: Db,
  { fromMemberId, toMemberId, viewer }: TrustDistanceOptions,
): Promise<number | null> {
  const step = neighbours(viewer, Prisma.sql`here.node`);
  const rows = await db.$queryRaw<{ distance: number | null }[]>`
    WITH RECURSIVE
      near_from(node, hops) AS (
        SELECT ${fromMemberId}::uuid, 0
        UNION
        SELECT next.node, here.hops + 1
        FROM near_from here CROSS JOIN LATERAL (${step}) next
        WHERE here.hops < ${HALF}
      ),
      near_to(node, hops) AS (
        SELECT ${toMemberId}::uuid, 0
        UNION
        SELECT next.node, here.hops + 1
        FROM near_to here CROSS JOIN LATERAL (${step}) next
        WHERE here.hops < ${HALF}
      )
    SELECT min(f.hops + t.hops)::int AS distance
    FROM near_from f JOIN near_to t ON t.node = f.node
    -- The start nodes exist even for unknown ids; only a known member is at distance 0.
    WHERE EXISTS (SELECT 1 FROM referral WHERE member_id = ${fromMemberId}::uuid)`;
  return rows[0]?.distance ?? null;
}

export type TrustDistancesOptions = {
  fromMemberId: string;
  viewer: TrustViewer;
  /** At most TRUST_MAX_HOPS (the default). */
  maxHops?: number;
};

/**
 * For ranking: the hops from one member (the coordinator or leader) to every member within
 * `maxHops` over the links the viewer may read — a breadth-first walk, one SQL statement per
 * hop over that hop's frontier, so each member is reached once, at its shortest distance. The
 * start member is at 0 when known. Members not in the map are not connected.
 */
export async function trustDistancesFrom(
  db: Db,
  { fromMemberId, viewer, maxHops = TRUST_MAX_HOPS }: TrustDistancesOptions,
): Promise<Map<string, number>> {
  const distances = new Map<string, number>();
  const known = await db.$queryRaw<{ member_id: string }[]>`
    SELECT member_id::text FROM referral WHERE member_id = ${fromMemberId}::uuid`;
  if (known.length === 0) return distances;
  distances.set(fromMemberId, 0);
  let frontier = [fromMemberId];
  const hops = Math.min(maxHops, TRUST_MAX_HOPS);
  for (let hop = 1; hop <= hops && frontier.length > 0; hop += 1) {
    const step = neighbours(viewer, Prisma.sql`here.node`);
    const rows = await db.$queryRaw<{ node: string }[]>`
      SELECT DISTINCT next.node::text AS node
      FROM unnest(${frontier}::uuid[]) AS here(node) CROSS JOIN LATERAL (${step}) next`;
    frontier = [];
    for (const { node } of rows) {
      if (distances.has(node)) continue;
      distances.set(node, hop);
      frontier.push(node);
    }
  }
  return distances;
}
