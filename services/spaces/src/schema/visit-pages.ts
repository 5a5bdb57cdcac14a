import { startOfTokyoDay } from '@hub/contracts';
import {
  assertPeriodDates,
  type ConnectionArgs,
  type ConnectionPage,
  requestGroupLoader,
  requestLoader,
  sqlPageCut,
  sqlPageOf,
} from '@hub/service-kit';
import type { ReadableVisits } from '../authorization/visit-access.js';
import type { SpacesContext } from '../builder.js';
import { Prisma, type Visit } from '../generated/prisma/client.js';

// A space's visits grow with every check-in and are never loaded whole: each page is cut in
// SQL, one statement for every parent of the request (a window per parent, as members' audit
// log), and counted with one GROUP BY only when totalCount is asked. What the caller may read
// is part of the same WHERE, so a page and its count never hold a row a read would refuse.

/** Whose visits a list holds: a member's (their stays) or a space's (its register). */
export type VisitListKind = 'member' | 'space';

/** Days in Japan, both inclusive; either end may be open. */
export type VisitPeriod = { from?: string | null; to?: string | null };

const DAY_MS = 24 * 60 * 60 * 1000;

/** The period checked: INVALID_PERIOD for an end outside the years covered or to before from. */
export function visitPeriod(period: VisitPeriod): VisitPeriod {
  assertPeriodDates(period);
  return period;
}

/** The rows of each kind, readable by the caller, checked in within the period. */
function rowsOf(
  kind: VisitListKind,
  keys: readonly string[],
  period: VisitPeriod,
  readable: ReadableVisits,
): Prisma.Sql {
  const parent =
    kind === 'member'
      ? Prisma.sql`v.member_id AS parent FROM visit v WHERE v.member_id = ANY(${[...keys]}::uuid[])`
      : Prisma.sql`v.space_id AS parent FROM visit v WHERE v.space_id = ANY(${[...keys]}::uuid[])`;
  const from = period.from
    ? Prisma.sql`AND v.checked_in_at >= ${startOfTokyoDay(period.from)}`
    : Prisma.empty;
  const to = period.to
    ? Prisma.sql`AND v.checked_in_at < ${new Date(startOfTokyoDay(period.to).getTime() + DAY_MS)}`
    : Prisma.empty;
  const visible =
    'all' in readable
      ? Prisma.empty
      : Prisma.sql`AND (v.member_id = ${readable.memberId}::uuid OR v.space_id IN (
          SELECT id FROM space WHERE operator_id = ANY(${[...readable.operatorIds]}::uuid[])))`;
  return Prisma.sql`${parent} ${from} ${to} ${visible}`;
}

type VisitRow = {
  parent: string;
  id: string;
  member_id: string | null;
  space_id: string;
  room_id: string | null;
  checked_in_at: Date;
  checked_out_at: Date | null;
  override_by: string | null;
  override_reason: string | null;
  auto_checked_out: boolean;
};

function visitOf(row: VisitRow): Visit {
  return {
    id: row.id,
    memberId: row.member_id,
    spaceId: row.space_id,
    roomId: row.room_id,
    checkedInAt: row.checked_in_at,
    checkedOutAt: row.checked_out_at,
    overrideBy: row.override_by,
    overrideReason: row.override_reason,
    autoCheckedOut: row.auto_checked_out,
  };
}

export type VisitPageOptions = {
  kind: VisitListKind;
  parent: string;
  args: ConnectionArgs;
  period: VisitPeriod;
  readable: ReadableVisits;
};

/** One page of visits, newest check-in first; cursors are visit ids. */
export function visitPage(
  context: SpacesContext,
  options: VisitPageOptions,
): Promise<ConnectionPage<Visit>> {
  const { kind, parent, args, period, readable } = options;
  const cut = sqlPageCut(args);
  const { isBackward, size, cursorId } = cut;
  const listKey = `${kind}:${period.from ?? ''}:${period.to ?? ''}`;
  const loader = requestGroupLoader(
    context,
    `visitPage:${listKey}:${isBackward}:${size}:${cursorId}`,
    {
      // One row past the page tells whether there is another.
      fetch: (keys: readonly string[]) => {
        const order = isBackward
          ? Prisma.sql`checked_in_at ASC, id ASC`
          : Prisma.sql`checked_in_at DESC, id DESC`;
        const beyondCursor =
          cursorId === null
            ? Prisma.empty
            : isBackward
              ? Prisma.sql`AND (v.checked_in_at, v.id) > (SELECT checked_in_at, id FROM visit WHERE id = ${cursorId}::uuid)`
              : Prisma.sql`AND (v.checked_in_at, v.id) < (SELECT checked_in_at, id FROM visit WHERE id = ${cursorId}::uuid)`;
        return context.prisma.$queryRaw<VisitRow[]>`
          SELECT parent, id, member_id, space_id, room_id, checked_in_at, checked_out_at,
                 override_by, override_reason, auto_checked_out
          FROM (
            SELECT v.*, row_number() OVER (PARTITION BY parent ORDER BY ${order}) AS n
            FROM (SELECT v.*, ${rowsOf(kind, keys, period, readable)} ${beyondCursor}) v
          ) numbered
          WHERE n <= ${size + 1}
          ORDER BY ${order}`;
      },
      groupOf: (row: VisitRow) => row.parent,
    },
  );
  return loader.load(parent).then((rows) =>
    sqlPageOf(rows, {
      args,
      cut,
      nodeOf: visitOf,
      totalCount: async () =>
        (await visitCount(context, { ...options, listKey }).load(parent))?.count ?? 0,
    }),
  );
}

function visitCount(context: SpacesContext, options: VisitPageOptions & { listKey: string }) {
  const { kind, period, readable } = options;
  return requestLoader(context, `visitCount:${options.listKey}`, {
    fetch: (keys: readonly string[]) =>
      context.prisma.$queryRaw<{ parent: string; count: number }[]>`
        SELECT parent, count(*)::int AS count FROM (SELECT ${rowsOf(kind, keys, period, readable)}) v
        GROUP BY parent`,
    keyOf: (row) => row.parent,
  });
}
