// The referral graph in memory, for ranking: who introduced whom, each member's profile
// visibility and affiliations — the facts of the trust-holes visibility rule — kept current by
// the ranking feed through ranking_change like the workers' facts (every write to referral and
// worker_affiliation notes the members whose links it changes). A coordinator's walk of four
// hops crosses thousands of links in a hub of 100,000 members: as SQL, one statement per hop,
// it took tens of milliseconds (bench/src/ranking.ts); here it takes well under one.
//
// The rule is read-models/trust.ts's, link for link; a test compares the two on random graphs.

import { isoDate } from '@hub/contracts';
import type { PrismaClient } from '../generated/prisma/client.js';
import { TRUST_MAX_HOPS, type TrustViewer } from '../read-models/trust.js';

type Visibility = string;
type Affiliation = { organizationId: string; startsOn: string; endsOn: string | null };

export class TrustGraph {
  /** Members with a referral row: who introduced them (null: nobody) and their visibility. */
  private readonly rows = new Map<
    string,
    { referredById: string | null; visibility: Visibility }
  >();
  /** The members each member introduced (their rows name them as referrer). */
  private readonly introduced = new Map<string, Set<string>>();
  private readonly affiliations = new Map<string, readonly Affiliation[]>();

  get size(): number {
    return this.rows.size;
  }

  /** A member's referral row as it now is, or null when it is gone (erased) or never came. */
  setReferral(
    memberId: string,
    row: { referredById: string | null; profileVisibility: string } | null,
  ): void {
    const before = this.rows.get(memberId);
    if (before?.referredById) this.introduced.get(before.referredById)?.delete(memberId);
    if (row === null) {
      this.rows.delete(memberId);
      return;
    }
    this.rows.set(memberId, { referredById: row.referredById, visibility: row.profileVisibility });
    if (row.referredById) {
      let children = this.introduced.get(row.referredById);
      if (children === undefined) {
        children = new Set();
        this.introduced.set(row.referredById, children);
      }
      children.add(memberId);
    }
  }

  /** A member's affiliations as they now are (all of them; none → empty). */
  setAffiliations(memberId: string, affiliations: readonly Affiliation[]): void {
    if (affiliations.length === 0) this.affiliations.delete(memberId);
    else this.affiliations.set(memberId, affiliations);
  }

  /**
   * Hops from one member to every member within `maxHops` over the links the viewer may read,
   * as trustDistancesFrom (read-models/trust.ts) computes them: the start at 0 when it has a
   * row, nothing otherwise; breadth first, so each member at its shortest distance.
   */
  distancesFrom(fromMemberId: string, viewer: TrustViewer, maxHops: number): Map<string, number> {
    const distances = new Map<string, number>();
    if (!this.rows.has(fromMemberId)) return distances;
    distances.set(fromMemberId, 0);
    const isStaffOf = viewer === 'everyone' ? null : new Set<string>(viewer.staffOrganizationIds);
    const today = viewer === 'everyone' ? '' : viewer.today;
    const isVisible = (child: string, parent: string): boolean => {
      if (viewer === 'everyone') return true;
      const visibility = this.rows.get(parent)?.visibility ?? 'staff';
      if (visibility === 'public' || visibility === 'members') return true;
      if (viewer.memberId === child || viewer.memberId === parent) return true;
      return (
        this.isStaffOver(child, isStaffOf!, today) || this.isStaffOver(parent, isStaffOf!, today)
      );
    };
    let frontier = [fromMemberId];
    const hops = Math.min(maxHops, TRUST_MAX_HOPS);
    for (let hop = 1; hop <= hops && frontier.length > 0; hop += 1) {
      const next: string[] = [];
      const reach = (node: string) => {
        if (distances.has(node)) return;
        distances.set(node, hop);
        next.push(node);
      };
      for (const node of frontier) {
        for (const child of this.introduced.get(node) ?? []) {
          if (isVisible(child, node)) reach(child);
        }
        const parent = this.rows.get(node)?.referredById;
        if (parent && isVisible(node, parent)) reach(parent);
      }
      frontier = next;
    }
    return distances;
  }

  /** The member is affiliated today with an organisation the viewer is staff of. */
  private isStaffOver(memberId: string, staffOf: ReadonlySet<string>, today: string): boolean {
    if (staffOf.size === 0) return false;
    for (const affiliation of this.affiliations.get(memberId) ?? []) {
      if (
        staffOf.has(affiliation.organizationId) &&
        affiliation.startsOn <= today &&
        (affiliation.endsOn === null || affiliation.endsOn >= today)
      ) {
        return true;
      }
    }
    return false;
  }
}

/**
 * Reads the referral rows and affiliations of these members (null: everyone's) into the graph;
 * a member named but without rows loses what the graph held for them.
 */
export async function loadTrustFacts(
  prisma: PrismaClient,
  graph: TrustGraph,
  memberIds: readonly string[] | null,
): Promise<void> {
  const ids = memberIds === null ? null : [...memberIds];
  const [referrals, affiliations] = await Promise.all([
    ids === null
      ? prisma.referral.findMany({
          select: { memberId: true, referredById: true, profileVisibility: true },
        })
      : prisma.referral.findMany({
          where: { memberId: { in: ids } },
          select: { memberId: true, referredById: true, profileVisibility: true },
        }),
    prisma.workerAffiliation.findMany({
      ...(ids === null ? {} : { where: { memberId: { in: ids } } }),
      select: { memberId: true, organizationId: true, startsOn: true, endsOn: true },
    }),
  ]);
  const byMember = new Map<string, Affiliation[]>();
  for (const row of affiliations) {
    let list = byMember.get(row.memberId);
    if (list === undefined) {
      list = [];
      byMember.set(row.memberId, list);
    }
    list.push({
      organizationId: row.organizationId,
      startsOn: isoDate(row.startsOn),
      endsOn: row.endsOn === null ? null : isoDate(row.endsOn),
    });
  }
  const found = new Set<string>();
  for (const row of referrals) {
    found.add(row.memberId);
    graph.setReferral(row.memberId, row);
  }
  for (const [memberId, list] of byMember) graph.setAffiliations(memberId, list);
  if (ids === null) return;
  for (const id of ids) {
    if (!found.has(id)) graph.setReferral(id, null);
    if (!byMember.has(id)) graph.setAffiliations(id, []);
  }
}
