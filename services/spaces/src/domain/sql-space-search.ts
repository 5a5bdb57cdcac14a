import { Prisma, type PrismaClient, type Space } from '../generated/prisma/client.js';
import { nearSql, type TNear } from './near-spaces.js';
import { openAtSql } from './open-at-sql.js';

export type SqlSpaceFilter = {
  text: string;
  municipalityCode?: string | null;
  prefecture?: string | null;
  kind?: string | null;
  status?: string | null;
  facilities?: string[] | null;
  admissionPolicy?: string | null;
  maxDropInPriceYen?: number | null;
  openAt: Date | null;
  near?: TNear | null;
};

export type SpacePage = {
  page: (prisma: PrismaClient, query: Record<string, unknown>) => Promise<Space[]>;
  count: (prisma: PrismaClient) => Promise<number>;
};

/** Prisma's enum name → the database value (`TELEWORK_CENTRE` → `telework-centre`). */
const dbValue = (name: string) => name.toLowerCase().replaceAll('_', '-');
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * A search with `openAt` or `near` in one statement: the page is cut in SQL with the same
 * cursor (`id`) and semantics as Prisma's findMany (take, skip, cursor; negative take pages
 * backwards), ordered by name — or by distance with `near` — then id; then the page's rows are
 * read through Prisma (with whatever the selection includes) and put back in that order.
 */
export function sqlSpaceSearch(filter: SqlSpaceFilter): SpacePage {
  const near = filter.near ? nearSql(filter.near) : null;
  const conditions: Prisma.Sql[] = [];
  if (filter.municipalityCode)
    conditions.push(Prisma.sql`s.municipality_code = ${filter.municipalityCode}`);
  if (filter.prefecture) {
    conditions.push(
      Prisma.sql`EXISTS (SELECT 1 FROM municipality m WHERE m.code = s.municipality_code AND m.prefecture = ${filter.prefecture})`,
    );
  }
  if (filter.kind) conditions.push(Prisma.sql`s.kind = ${dbValue(filter.kind)}::space_kind`);
  if (filter.status)
    conditions.push(Prisma.sql`s.status = ${dbValue(filter.status)}::space_status`);
  if (filter.admissionPolicy) {
    conditions.push(
      Prisma.sql`s.admission_policy = ${dbValue(filter.admissionPolicy)}::admission_policy`,
    );
  }
  if (filter.facilities?.length) {
    conditions.push(Prisma.sql`s.facilities @> ${filter.facilities.map(dbValue)}::facility[]`);
  }
  if (filter.maxDropInPriceYen != null) {
    conditions.push(Prisma.sql`s.drop_in_price_yen <= ${filter.maxDropInPriceYen}`);
  }
  if (filter.text) conditions.push(Prisma.sql`s.search_text LIKE ${likePattern(filter.text)}`);
  if (filter.openAt) conditions.push(openAtSql(filter.openAt));
  if (near) conditions.push(near.where);
  const where = conditions.length ? Prisma.join(conditions, ' AND ') : Prisma.sql`TRUE`;
  const key = near ? near.distance : Prisma.sql`s.name`;
  const matching = Prisma.sql`SELECT s.id, ${key} AS k FROM space s WHERE ${where}`;

  return {
    count: async (prisma) => {
      const [row] = await prisma.$queryRaw<{ n: bigint }[]>`
        SELECT count(*) AS n FROM space s WHERE ${where}`;
      return Number(row!.n);
    },
    page: async (prisma, query) => {
      const {
        take,
        skip = 0,
        cursor,
        where: _where,
        ...shape
      } = query as {
        take?: number;
        skip?: number;
        cursor?: { id: string };
      } & Record<string, unknown>;
      const isBackwards = take !== undefined && take < 0;
      const limit = take === undefined ? Prisma.empty : Prisma.sql`LIMIT ${Math.abs(take)}`;
      const from = cursor
        ? isBackwards
          ? Prisma.sql`WHERE (m.k, m.id) <= (SELECT k, id FROM m WHERE id = ${cursor.id}::uuid)`
          : Prisma.sql`WHERE (m.k, m.id) >= (SELECT k, id FROM m WHERE id = ${cursor.id}::uuid)`
        : Prisma.empty;
      const order = isBackwards ? Prisma.sql`m.k DESC, m.id DESC` : Prisma.sql`m.k, m.id`;
      const rows = await prisma.$queryRaw<{ id: string; k: number | string }[]>`
        WITH m AS (${matching})
        SELECT m.id::text AS id, m.k FROM m ${from} ORDER BY ${order} OFFSET ${skip} ${limit}`;
      if (isBackwards) rows.reverse();
      if (rows.length === 0) return [];
      const spaces = await prisma.space.findMany({
        ...(shape as object),
        where: { id: { in: rows.map((row) => row.id) } },
      });
      const byId = new Map(spaces.map((space) => [space.id, space]));
      return rows.flatMap(({ id, k }) => {
        const space = byId.get(id);
        if (!space) return [];
        return near
          ? [Object.assign(space, { distanceKm: Math.round(Number(k) * 1000) / 1000 })]
          : [space];
      });
    },
  };
}
