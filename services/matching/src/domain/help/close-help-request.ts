import { AppError } from '@hub/service-kit';
import type { HelpRequest, PrismaClient } from '../../generated/prisma/client.js';

/**
 * The asker closes their request. Someone else's request is NOT_FOUND, as if it did not exist
 * (a closed or private request cannot be probed); closing twice is a CONFLICT.
 */
export async function closeHelpRequest(
  prisma: PrismaClient,
  askerId: string,
  helpRequestId: string,
): Promise<HelpRequest> {
  return prisma.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ asker_id: string; status: string }[]>`
      SELECT asker_id, status::text FROM help_request WHERE id = ${helpRequestId}::uuid FOR UPDATE`;
    if (!row || row.asker_id !== askerId) {
      throw new AppError('NOT_FOUND', '相談が見つかりません (help request not found)', {
        field: 'helpRequestId',
      });
    }
    if (row.status !== 'open') {
      throw new AppError('CONFLICT', 'この相談はすでに締め切られています (already closed)', {
        field: 'helpRequestId',
      });
    }
    return tx.helpRequest.update({
      where: { id: helpRequestId },
      data: { status: 'CLOSED', closedAt: new Date() },
    });
  });
}
