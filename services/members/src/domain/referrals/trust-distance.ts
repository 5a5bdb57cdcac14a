import type { PrismaClient } from '../../generated/prisma/client.js';

/** Beyond this many referral hops two members count as not connected. */
export const TRUST_DISTANCE_MAX_HOPS = 6;
// Each side walks half the way; any path of length ≤ 6 has a middle node at most 3 hops
// from both ends, so meeting in the middle is exact and visits far fewer rows than one
// 6-hop walk through a well-connected referrer.
const HALF = TRUST_DISTANCE_MAX_HOPS / 2;

/**
 * The number of referral hops between two members — "who introduced whom" read in both
 * directions (member.referred_by_id as an undirected edge) — or null when they are not
 * connected within TRUST_DISTANCE_MAX_HOPS. 0 for the same member. One SQL statement: two
 * breadth-first walks (recursive CTEs over the referral index, UNION so each (member, hops)
 * pair is kept once and cycles end) joined where they meet.
 *
 * The definition matching and other consumers should use; do not re-implement it elsewhere.
 */
export async function trustDistance(
  prisma: PrismaClient,
  fromMemberId: string,
  toMemberId: string,
): Promise<number | null> {
  const rows = await prisma.$queryRaw<{ distance: number | null }[]>`
    WITH RECURSIVE
      near_from(node, hops) AS (
        SELECT ${fromMemberId}::uuid, 0
        UNION
        SELECT next.node, here.hops + 1
        FROM near_from here
        CROSS JOIN LATERAL (
          SELECT m.id AS node FROM member m WHERE m.referred_by_id = here.node
          UNION ALL
          SELECT m.referred_by_id FROM member m
          WHERE m.id = here.node AND m.referred_by_id IS NOT NULL
        ) next
        WHERE here.hops < ${HALF}
      ),
      near_to(node, hops) AS (
        SELECT ${toMemberId}::uuid, 0
        UNION
        SELECT next.node, here.hops + 1
        FROM near_to here
        CROSS JOIN LATERAL (
          SELECT m.id AS node FROM member m WHERE m.referred_by_id = here.node
          UNION ALL
          SELECT m.referred_by_id FROM member m
          WHERE m.id = here.node AND m.referred_by_id IS NOT NULL
        ) next
        WHERE here.hops < ${HALF}
      )
    SELECT min(f.hops + t.hops)::int AS distance
    FROM near_from f
    JOIN near_to t ON t.node = f.node
    -- The start nodes exist even for unknown ids; only a real member is at distance 0.
    WHERE EXISTS (SELECT 1 FROM member WHERE id = ${fromMemberId}::uuid)`;
  return rows[0]?.distance ?? null;
}
