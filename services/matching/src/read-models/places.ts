import { todayInJapan } from '@hub/contracts';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';

type Db = PrismaClient | Prisma.TransactionClient;

/** Which memberships homeSpacesOn reads, beyond the day's. */
export type HomeSpaceFilters = {
  /** Only memberships of these spaces (help suggestions: the asker's); omitted: every space. */
  spaceIds?: readonly string[];
  /**
   * Only memberships at spaces these organisations operate (a space matching knows no operator
   * of never qualifies) — the memberships a caller may read under spaces' rule; omitted or null:
   * every membership.
   */
  operatorIds?: readonly string[] | null;
};

/**
 * Each member's home spaces on `day` (a Tokyo day): memberships whose days cover it, narrowed by
 * `filters`. One statement for all the members; members with none are absent from the map.
 */
export async function homeSpacesOn(
  db: Db,
  memberIds: readonly string[],
  day: string = todayInJapan(),
  { spaceIds, operatorIds = null }: HomeSpaceFilters = {},
): Promise<Map<string, string[]>> {
  if (memberIds.length === 0 || spaceIds?.length === 0) return new Map();
  if (operatorIds !== null && operatorIds.length === 0) return new Map();
  const ofSpaces =
    spaceIds === undefined
      ? Prisma.sql`TRUE`
      : Prisma.sql`h.space_id = ANY(${[...spaceIds]}::uuid[])`;
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
       AND h.starts_on <= ${day}::date
       AND (h.ends_on IS NULL OR h.ends_on >= ${day}::date)
       AND ${ofSpaces}
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

/**
 * The places of the organisation receiving an order (its operated spaces and their networks), in
 * one statement: its spaces with their municipality, then the spaces sharing a network with one
 * of them with none (a space always has a municipality, so none marks a network's).
 */
export async function centrePlaces(db: Db, organizationId: string): Promise<CentrePlaces> {
  const rows = await db.$queryRaw<{ space_id: string; municipality_code: string | null }[]>`
    WITH own AS (
      SELECT space_id, municipality_code FROM space
       WHERE operator_id = ${organizationId}::uuid AND status <> 'closed')
    SELECT space_id::text, municipality_code FROM own
    UNION ALL
    SELECT DISTINCT other.space_id::text, NULL
      FROM own JOIN network_site mine ON mine.space_id = own.space_id
      JOIN network_site other ON other.network_id = mine.network_id`;
  const spaceIds = new Set<string>();
  const municipalityCodes = new Set<string>();
  const networkSpaceIds = new Set<string>();
  for (const row of rows) {
    networkSpaceIds.add(row.space_id);
    if (row.municipality_code === null) continue;
    spaceIds.add(row.space_id);
    municipalityCodes.add(row.municipality_code);
  }
  return { spaceIds, municipalityCodes, networkSpaceIds };
}
