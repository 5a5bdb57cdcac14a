import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';

/** Beyond this many referral hops two members count as not connected. */
export const TRUST_DISTANCE_MAX_HOPS = 6;
// Each side walks half the way; any path of length ≤ 6 has a middle node at most 3 hops
// from both ends, so meeting in the middle is exact and visits far fewer rows than one
// 6-hop walk through a well-connected referrer.
const HALF = TRUST_DISTANCE_MAX_HOPS / 2;

/**
 * Whose view of the referral graph the distance is computed in: every link (a hub admin), or
 * the links a signed-in member may read. A link "b was referred by a" is readable as
 * `a.referrals` (a profile field of a) or as `b.referredBy` (personal data of b), so it counts
 * when the caller may read either (src/authorization/rules.ts) — a distance over links the
 * field rules hide would reveal them.
 */
export type ReferralViewer =
  | 'everyone'
  | {
      memberId: string;
      /** Organisations where the caller holds a staff role (the token's staffOf). */
      staffOrganizationIds: readonly string[];
      /** Today in Japan (YYYY-MM-DD): only affiliations active today count for staff. */
      today: string;
    };

export type TrustDistanceOptions = {
  fromMemberId: string;
  toMemberId: string;
  visibleTo: ReferralViewer;
};

/**
 * The SQL condition "the caller may read the link parent ← child" for rows `p` (parent) and
 * `c` (child): the parent's profile is shown to members, or the caller may read the personal
 * data of either side (is that member, or staff of an organisation they are registered with —
 * a confirmed affiliation active today, as in access.ts).
 */
function linkVisible(viewer: ReferralViewer): Prisma.Sql {
  if (viewer === 'everyone') return Prisma.sql`TRUE`;
  return Prisma.sql`(
    p.profile_visibility IN ('public', 'members')
    OR ${viewer.memberId}::uuid IN (p.id, c.id)
    OR EXISTS (
      SELECT 1 FROM affiliation a
      WHERE a.member_id IN (p.id, c.id)
        AND a.organization_id = ANY(${[...viewer.staffOrganizationIds]}::uuid[])
        AND a.confirmed_at IS NOT NULL
        AND a.starts_on <= ${viewer.today}::date
        AND (a.ends_on IS NULL OR a.ends_on >= ${viewer.today}::date)
    ))`;
}

/**
 * The number of referral hops between two members — "who introduced whom" read in both
 * directions (member.referred_by_id as an undirected edge) — over the links the viewer may
 * read, or null when they are not connected within TRUST_DISTANCE_MAX_HOPS. 0 for the same
 * member. One SQL statement: two breadth-first walks (recursive CTEs over the referral index,
 * UNION so each (member, hops) pair is kept once and cycles end) joined where they meet.
 *
 * The definition matching and other consumers should use; do not re-implement it elsewhere.
 */
export async function trustDistance(
  prisma: PrismaClient,
  { fromMemberId, toMemberId, visibleTo }: TrustDistanceOptions,
): Promise<number | null> {
  const visible = linkVisible(visibleTo);
  const neighbours = Prisma.sql`
    SELECT c.id AS node FROM member c JOIN member p ON p.id = c.referred_by_id
    WHERE c.referred_by_id = here.node AND ${visible}
    UNION ALL
    SELECT p.id FROM member c JOIN member p ON p.id = c.referred_by_id
    WHERE c.id = here.node AND ${visible}`;
  const rows = await prisma.$queryRaw<{ distance: number | null }[]>`
    WITH RECURSIVE
      near_from(node, hops) AS (
        SELECT ${fromMemberId}::uuid, 0
        UNION
        SELECT next.node, here.hops + 1
        FROM near_from here
        CROSS JOIN LATERAL (${neighbours}) next
        WHERE here.hops < ${HALF}
      ),
      near_to(node, hops) AS (
        SELECT ${toMemberId}::uuid, 0
        UNION
        SELECT next.node, here.hops + 1
        FROM near_to here
        CROSS JOIN LATERAL (${neighbours}) next
        WHERE here.hops < ${HALF}
      )
    SELECT min(f.hops + t.hops)::int AS distance
    FROM near_from f
    JOIN near_to t ON t.node = f.node
    -- The start nodes exist even for unknown ids; only a real member is at distance 0.
    WHERE EXISTS (SELECT 1 FROM member WHERE id = ${fromMemberId}::uuid)`;
  return rows[0]?.distance ?? null;
}
