import type { Prisma } from '../../generated/prisma/client.js';

/**
 * An order's volume not yet handed on: its volume minus the volume of its children (not
 * cancelled) and of its own assignments (not declined or withdrawn). Read under the order's row lock by the
 * writers (delegation, offers), so two of them never both count the same remainder.
 */
export async function remainingVolumeOf(
  tx: Prisma.TransactionClient,
  workOrderId: string,
): Promise<number> {
  const [row] = await remainingVolumes(tx, [workOrderId]);
  return row?.remaining ?? 0;
}

/** The same for many orders at once (the GraphQL field, per request). */
export async function remainingVolumes(
  db: Pick<Prisma.TransactionClient, '$queryRaw'>,
  workOrderIds: readonly string[],
): Promise<{ id: string; remaining: number }[]> {
  return db.$queryRaw<{ id: string; remaining: number }[]>`
    SELECT o.id::text AS id, (o.volume
      - COALESCE((SELECT sum(c.volume) FROM work_order c
                  WHERE c.parent_id = o.id AND c.status <> 'cancelled'), 0)
      - COALESCE((SELECT sum(a.allocated_volume) FROM assignment a
                  WHERE a.work_order_id = o.id AND a.status NOT IN ('declined', 'withdrawn')), 0))::int AS remaining
    FROM work_order o WHERE o.id = ANY(${[...workOrderIds]}::uuid[])`;
}

/** "残り 120 時間 (120 hours remaining)" */
export function describeVolume(
  volume: number,
  unit: 'HOURS' | 'UNITS',
): { ja: string; en: string } {
  return unit === 'HOURS'
    ? { ja: `${volume}時間`, en: `${volume} hours` }
    : { ja: `${volume}件`, en: `${volume} units` };
}
