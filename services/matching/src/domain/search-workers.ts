import { MEMBER_KINDS } from '@hub/contracts';
import {
  AppError,
  assertMunicipalityCode,
  type ConnectionArgs,
  type ConnectionPage,
  consentingNoticeVersions,
  PAGE_SIZE_DEFAULT,
  type ReadableMembers,
} from '@hub/service-kit';
import { PothosValidationError } from '@pothos/core';
import { formatPrismaCursor, parsePrismaCursor } from '@pothos/plugin-prisma';
import {
  type MemberKind,
  Prisma,
  type PrismaClient,
  type Worker,
} from '../generated/prisma/client.js';

export type WorkerFilter = { skill?: string | null; municipalityCode?: string | null };

export type WorkerSearch = {
  filter: WorkerFilter | null | undefined;
  /**
   * Only workers the caller may read, each condition one the kit's rule gave (the list, and
   * each filter's field): every one must hold.
   */
  readable: readonly ReadableMembers[];
  /** Today in Japan, for "registered with an organisation today". */
  today: string;
};

type WorkerRow = Omit<Worker, 'kind'> & { kind: string };

/**
 * One page of workers by name (member id breaks ties), and how many there are, under one
 * condition: the filter AND what the caller may read — so `totalCount` counts only readable
 * workers. Raw SQL because the caller's conditions are subqueries on worker_affiliation and
 * member_consent, which have no Prisma relation to worker (an affiliation or a consent may
 * arrive before the worker, so there is no foreign key): one statement for the page however
 * many organisations or workers, paged in the database by `(display_name, member_id)` after the
 * cursor's row (the cursor holds the member id, in Pothos' format). A skill code matches
 * through the GIN index on worker.skills (jsonb @>). A column added to worker must be added to
 * the select list too: the row is the Worker the schema resolves fields from.
 */
