import { AppError } from '@hub/service-kit';
import { Prisma, type WorkOrder } from '../../generated/prisma/client.js';

const WEEK_MS = 7 * 24 * 3_600_000;
/** The period of an order without a deadline. */
export const DEFAULT_PERIOD_WEEKS = 4;

/**
 * The capacity period an offer on this order covers: until its deadline (at least one week),
 * or four weeks when it has none.
 */
export function offerPeriod(
  order: Pick<WorkOrder, 'deadline'>,
  now: Date,
): { weeks: number; endsAt: Date } {
  if (!order.deadline) {
    return {
      weeks: DEFAULT_PERIOD_WEEKS,
      endsAt: new Date(now.getTime() + DEFAULT_PERIOD_WEEKS * WEEK_MS),
    };
  }
  const weeks = Math.max(1, Math.ceil((order.deadline.getTime() - now.getTime()) / WEEK_MS));
  return { weeks, endsAt: order.deadline };
}

/** Hours an allocation takes: hours as they are, units × hoursPerUnit (default 1). */
export function hoursOf(
  order: Pick<WorkOrder, 'volumeUnit' | 'hoursPerUnit'>,
  volume: number,
): number {
  if (order.volumeUnit === 'HOURS') return volume;
  const perUnit = order.hoursPerUnit ? Number(order.hoursPerUnit) : 1;
  return Math.round(volume * perUnit * 100) / 100;
}

/** Per member: one writer at a time reads and changes their allocation (offers). */
export async function lockMemberCapacity(
  tx: Prisma.TransactionClient,
  memberId: string,
): Promise<void> {
  await tx.$queryRaw`SELECT 1 FROM pg_advisory_xact_lock(hashtext(${`matching:capacity:${memberId}`}))`;
}

export type Capacity = { capacityHours: number; allocatedHours: number; remainingHours: number };

/**
 * Whether an assignment (SQL alias `a`) still holds its member's hours at `now`: open (offered,
 * accepted, in progress) and its period not ended. The one rule for offers (capacityOf) and the
 * ranking's capacity facts (ranking/facts.ts), so both count the same hours.
 */
export function holdsCapacitySql(now: Date): Prisma.Sql {
  return Prisma.sql`(a.status IN ('offered', 'accepted', 'in-progress') AND a.period_ends_at > ${now})`;
}

/**
 * A worker's remaining hours for a period: availableHoursPerWeek × weeks, minus the hours of
 * the assignments that hold their capacity (holdsCapacitySql). A worker who stated no hours has
 * none to offer. Read under lockMemberCapacity.
 */
export async function capacityOf(
  tx: Prisma.TransactionClient,
  memberId: string,
  period: { weeks: number },
  now: Date,
): Promise<Capacity> {
  const worker = await tx.worker.findUnique({
    where: { memberId },
    select: { availableHoursPerWeek: true },
  });
  const capacityHours = (worker?.availableHoursPerWeek ?? 0) * period.weeks;
  const [allocated] = await tx.$queryRaw<{ hours: Prisma.Decimal | null }[]>`
    SELECT sum(a.allocated_hours) AS hours
      FROM assignment a
     WHERE a.member_id = ${memberId}::uuid AND ${holdsCapacitySql(now)}`;
  const allocatedHours = Number(allocated?.hours ?? 0);
  return { capacityHours, allocatedHours, remainingHours: capacityHours - allocatedHours };
}

export function overCapacity(capacity: Capacity, hours: number): AppError {
  return new AppError(
    'OVER_CAPACITY',
    `稼働可能時間を超えます — 期間内の上限${capacity.capacityHours}時間、割り当て済み${capacity.allocatedHours}時間、残り${capacity.remainingHours}時間に対し${hours}時間 (over the worker’s capacity: ${hours} hours asked, ${capacity.remainingHours} of ${capacity.capacityHours} hours left for the period, ${capacity.allocatedHours} allocated)`,
    { field: 'volume' },
  );
}
