import type { PrismaClient } from '../generated/prisma/client.js';

// The figures of work in a municipality over a period of Tokyo days (Municipality.workFigures).
// Each group is one statement for every municipality of a request.

/** A closed period of Tokyo days, both ends inclusive (YYYY-MM-DD). */
export type TPeriod = { from: string; to: string };

/** Tells periods apart in a loader's name: two periods in one request are two batches. */
export const periodKey = (period: TPeriod) => `${period.from}..${period.to}`;

// The period's instants: from the first day's Tokyo midnight to the midnight after the last day
// (exclusive). $2 and $3 are its first and last day.
const BOUNDS = `
  bounds AS (
    SELECT ($2::date::timestamp AT TIME ZONE 'Asia/Tokyo') AS starts,
           (($3::date + 1)::timestamp AT TIME ZONE 'Asia/Tokyo') AS ends
  )`;

/** Counts and volumes of orders: about organisations, no personal data. */
export type TOrderFigures = {
  municipalityCode: string;
  ordersPosted: number;
  ordersReceived: number;
  volumeHours: number;
  delegatedVolumeHours: number;
};

/**
 * Orders placed in the period (created in it, confirmed by every organisation they name, not a
 * draft — the public ones; cancelled ones were placed all the same):
 * - posted: orders a client placed (roots of trees) whose client is located in the municipality,
 *   and their volume in hours (units × hoursPerUnit, 1 when not stated);
 * - received: orders whose receiving organisation is located there — from a client or delegated;
 *   the delegated ones' volume in hours apart.
 */
export async function orderFigures(
  prisma: PrismaClient,
  codes: readonly string[],
  period: TPeriod,
): Promise<TOrderFigures[]> {
  const rows = await prisma.$queryRawUnsafe<
    {
      code: string;
      posted: number;
      received: number;
      volume_hours: string;
      delegated_volume_hours: string;
    }[]
  >(
    `WITH ${BOUNDS},
     placed AS (
       SELECT o.parent_id, o.client_id, o.receiving_centre_id,
              o.volume * CASE WHEN o.volume_unit = 'units' THEN coalesce(o.hours_per_unit, 1)
                              ELSE 1 END AS hours
         FROM work_order o, bounds b
        WHERE o.created_at >= b.starts AND o.created_at < b.ends
          AND o.status <> 'draft'
          AND o.client_confirmed_at IS NOT NULL
          AND (o.receiving_centre_id IS NULL OR o.receiving_centre_confirmed_at IS NOT NULL)
     ),
     posted AS (
       SELECT p.municipality_code AS code, count(*)::int AS posted, sum(o.hours) AS hours
         FROM placed o JOIN organization_place p ON p.organization_id = o.client_id
        WHERE o.parent_id IS NULL AND p.municipality_code = ANY($1::text[])
        GROUP BY p.municipality_code
     ),
     received AS (
       SELECT p.municipality_code AS code, count(*)::int AS received,
              sum(o.hours) FILTER (WHERE o.parent_id IS NOT NULL) AS delegated_hours
         FROM placed o JOIN organization_place p ON p.organization_id = o.receiving_centre_id
        WHERE p.municipality_code = ANY($1::text[])
        GROUP BY p.municipality_code
     )
     SELECT c.code,
            coalesce(posted.posted, 0) AS posted,
            coalesce(received.received, 0) AS received,
            coalesce(posted.hours, 0)::text AS volume_hours,
            coalesce(received.delegated_hours, 0)::text AS delegated_volume_hours
       FROM unnest($1::text[]) AS c(code)
       LEFT JOIN posted ON posted.code = c.code
       LEFT JOIN received ON received.code = c.code`,
    [...codes],
    period.from,
    period.to,
  );
  return rows.map((row) => ({
    municipalityCode: row.code,
    ordersPosted: row.posted,
    ordersReceived: row.received,
    volumeHours: Number(row.volume_hours),
    delegatedVolumeHours: Number(row.delegated_volume_hours),
  }));
}

/** Figures derived from assignments — personal data of the workers, read as counts only. */
export type TWorkerFigures = {
  municipalityCode: string;
  activeWorkers: number;
  payDeliveredYen: number;
  /**
   * The receiving organisations of the orders behind these figures (null: an order without
   * one): whose staff read every assignment counted, for the access rule.
   */
  centreIds: (string | null)[];
};

/**
 * Work of the municipality's workers (their municipality now; an erased member's as it was at
 * the erasure):
 * - active: members with an assignment accepted, in progress or done that was taken up before
 *   the period ended and not completed before it began; erased members are nobody to count;
 * - pay: for assignments completed in the period, the delivered volume × the rate (HOURLY,
 *   PER_UNIT), or the fixed fee × delivered / the order's volume, rounded down to the yen, for
 *   FIXED — erased members' work included (the pay was delivered all the same).
 */
export async function workerFigures(
  prisma: PrismaClient,
  codes: readonly string[],
  period: TPeriod,
): Promise<TWorkerFigures[]> {
  const rows = await prisma.$queryRawUnsafe<
    { code: string; active_workers: number; pay: string; centre_ids: (string | null)[] }[]
  >(
    `WITH ${BOUNDS},
     work AS (
       SELECT coalesce(w.municipality_code, a.erased_member_municipality_code) AS code,
              a.member_id, o.receiving_centre_id,
              coalesce(a.answered_at, a.created_at) < b.ends
                AND (a.completed_at IS NULL OR a.completed_at >= b.starts) AS is_active,
              CASE WHEN a.status = 'done' AND a.completed_at >= b.starts AND a.completed_at < b.ends
                   THEN CASE WHEN o.pay_model = 'fixed'
                             THEN (o.rate::bigint * coalesce(a.delivered_volume, 0)) / o.volume
                             ELSE o.rate::bigint * coalesce(a.delivered_volume, 0) END
                   ELSE 0 END AS pay
         FROM assignment a
         JOIN work_order o ON o.id = a.work_order_id
         LEFT JOIN worker w ON w.member_id = a.member_id
         CROSS JOIN bounds b
        WHERE a.status IN ('accepted', 'in-progress', 'done')
          AND coalesce(w.municipality_code, a.erased_member_municipality_code) = ANY($1::text[])
     ),
     counted AS (SELECT * FROM work WHERE is_active OR pay > 0)
     SELECT c.code,
            (count(DISTINCT counted.member_id) FILTER (WHERE counted.is_active))::int
              AS active_workers,
            coalesce(sum(counted.pay), 0)::text AS pay,
            coalesce(array_agg(DISTINCT counted.receiving_centre_id::text)
                       FILTER (WHERE counted.code IS NOT NULL), '{}') AS centre_ids
       FROM unnest($1::text[]) AS c(code)
       LEFT JOIN counted ON counted.code = c.code
      GROUP BY c.code`,
    [...codes],
    period.from,
    period.to,
  );
  return rows.map((row) => ({
    municipalityCode: row.code,
    activeWorkers: row.active_workers,
    payDeliveredYen: Number(row.pay),
    centreIds: row.centre_ids,
  }));
}