export async function pageWorkers(
  prisma: PrismaClient,
  search: WorkerSearch,
  args: ConnectionArgs,
): Promise<ConnectionPage<Worker>> {
  const where = workerCondition(search);
  const totalCount = async () => {
    if (where === null) return 0;
    const [row] = await prisma.$queryRaw<{ count: number }[]>`
      SELECT count(*)::int AS count FROM worker w WHERE ${where}`;
    return row?.count ?? 0;
  };
  const isBackward = args.last != null || (args.before != null && args.first == null);
  const size = (isBackward ? args.last : args.first) ?? PAGE_SIZE_DEFAULT;
  if (where === null) return emptyPage(totalCount);
  const bounds = [where];
  if (args.after != null) bounds.push(Prisma.sql`${KEY} > ${cursorRow(args.after)}`);
  if (args.before != null) bounds.push(Prisma.sql`${KEY} < ${cursorRow(args.before)}`);
  const direction = isBackward ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  // One more than the page tells whether there is another page in that direction.
  const rows = await prisma.$queryRaw<WorkerRow[]>`
    SELECT w.member_id AS "memberId", w.display_name AS "displayName", w.kind::text AS kind,
           w.municipality_code AS "municipalityCode",
           w.available_hours_per_week AS "availableHoursPerWeek", w.skills,
           w.profile_visibility AS "profileVisibility",
           w.registered_at AS "registeredAt", w.source_event_at AS "sourceEventAt",
           w.updated_at AS "updatedAt"
      FROM worker w
     WHERE ${Prisma.join(bounds, ' AND ')}
     ORDER BY w.display_name ${direction}, w.member_id ${direction}
     LIMIT ${size + 1}`;
  const page = rows
    .slice(0, size)
    .map(({ kind, ...row }) => ({ ...row, kind: memberKindOf(kind) }));
  if (isBackward) page.reverse();
  const hasMore = rows.length > size;
  const edges = page.map((node) => ({ cursor: formatPrismaCursor(node, 'memberId'), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: isBackward ? args.before != null : hasMore,
      hasPreviousPage: isBackward ? hasMore : args.after != null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}

/** The order workers page in; a cursor's row is compared with it. */
const KEY = Prisma.sql`(w.display_name, w.member_id)`;

/**
 * The order key of the worker a cursor names. A worker that is gone compares as NULL, so
 * nothing comes after (or before) it — as with a Prisma cursor on a deleted row.
 */
function cursorRow(cursor: string): Prisma.Sql {
  const memberId = parsePrismaCursor(cursor);
  // The kit's input plugin has checked the cursor is Pothos' and its part a UUID.
  if (typeof memberId !== 'string') throw new PothosValidationError('Invalid cursor');
  return Prisma.sql`(SELECT c.display_name, c.member_id FROM worker c WHERE c.member_id = ${memberId}::uuid)`;
}

function emptyPage(totalCount: () => Promise<number>): ConnectionPage<Worker> {
  return {
    edges: [],
    pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    totalCount,
  };
}

/** The filter AND every readable condition; null when the caller may read no worker. */
function workerCondition(search: WorkerSearch): Prisma.Sql | null {
  const conditions = filterConditions(search.filter);
  for (const readable of search.readable) {
    const condition = readableCondition(readable, search.today);
    if (condition === null) return null;
    if (condition !== true) conditions.push(condition);
  }
  return conditions.length > 0 ? Prisma.join(conditions, ' AND ') : Prisma.sql`true`;
}

/**
 * The kit's readable members as a condition on `worker w`: true for every worker, null for
 * none. A worker whose profile visibility matching has not learnt yet (null) opens to no
 * visibility: the strictest, STAFF.
 */
export function readableCondition(
  readable: ReadableMembers,
  today: string,
): Prisma.Sql | true | null {
  if (readable.all) return true;
  const any: Prisma.Sql[] = [];
  if (readable.memberId) any.push(Prisma.sql`w.member_id = ${readable.memberId}::uuid`);
  if (readable.visibilities.length > 0) {
    any.push(Prisma.sql`w.profile_visibility = ANY(${[...readable.visibilities]}::text[])`);
  }
  if (readable.registeredWith.length > 0) {
    any.push(Prisma.sql`EXISTS (
      SELECT 1 FROM worker_affiliation a
       WHERE a.member_id = w.member_id
         AND a.organization_id = ANY(${[...readable.registeredWith]}::uuid[])
         AND a.starts_on <= ${today}::date
         AND (a.ends_on IS NULL OR a.ends_on >= ${today}::date))`);
  }
  const consent = readable.consentingTo;
  if (consent) {
    any.push(Prisma.sql`EXISTS (
      SELECT 1 FROM member_consent c
       WHERE c.member_id = w.member_id
         AND c.recipient_organization_id = ${consent.organizationId}::uuid
         AND c.purpose = ${consent.purpose}
         AND c.withdrawn_at IS NULL
         AND c.notice_version = ANY(${consentingNoticeVersions(consent.purpose)}::text[]))`);
  }
  return any.length === 0 ? null : Prisma.sql`(${Prisma.join(any, ' OR ')})`;
}

function filterConditions(filter: WorkerFilter | null | undefined): Prisma.Sql[] {
  if (!filter) return [];
  const conditions: Prisma.Sql[] = [];
  const skill = filter.skill?.trim();
  if (filter.skill != null && !skill) {
    throw new AppError(
      'BAD_USER_INPUT',
      'スキルコードを入力してください (skill must not be empty)',
      {
        field: 'filter.skill',
      },
    );
  }
  if (skill) {
    conditions.push(Prisma.sql`w.skills @> ${JSON.stringify([{ code: skill }])}::jsonb`);
  }
  if (filter.municipalityCode != null) {
    assertMunicipalityCode(filter.municipalityCode, 'filter.municipalityCode');
    conditions.push(Prisma.sql`w.municipality_code = ${filter.municipalityCode}`);
  }
  return conditions;
}

// member_kind's database values are the vocabulary's (@map in worker.prisma); the typecheck
// fails here if Prisma's enum and @hub/contracts' MEMBER_KINDS ever differ.
function memberKindOf(value: string): MemberKind {
  const kind = MEMBER_KINDS.schema.safeParse(value);
  if (!kind.success) throw new Error(`Unknown member_kind '${value}' in worker`);
  return MEMBER_KINDS.keyOf(kind.data);
}
