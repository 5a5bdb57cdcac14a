import { isPartner, type PartnerIdentity } from '@hub/identity';
import { v7 as uuidv7 } from 'uuid';
import type { HubContext } from '../context.js';

/** One member's audit entry of a request, as the service writes it. */
export type PartnerRead = {
  /** The entry's id (UUID v7): the same for every write about this member in this request. */
  entryId: string;
  memberId: string;
  /** Every field of the member the partner read so far in this request, sorted. */
  fields: string[];
  /** The entry's first write; otherwise it extends the entry written earlier in the request. */
  isNew: boolean;
};

/**
 * Writes a request's partner reads where the member's audit log gets them: members writes its
 * audit table; other services write an audit event to their outbox for members to record. It
 * must resolve only once the reads are durable: the values wait for it.
 */
export type PartnerReadWriter<Context extends HubContext> = (
  context: Context,
  partner: PartnerIdentity,
  reads: PartnerRead[],
) => Promise<void>;

export type PartnerReadAudit<Context extends HubContext> = {
  /**
   * Records that the calling partner key reads these fields of a member, and resolves once the
   * record is written — the caller awaits it before releasing the value, so a read whose record
   * failed is refused (fail closed), never returned unlogged.
   */
  record(context: Context, memberId: string, fields: readonly string[]): Promise<void>;
};

type RequestAudit = {
  /** Reads recorded since the last flush began: member id → field names. */
  pending: Map<string, Set<string>>;
  /** The flush the pending reads will go out with. */
  next: Promise<void> | null;
  /** The flush before it: flushes run one after the other, so an entry is created once. */
  previous: Promise<void>;
  /** Entries already written in this request, to extend instead of duplicating. */
  written: Map<string, { entryId: string; fields: Set<string> }>;
};

/**
 * The partner-read audit of one service: one entry per member per request. Reads are
 * collected for one turn of the event loop (every field of every member of a list is
 * authorised in the same turn, after the one consent query) and handed to `write` together;
 * fields reached later in the same request (a nested selection) extend that member's entry
 * rather than adding a second one.
 */
export function partnerReadAudit<Context extends HubContext>(
  write: PartnerReadWriter<Context>,
): PartnerReadAudit<Context> {
  const audits = new WeakMap<Context, RequestAudit>();

  function auditOf(context: Context): RequestAudit {
    let audit = audits.get(context);
    if (!audit) {
      audit = { pending: new Map(), next: null, previous: Promise.resolve(), written: new Map() };
      audits.set(context, audit);
    }
    return audit;
  }

  async function flush(context: Context, audit: RequestAudit): Promise<void> {
    const reads = audit.pending;
    audit.pending = new Map();
    audit.next = null;
    const { identity } = context;
    if (!isPartner(identity)) return;
    const changes: PartnerRead[] = [];
    for (const [memberId, fields] of reads) {
      const entry = audit.written.get(memberId);
      if (!entry) {
        changes.push({ entryId: uuidv7(), memberId, fields: [...fields].sort(), isNew: true });
      } else if (![...fields].every((field) => entry.fields.has(field))) {
        const all = [...new Set([...entry.fields, ...fields])].sort();
        changes.push({ entryId: entry.entryId, memberId, fields: all, isNew: false });
      }
    }
    if (changes.length === 0) return;
    await write(context, identity, changes);
    for (const change of changes) {
      audit.written.set(change.memberId, {
        entryId: change.entryId,
        fields: new Set(change.fields),
      });
    }
  }

  return {
    record(context, memberId, fields) {
      const audit = auditOf(context);
      let pending = audit.pending.get(memberId);
      if (!pending) {
        pending = new Set();
        audit.pending.set(memberId, pending);
      }
      for (const field of fields) pending.add(field);
      if (!audit.next) {
        // A failed earlier flush already failed its own reads; this one still runs.
        const after = audit.previous.catch(() => undefined);
        audit.next = after
          .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
          .then(() => flush(context, audit));
        audit.previous = audit.next;
      }
      return audit.next;
    },
  };
}
