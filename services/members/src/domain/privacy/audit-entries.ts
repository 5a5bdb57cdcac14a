import type { AuditAction, Prisma } from '../../generated/prisma/client.js';

/**
 * One audit entry written inside the transaction of the change it records, so the log never
 * misses a change and never records one that rolled back. Entries hold ids and field names,
 * never the personal data itself.
 */
export function writeAuditEntry(
  tx: Prisma.TransactionClient,
  entry: {
    action: AuditAction;
    memberId: string;
    actorMemberId?: string | null;
    fields?: string[];
    requestId?: string | null;
  },
) {
  return tx.auditLogEntry.create({
    data: {
      action: entry.action,
      memberId: entry.memberId,
      actorMemberId: entry.actorMemberId ?? null,
      fields: entry.fields ?? [],
      requestId: entry.requestId ?? null,
    },
  });
}
