import { isPartner } from '@hub/identity';
import type { MembersContext } from '../builder.js';

type MemberEntry = { id: string; fields: Set<string> };
type RequestAudit = {
  /** Reads recorded since the last flush: member id → field names. */
  pending: Map<string, Set<string>>;
  /** The flush the pending reads will go out with. */
  flush: Promise<void> | null;
  /** Entries already written in this request, to extend instead of duplicating. */
  written: Map<string, MemberEntry>;
};

const audits = new WeakMap<MembersContext, RequestAudit>();

function auditOf(context: MembersContext): RequestAudit {
  let audit = audits.get(context);
  if (!audit) {
    audit = { pending: new Map(), flush: null, written: new Map() };
    audits.set(context, audit);
  }
  return audit;
}

/**
 * Records that the calling partner key reads these fields of a member, and resolves once the
 * audit entry is written — the caller awaits it before releasing the value, so a read whose
 * record failed is refused (fail closed), never returned unlogged.
 *
 * Reads are collected for one turn of the event loop (every field of every member in a list is
 * authorised in the same turn, after the one consent query) and written with one createMany:
 * one PARTNER_READ entry per member per request. Fields reached later in the same request
 * (a nested selection) extend that member's entry rather than adding a second one.
 */
export function recordPartnerRead(
  context: MembersContext,
  memberId: string,
  fields: readonly string[],
): Promise<void> {
  const audit = auditOf(context);
  let pending = audit.pending.get(memberId);
  if (!pending) {
    pending = new Set();
    audit.pending.set(memberId, pending);
  }
  for (const field of fields) pending.add(field);
  audit.flush ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
    flush(context, audit),
  );
  return audit.flush;
}

async function flush(context: MembersContext, audit: RequestAudit): Promise<void> {
  const reads = audit.pending;
  audit.pending = new Map();
  audit.flush = null;
  const { identity } = context;
  if (!isPartner(identity)) return;
  const fresh = [...reads].filter(([memberId]) => !audit.written.has(memberId));
  if (fresh.length > 0) {
    const created = await context.prisma.auditLogEntry.createManyAndReturn({
      data: fresh.map(([memberId, fields]) => ({
        action: 'PARTNER_READ' as const,
        memberId,
        apiKeyId: identity.keyId,
        organizationId: identity.organizationId,
        fields: [...fields].sort(),
        requestId: context.requestId,
      })),
      select: { id: true, memberId: true, fields: true },
    });
    for (const entry of created) {
      audit.written.set(entry.memberId!, { id: entry.id, fields: new Set(entry.fields) });
    }
  }
  const extended = [...reads].flatMap(([memberId, fields]) => {
    const entry = audit.written.get(memberId);
    if (!entry || [...fields].every((field) => entry.fields.has(field))) return [];
    for (const field of fields) entry.fields.add(field);
    return [entry];
  });
  await Promise.all(
    extended.map((entry) =>
      context.prisma.auditLogEntry.update({
        where: { id: entry.id },
        data: { fields: [...entry.fields].sort() },
      }),
    ),
  );
}
