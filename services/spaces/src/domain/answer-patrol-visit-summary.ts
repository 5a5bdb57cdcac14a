import { isoDate } from '@hub/contracts';
import { type CommitContext, commit } from '@hub/event-bus';
import { AppError } from '@hub/service-kit';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { RecordedPatrolVisit } from './record-patrol-visit.js';

// A patrol visit's public summary is shown under the space, so it speaks for the space's
// operator: one recorded by a supporter that does not speak for that operator waits for its
// admin (docs/authorization.md, "Links that name another organisation"). Who may answer — the
// admin of the space's operator as stored now, or a hub admin — is the schema's rule.

async function lockedVisit(tx: Prisma.TransactionClient, visitId: string) {
  // Locked, so a confirmation and a decline of the same summary cannot both succeed.
  await tx.$queryRaw`SELECT 1 FROM patrol_visit WHERE id = ${visitId}::uuid FOR UPDATE`;
  const visit = await tx.patrolVisit.findUnique({
    where: { id: visitId },
    include: { requests: { orderBy: { position: 'asc' } } },
  });
  if (!visit || visit.publicSummary === null) {
    throw new AppError(
      'NOT_FOUND',
      `公開要約のある巡回訪問 ${visitId} が見つかりません (no patrol visit with a public summary)`,
      { field: 'visitId' },
    );
  }
  return visit;
}

/**
 * Puts a pending summary in effect and announces it (`spaces.patrol-visit.summary-published`);
 * confirming one already in effect changes nothing.
 */
export async function confirmPatrolVisitSummary(
  db: CommitContext<PrismaClient>,
  visitId: string,
): Promise<RecordedPatrolVisit> {
  return commit(db, async (tx, emit) => {
    const visit = await lockedVisit(tx, visitId);
    if (visit.summaryConfirmedAt !== null) return visit;
    const confirmed = await tx.patrolVisit.update({
      where: { id: visitId },
      data: { summaryConfirmedAt: new Date() },
      include: { requests: { orderBy: { position: 'asc' } } },
    });
    emit('spaces.patrol-visit.summary-published', {
      subject: visitId,
      data: {
        visitId,
        spaceId: confirmed.spaceId,
        supporterId: confirmed.supporterId,
        visitedOn: isoDate(confirmed.visitedOn),
        publicSummary: confirmed.publicSummary!,
      },
    });
    return confirmed;
  });
}

/**
 * Removes a pending summary; the visit stays the two sides' record. A summary in effect is the
 * operator's word already: declining it is a conflict.
 */
export async function declinePatrolVisitSummary(
  db: CommitContext<PrismaClient>,
  visitId: string,
): Promise<RecordedPatrolVisit> {
  return commit(db, async (tx) => {
    const visit = await lockedVisit(tx, visitId);
    if (visit.summaryConfirmedAt !== null) {
      throw new AppError(
        'CONFLICT',
        '公開要約は確認済みのため辞退できません (the summary is already in effect)',
        { field: 'visitId' },
      );
    }
    return tx.patrolVisit.update({
      where: { id: visitId },
      data: { publicSummary: null },
      include: { requests: { orderBy: { position: 'asc' } } },
    });
  });
}
