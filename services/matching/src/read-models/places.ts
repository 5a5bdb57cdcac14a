import { todayInJapan } from '@hub/contracts';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * Each member's home spaces on `day` (a Tokyo day): memberships whose days cover it. One
 * statement for all the members; members with none are absent from the map.
 */
export async function homeSpacesOn(
  db: Db,
  memberIds: readonly string[],
  day: string = todayInJapan(),
): Promise<Map<string, string[]>> {
  const rows = await db.$queryRaw<{ member_id: string; space_ids: string[] }[]>`
    SELECT member_id::text, array_agg(DISTINCT space_id::text ORDER BY space_id::text) AS space_ids
      FROM home_space
     WHERE member_id = ANY(${[...memberIds]}::uuid[])
       AND starts_on <= ${day}::date
       AND (ends_on IS NULL OR ends_on >= ${day}::date)
     GROUP BY member_id`;
  return new Map(rows.map((row) => [row.member_id, row.space_ids]));
}

export type SharedHomeSpacesOptions = {
  memberIds: readonly string[];
  /** The spaces that count (the asker's); only memberships of these are read. */
  spaceIds: readonly string[];
  /** A Tokyo day (YYYY-MM-DD). */
  day: string;
  /**
   * Only memberships at spaces these organisations operate (a space matching knows no operator
   * of never qualifies); null: every membership.
   */
  operatorIds: readonly string[] | null;
};

/**
 * Of `spaceIds`, the ones each member holds a membership of on `day`, limited to spaces run by
 * `operatorIds` — the memberships a caller may read under spaces' rule. One statement; members
 * with none are absent from the map.
 */
export async function sharedHomeSpacesOn(
  db: Db,
  { memberIds, spaceIds, day, operatorIds }: SharedHomeSpacesOptions,
): Promise<Map<string, string[]>> {
  if (memberIds.length === 0 || spaceIds.length === 0) return new Map();
  if (operatorIds !== null && operatorIds.length === 0) return new Map();
  const operated =
    operatorIds === null
      ? Prisma.sql`TRUE`
      : Prisma.sql`EXISTS (SELECT 1 FROM space s
                            WHERE s.space_id = h.space_id
                              AND s.operator_id = ANY(${[...operatorIds]}::uuid[]))`;
  const rows = await db.$queryRaw<{ member_id: string; space_ids: string[] }[]>`
    SELECT h.member_id::text,
           array_agg(DISTINCT h.space_id::text ORDER BY h.space_id::text) AS space_ids
      FROM home_space h
     WHERE h.member_id = ANY(${[...memberIds]}::uuid[])
       AND h.space_id = ANY(${[...spaceIds]}::uuid[])
       AND h.starts_on <= ${day}::date
       AND (h.ends_on IS NULL OR h.ends_on >= ${day}::date)
       AND ${operated}
     GROUP BY h.member_id`;
  return new Map(rows.map((row) => [row.member_id, row.space_ids]));
}

/**
 * Each member's next day after `day` on which their home spaces change by the calendar alone: a
 * membership starting, or the day after one ends (`ends_on` is inclusive). One statement;
 * members with no such day are absent.
 */
export async function nextHomeSpaceChangeAfter(
  db: Db,
  memberIds: readonly string[],
  day: string,
): Promise<Map<string, string>> {
  const rows = await db.$queryRaw<{ member_id: string; next_day: string }[]>`
    SELECT member_id::text, to_char(min(next_day), 'YYYY-MM-DD') AS next_day
      FROM (SELECT member_id, starts_on AS next_day FROM home_space
             WHERE member_id = ANY(${[...memberIds]}::uuid[]) AND starts_on > ${day}::date
            UNION ALL
            SELECT member_id, ends_on + 1 FROM home_space
             WHERE member_id = ANY(${[...memberIds]}::uuid[]) AND ends_on >= ${day}::date) AS changes
     GROUP BY member_id`;
  return new Map(rows.map((row) => [row.member_id, row.next_day]));
}

/** Where a receiving centre is, for proximity: from the spaces it operates. */
export type CentrePlaces = {
  /** Spaces the organisation operates that are not closed. */
  readonly spaceIds: ReadonlySet<string>;
  /** Their municipalities ("same municipality" as the centre). */
  readonly municipalityCodes: ReadonlySet<string>;
  /** Those spaces and every space sharing a network with one of them ("in the centre's network"). */
  readonly networkSpaceIds: ReadonlySet<string>;
};

/** The places of the organisation receiving an order (its operated spaces and their networks). */
export async function centrePlaces(db: Db, organizationId: string): Promise<CentrePlaces> {
  const spaces = await db.$queryRaw<{ space_id: string; municipality_code: string }[]>`
    SELECT space_id::text, municipality_code FROM space
     WHERE operator_id = ${organizationId}::uuid AND status <> 'closed'`;
  const spaceIds = spaces.map((space) => space.space_id);
  const linked = await db.$queryRaw<{ space_id: string }[]>`
    SELECT DISTINCT other.space_id::text
      FROM network_site own JOIN network_site other ON other.network_id = own.network_id
     WHERE own.space_id = ANY(${spaceIds}::uuid[])`;
  return {
    spaceIds: new Set(spaceIds),
    municipalityCodes: new Set(spaces.map((space) => space.municipality_code)),
    networkSpaceIds: new Set([...spaceIds, ...linked.map((row) => row.space_id)]),
  };
}
