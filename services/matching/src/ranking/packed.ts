// What the in-memory index and the referral graph share: strings as small integer ids, Tokyo
// days as numbers, and affiliations packed flat — the loops over 100,000 members compare
// numbers, not strings or objects.

import type { IndexedAffiliation } from './facts.js';

/** Small integer ids for strings compared often (skill codes, organisations, places). */
export class Interner {
  private readonly ids = new Map<string, number>();
  idOf(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.ids.size + 1;
      this.ids.set(value, id);
    }
    return id;
  }
  get size(): number {
    return this.ids.size;
  }
  /** 0 when never seen: matches nothing. */
  find(value: string | null): number {
    return value === null ? 0 : (this.ids.get(value) ?? 0);
  }
}

/** A Tokyo day as a number that orders like the day: 2026-12-06 → 20261206. */
export function dayNumber(isoDay: string): number {
  return (
    Number(isoDay.slice(0, 4)) * 10_000 +
    Number(isoDay.slice(5, 7)) * 100 +
    Number(isoDay.slice(8, 10))
  );
}
const OPEN_END = 99_999_999;

/** Affiliations as [organisation id, first day, last day] × n (dayNumber; open-ended: far future). */
export function packAffiliations(
  affiliations: readonly IndexedAffiliation[],
  organizations: Interner,
): Int32Array {
  const packed = new Int32Array(affiliations.length * 3);
  affiliations.forEach((affiliation, i) => {
    packed[i * 3] = organizations.idOf(affiliation.organizationId);
    packed[i * 3 + 1] = dayNumber(affiliation.startsOn);
    packed[i * 3 + 2] = affiliation.endsOn === null ? OPEN_END : dayNumber(affiliation.endsOn);
  });
  return packed;
}

/** Affiliated on the day with one of these organisations (ids of the same interner). */
export function isAffiliatedOn(
  packed: Int32Array | undefined,
  organizationIds: readonly number[],
  day: number,
): boolean {
  if (packed === undefined) return false;
  for (let i = 0; i < packed.length; i += 3) {
    if (organizationIds.includes(packed[i]!) && packed[i + 1]! <= day && packed[i + 2]! >= day) {
      return true;
    }
  }
  return false;
}
