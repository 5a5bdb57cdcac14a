// The referral graph in memory, for ranking: who introduced whom, each member's profile
// visibility and affiliations — the facts of the trust-holes visibility rule — kept current by
// the ranking feed through ranking_change like the workers' facts (every write to referral and
// worker_affiliation notes the members whose links it changes). A coordinator's walk of four
// hops crosses thousands of links in a hub of 100,000 members: as SQL, one statement per hop,
// it took tens of milliseconds (bench/src/ranking.ts); here it takes well under one.
//
// The rule is read-models/trust.ts's, link for link; a test compares the two on random graphs.

import type { PrismaClient } from '../generated/prisma/client.js';
import { TRUST_MAX_HOPS, type TrustViewer } from '../read-models/trust.js';
import { type IndexedAffiliation, loadAffiliations } from './facts.js';
import { dayNumber, Interner, isAffiliatedOn, packAffiliations } from './packed.js';

const KEPT_WALKS = 256;

/**
 * Members as small integer slots and the facts in flat arrays: a walk follows thousands of
 * links, and string-keyed maps and sets per link cost more than the walk itself.
 */
export class TrustGraph {
  private readonly slotOf = new Map<string, number>();
  private readonly memberIds: string[] = [];
  private readonly organizations = new Interner();
  /** 1 when the member has a referral row (the start of a walk must). */
  private hasRow = new Uint8Array(1024);
  /** Who introduced the member (a slot), −1 for nobody or no row. */
  private referrer = new Int32Array(1024).fill(-1);
  /** 1 when the member shows their profile to members or the public: links to those they introduced are anyone's. */
  private isOpen = new Uint8Array(1024);
  private readonly introduced: (number[] | undefined)[] = [];
  /** Per member, packed (packed.ts). */
  private readonly affiliationsOf: (Int32Array | undefined)[] = [];
  // One walk's scratch: the generation a slot was last reached in.
  private reached = new Uint32Array(1024);
  private generation = 0;
  /** Bumped by every change to a link, a visibility or an affiliation. */
  private version = 0;
  /** Recent walks by asker, viewer and hops, valid while `version` is what it was. */
  private readonly walks = new Map<string, { version: number; distances: Map<string, number> }>();

  private slot(memberId: string): number {
    let slot = this.slotOf.get(memberId);
    if (slot === undefined) {
      slot = this.memberIds.length;
      this.memberIds.push(memberId);
      this.slotOf.set(memberId, slot);
      if (slot >= this.hasRow.length) this.grow(slot + 1);
    }
    return slot;
  }

  private grow(length: number): void {
    const size = Math.max(length, this.hasRow.length * 2);
    const hasRow = new Uint8Array(size);
    hasRow.set(this.hasRow);
    this.hasRow = hasRow;
    const referrer = new Int32Array(size).fill(-1);
    referrer.set(this.referrer);
    this.referrer = referrer;
    const isOpen = new Uint8Array(size);
    isOpen.set(this.isOpen);
    this.isOpen = isOpen;
    this.reached = new Uint32Array(size);
    this.generation = 0;
  }

  /** A member's referral row as it now is, or null when it is gone (erased) or never came. */
  setReferral(
    memberId: string,
    row: { referredById: string | null; profileVisibility: string } | null,
  ): void {
    const slot = this.slot(memberId);
    const hasRow = row === null ? 0 : 1;
    const isOpen =
      row !== null && (row.profileVisibility === 'public' || row.profileVisibility === 'members')
        ? 1
        : 0;
    const parent = row?.referredById ? this.slot(row.referredById) : -1;
    const before = this.referrer[slot]!;
    // A reload names members whose other facts changed (assignments, skills): the walks kept
    // stay valid unless a link or a visibility did change.
    if (this.hasRow[slot] === hasRow && this.isOpen[slot] === isOpen && before === parent) return;
    this.version += 1;
    if (before >= 0) {
      const siblings = this.introduced[before];
      const at = siblings?.indexOf(slot) ?? -1;
      if (at >= 0) siblings!.splice(at, 1);
    }
    this.hasRow[slot] = hasRow;
    this.isOpen[slot] = isOpen;
    this.referrer[slot] = parent;
    if (parent >= 0) {
      const siblings = this.introduced[parent];
      if (siblings === undefined) this.introduced[parent] = [slot];
      else siblings.push(slot);
    }
  }

