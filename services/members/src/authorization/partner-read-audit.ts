import { partnerReadAudit } from '@hub/service-kit';
import type { MembersContext } from '../builder.js';

/**
 * Partner reads of Member fields, written straight into the audit log: one PARTNER_READ entry
 * per member per request (the kit collects a request's reads and extends an entry when a
 * nested selection reads more of the member).
 */
export const memberPartnerReads = partnerReadAudit<MembersContext>(
  async (context, partner, reads) => {
    const created = reads.filter((read) => read.isNew);
    if (created.length > 0) {
      await context.prisma.auditLogEntry.createMany({
        data: created.map((read) => ({
          id: read.entryId,
          action: 'PARTNER_READ' as const,
          memberId: read.memberId,
          apiKeyId: partner.keyId,
          organizationId: partner.organizationId,
          fields: read.fields,
          requestId: context.requestId,
        })),
      });
    }
    await Promise.all(
      reads
        .filter((read) => !read.isNew)
        .map((read) =>
          context.prisma.auditLogEntry.update({
            where: { id: read.entryId },
            data: { fields: read.fields },
          }),
        ),
    );
  },
);
