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
    /** The member concerned; null for changes about an organisation (partner status). */
    memberId: string | null;
    /** The organisation concerned: a consent's recipient, a partner, a key's owner. */
    organizationId?: string | null;
    apiKeyId?: string | null;
    actorMemberId?: string | null;
    fields?: string[];
    requestId?: string | null;
    at?: Date;
  },
) {
  return tx.auditLogEntry.create({
    data: {
      action: entry.action,
      memberId: entry.memberId,
      organizationId: entry.organizationId ?? null,
      apiKeyId: entry.apiKeyId ?? null,
      actorMemberId: entry.actorMemberId ?? null,
      fields: entry.fields ?? [],
      requestId: entry.requestId ?? null,
      ...(entry.at ? { at: entry.at } : {}),
    },
  });
}