  /** A member's affiliations as they now are (all of them; none → empty). */
  setAffiliations(memberId: string, affiliations: readonly IndexedAffiliation[]): void {
    const slot = this.slotOf.get(memberId);
    if (slot === undefined && affiliations.length === 0) return;
    const packed = packAffiliations(affiliations, this.organizations);
    const at = slot ?? this.slot(memberId);
    const before = this.affiliationsOf[at];
    const isSame =
      (before?.length ?? 0) === packed.length && packed.every((value, i) => before![i] === value);
    if (isSame) return;
    this.version += 1;
    this.affiliationsOf[at] = packed.length > 0 ? packed : undefined;
  }

  /**
   * Hops from one member to every member within `maxHops` over the links the viewer may read,
   * as trustDistancesFrom (read-models/trust.ts) computes them: the start at 0 when it has a
   * row, nothing otherwise; breadth first, so each member at its shortest distance.
   */
  distancesFrom(
    fromMemberId: string,
    viewer: TrustViewer,
    maxHops: number,
  ): ReadonlyMap<string, number> {
    // A coordinator ranks order after order: the walk is kept until the graph changes.
    const key =
      viewer === 'everyone'
        ? `${fromMemberId} ${maxHops} everyone`
        : `${fromMemberId} ${maxHops} ${viewer.memberId} ${viewer.today} ${[...viewer.staffOrganizationIds].sort().join(',')}`;
    const kept = this.walks.get(key);
    if (kept !== undefined && kept.version === this.version) return kept.distances;
    const distances = this.walk(fromMemberId, viewer, maxHops);
    this.walks.delete(key);
    if (this.walks.size >= KEPT_WALKS) this.walks.delete(this.walks.keys().next().value!);
    this.walks.set(key, { version: this.version, distances });
    return distances;
  }

  private walk(fromMemberId: string, viewer: TrustViewer, maxHops: number): Map<string, number> {
    const distances = new Map<string, number>();
    const start = this.slotOf.get(fromMemberId);
    if (start === undefined || this.hasRow[start] !== 1) return distances;
    const everyone = viewer === 'everyone';
    const self = everyone ? -1 : (this.slotOf.get(viewer.memberId) ?? -1);
    const staffOf = everyone
      ? []
      : viewer.staffOrganizationIds.map((id) => this.organizations.find(id)).filter((id) => id > 0);
    const today = everyone ? 0 : dayNumber(viewer.today);
    const { referrer, isOpen, introduced, affiliationsOf } = this;
    const isStaffOver = (slot: number) => isAffiliatedOn(affiliationsOf[slot], staffOf, today);
    // The link child → parent: the parent's visibility, the viewer on either side, or the
    // viewer staff of an organisation either side is registered with today.
    const isVisible = (child: number, parent: number): boolean =>
      everyone ||
      isOpen[parent] === 1 ||
      child === self ||
      parent === self ||
      (staffOf.length > 0 && (isStaffOver(child) || isStaffOver(parent)));

    const generation = this.nextGeneration();
    const reached = this.reached;
    reached[start] = generation;
    distances.set(fromMemberId, 0);
    let frontier = [start];
    const hops = Math.min(maxHops, TRUST_MAX_HOPS);
    for (let hop = 1; hop <= hops && frontier.length > 0; hop += 1) {
      const next: number[] = [];
      for (const node of frontier) {
        const children = introduced[node];
        if (children !== undefined) {
          for (const child of children) {
            if (reached[child] === generation || !isVisible(child, node)) continue;
            reached[child] = generation;
            next.push(child);
          }
        }
        const parent = referrer[node]!;
        if (parent >= 0 && reached[parent] !== generation && isVisible(node, parent)) {
          reached[parent] = generation;
          next.push(parent);
        }
      }
      for (const slot of next) distances.set(this.memberIds[slot]!, hop);
      frontier = next;
    }
    return distances;
  }

  private nextGeneration(): number {
    this.generation += 1;
    if (this.generation === 0xffffffff) {
      this.reached.fill(0);
      this.generation = 1;
    }
    return this.generation;
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
  const [referrals, byMember] = await Promise.all([
    prisma.referral.findMany({
      ...(memberIds === null ? {} : { where: { memberId: { in: [...memberIds] } } }),
      select: { memberId: true, referredById: true, profileVisibility: true },
    }),
    loadAffiliations(prisma, memberIds),
  ]);
  const found = new Set<string>();
  for (const row of referrals) {
    found.add(row.memberId);
    graph.setReferral(row.memberId, row);
  }
  for (const [memberId, list] of byMember) graph.setAffiliations(memberId, list);
  if (memberIds === null) return;
  for (const id of memberIds) {
    if (!found.has(id)) graph.setReferral(id, null);
    if (!byMember.has(id)) graph.setAffiliations(id, []);
  }
}
