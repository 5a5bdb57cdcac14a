import { activeOn, todayInJapan } from '@hub/contracts';
import { AppError } from '@hub/service-kit';
import type { Prisma, WorkOrder } from '../../generated/prisma/client.js';
import { allowedInSatelliteOfficeOf } from '../../read-models/satellite-access.js';

/** Whether a member is registered with an organisation today (members' confirmed affiliations). */
export async function isRegisteredWith(
  tx: Prisma.TransactionClient,
  memberId: string,
  organizationId: string,
): Promise<boolean> {
  const row = await tx.workerAffiliation.findFirst({
    where: { memberId, organizationId, ...activeOn(todayInJapan()) },
    select: { memberId: true },
  });
  return row !== null;
}

/**
 * Refuses a member who may not take work of this order: not a worker matching knows (or
 * erased), not registered with the organisation that receives the order (the centre, or the
 * partner of a delegated part), or — for a confidential order — not allowed into the client's
 * satellite office today (the satellite-access read model: affiliated with the client while it
 * holds a lease on an open space; the same rule ranking applies).
 */
export async function requireEligible(
  tx: Prisma.TransactionClient,
  order: Pick<WorkOrder, 'receivingCentreId' | 'clientId' | 'requiresOnSite'>,
  memberId: string,
): Promise<void> {
  const worker = await tx.worker.findUnique({ where: { memberId }, select: { memberId: true } });
  if (!worker) {
    throw new AppError(
      'NOT_ELIGIBLE',
      'このワーカーは登録されていません (no such worker: not registered, or erased)',
      { field: 'memberId' },
    );
  }
  const receiver = order.receivingCentreId ?? order.clientId;
  if (!(await isRegisteredWith(tx, memberId, receiver))) {
    throw new AppError(
      'NOT_ELIGIBLE',
      'このワーカーは受託組織に登録されていません (the worker is not registered with the receiving organisation)',
      { field: 'memberId' },
    );
  }
  if (
    order.requiresOnSite &&
    !(await allowedInSatelliteOfficeOf(tx, order.clientId)).has(memberId)
  ) {
    throw new AppError(
      'NOT_ELIGIBLE',
      '機密案件のため発注元の拠点で作業できるワーカーに限られます (confidential order: only workers allowed into the client’s office)',
      { field: 'memberId' },
    );
  }
}
