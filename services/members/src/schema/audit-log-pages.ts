import {
  type ConnectionArgs,
  type ConnectionPage,
  requestGroupLoader,
  requestLoader,
  sqlPageCut,
  sqlPageOf,
} from '@hub/service-kit';
import type { MembersContext } from '../builder.js';
import { type AuditAction, type AuditLogEntry, Prisma } from '../generated/prisma/client.js';

/**
 * Whose entries a list holds: a member's log, or an organisation's partner history (grants,
 * changes, withdrawals, keys). Fixed SQL per kind, so nothing from a request reaches the text.
 */
export type AuditListKind = 'member' | 'partnerHistory';

const PARTNER_HISTORY_ACTIONS: AuditAction[] = [
  'PARTNERSHIP_GRANTED',
  'PARTNERSHIP_UPDATED',
  'PARTNERSHIP_WITHDRAWN',
  'API_KEY_CREATED',
  'API_KEY_REVOKED',
];

/** The rows of each kind, for the parents of one request; `n`-numbered per parent below. */
function rowsOf(kind: AuditListKind, keys: readonly string[]): Prisma.Sql {
  return kind === 'member'
    ? Prisma.sql`member_id AS parent FROM audit_log_entry e WHERE member_id = ANY(${[...keys]}::uuid[])`
    : Prisma.sql`organization_id AS parent FROM audit_log_entry e
        WHERE organization_id = ANY(${[...keys]}::uuid[])
          AND action::text = ANY(${PARTNER_HISTORY_ACTIONS.map(storedAction)}::text[])`;
}

/** Prisma's enum name (PARTNER_READ) as stored (its @map value, partner-read). */
function storedAction(action: AuditAction): string {
  return action.toLowerCase().replaceAll('_', '-');
}

type AuditRow = {
  parent: string;
  id: string;
  at: Date;
  action: string;
  member_id: string | null;
  api_key_id: string | null;
  organization_id: string | null;
  actor_member_id: string | null;
  fields: string[];
  request_id: string | null;
  service: string;
};

function entryOf(row: AuditRow): AuditLogEntry {
  return {
    id: row.id,
    at: row.at,
    action: row.action.toUpperCase().replaceAll('-', '_') as AuditAction,
    memberId: row.member_id,
    apiKeyId: row.api_key_id,
    organizationId: row.organization_id,
    actorMemberId: row.actor_member_id,
    fields: row.fields,
    requestId: row.request_id,
    service: row.service,
  };
}

/**
 * One page of audit entries, newest first, for each parent of the request in one statement (a
 * window per parent, cut in SQL: a log grows with every partner read and is never loaded whole),
 * and `totalCount` in one more, only when asked. Cursors are the entry ids, as in Pothos' Prisma
 * connections; a cursor whose entry is not in the list gives an empty page.
 */
export function auditLogPage(
  context: MembersContext,
  kind: AuditListKind,
  parent: string,
  args: ConnectionArgs,
): Promise<ConnectionPage<AuditLogEntry>> {
  // This reader never checked cursor ids as UUIDs (matching's and spaces' do): kept as it was.
  const cut = sqlPageCut(args, { uuidCursor: false });
  const { isBackward, size, cursorId } = cut;
  const loader = requestGroupLoader(
    context,
    `auditLogPage:${kind}:${isBackward}:${size}:${cursorId}`,
    {
      // One row past the page tells whether there is another.
      fetch: async (keys: readonly string[]) => {
        const order = isBackward ? Prisma.sql`at ASC, id ASC` : Prisma.sql`at DESC, id DESC`;
        const beyondCursor =
          cursorId === null
            ? Prisma.empty
            : isBackward
              ? Prisma.sql`AND (at, id) > (SELECT at, id FROM audit_log_entry WHERE id = ${cursorId}::uuid)`
              : Prisma.sql`AND (at, id) < (SELECT at, id FROM audit_log_entry WHERE id = ${cursorId}::uuid)`;
        return context.prisma.$queryRaw<AuditRow[]>`
          SELECT parent, id, at, action::text AS action, member_id, api_key_id, organization_id,
                 actor_member_id, fields, request_id, service
          FROM (
            SELECT e.*, row_number() OVER (PARTITION BY parent ORDER BY ${order}) AS n
            FROM (SELECT e.*, ${rowsOf(kind, keys)} ${beyondCursor}) e
          ) numbered
          WHERE n <= ${size + 1}
          ORDER BY ${order}`;
      },
      groupOf: (row: AuditRow) => row.parent,
    },
  );
  return loader.load(parent).then((rows) =>
    sqlPageOf(rows, {
      args,
      cut,
      nodeOf: entryOf,
      totalCount: async () => (await auditLogCount(context, kind).load(parent))?.count ?? 0,
    }),
  );
}

function auditLogCount(context: MembersContext, kind: AuditListKind) {
  return requestLoader(context, `auditLogCount:${kind}`, {
    fetch: (keys: readonly string[]) =>
      context.prisma.$queryRaw<{ parent: string; count: number }[]>`
        SELECT parent, count(*)::int AS count FROM (SELECT ${rowsOf(kind, keys)}) e
        GROUP BY parent`,
    keyOf: (row) => row.parent,
  });
}
