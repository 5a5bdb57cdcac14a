import {
  dateColumn,
  SPACE_KINDS,
  SPACE_STATUSES,
  startOfTokyoDay,
  type TSpaceKind,
  type TSpaceStatus,
} from '@hub/contracts';
import type { PrismaClient } from '../generated/prisma/client.js';

// A municipality's figures of its spaces, each group one statement for every municipality of a
// request (the schema batches them through request loaders). Directory figures come from the
// spaces themselves; activity figures count stays and pass redemptions — personal data — and
// only ever leave here as counts.

const DAY_MS = 24 * 60 * 60 * 1000;

/** A period of Tokyo days, both ends inclusive (YYYY-MM-DD). */
export type TPeriod = { from: string; to: string };

/** The instants a period of Tokyo days covers: [from 00:00 JST, the day after `to` 00:00 JST). */
export function periodInstants(period: TPeriod): { start: Date; end: Date } {
  return {
    start: startOfTokyoDay(period.from),
    end: new Date(startOfTokyoDay(period.to).getTime() + DAY_MS),
  };
}

/** A key for loaders of one period: requests may ask for several periods (aliases). */
export const periodKey = (period: TPeriod) => `${period.from}/${period.to}`;

export type TDirectoryFigures = {
  municipalityCode: string;
  /** Every kind, zero included, in the vocabulary's order. */
  spacesByKind: { kind: TSpaceKind; count: number }[];
  /** Every status, zero included, in the vocabulary's order. */
  spacesByStatus: { status: TSpaceStatus; count: number }[];
  /** Summed capacity of open spaces (a space without a capacity adds nothing). */
  totalCapacity: number;
  /** Operators of the municipality's spaces (null: a space with none), for access decisions. */
  operatorIds: (string | null)[];
};

type DirectoryRow = {
  code: string;
  kind: TSpaceKind;
  status: TSpaceStatus;
  operator_id: string | null;
  spaces: number;
  capacity: number;
};

/** Kinds, statuses, open capacity and operators of the spaces of `codes`: one statement. */
export async function directoryFigures(
  prisma: PrismaClient,
  codes: readonly string[],
): Promise<TDirectoryFigures[]> {
  const rows = await prisma.$queryRaw<DirectoryRow[]>`
    SELECT municipality_code AS code, kind::text AS kind, status::text AS status, operator_id::text,
           count(*)::int AS spaces,
           coalesce(sum(capacity) FILTER (WHERE status = 'open'), 0)::int AS capacity
    FROM space
    WHERE municipality_code = ANY(${[...codes]}::bpchar[])
    GROUP BY municipality_code, kind, status, operator_id`;
  return codes.map((code) => {
    const mine = rows.filter((row) => row.code === code);
    const sum = (of: (row: DirectoryRow) => boolean) =>
      mine.filter(of).reduce((total, row) => total + row.spaces, 0);
    return {
      municipalityCode: code,
      spacesByKind: SPACE_KINDS.values.map((kind) => ({
        kind,
        count: sum((row) => row.kind === kind),
      })),
      spacesByStatus: SPACE_STATUSES.values.map((status) => ({
        status,
        count: sum((row) => row.status === status),
      })),
      totalCapacity: mine.reduce((total, row) => total + row.capacity, 0),
      operatorIds: [...new Set(mine.map((row) => row.operator_id))],
    };
  });
}

/**
 * Satellite-office rooms of the spaces of `codes` let for at least one day of the period (a
 * lease starting on or before `to` and not ended before `from`): rooms, not leases — a room let
 * to two tenants one after the other counts once. One statement.
 */
export async function satelliteOfficesLet(
  prisma: PrismaClient,
  codes: readonly string[],
  period: TPeriod,
): Promise<{ municipalityCode: string; count: number }[]> {
  const rows = await prisma.$queryRaw<{ code: string; rooms: number }[]>`
    SELECT s.municipality_code AS code, count(DISTINCT r.id)::int AS rooms
    FROM space s
    JOIN room r ON r.space_id = s.id AND r.kind = 'satellite-office'
    JOIN satellite_lease l ON l.room_id = r.id
    WHERE s.municipality_code = ANY(${[...codes]}::bpchar[])
      AND l.starts_on <= ${dateColumn(period.to)}::date
      AND (l.ends_on IS NULL OR l.ends_on >= ${dateColumn(period.from)}::date)
    GROUP BY s.municipality_code`;
  const byCode = new Map(rows.map((row) => [row.code, row.rooms]));
  return codes.map((code) => ({ municipalityCode: code, count: byCode.get(code) ?? 0 }));
}

export type TActivityFigures = {
  municipalityCode: string;
  checkIns: number;
  uniqueVisitors: number;
  passRedemptionsHosted: number;
};

/**
 * Stays begun in the period (Tokyo days), distinct visitors among them — an erased member's
 * stays are nobody's any more, so each counts as one unknown visitor — and pass redemptions on
 * a day of the period at the municipality's spaces. One statement; counts only.
 */
export async function activityFigures(
  prisma: PrismaClient,
  codes: readonly string[],
  period: TPeriod,
): Promise<TActivityFigures[]> {
  const { start, end } = periodInstants(period);
  const rows = await prisma.$queryRaw<
    { code: string; check_ins: number; visitors: number; redemptions: number }[]
  >`
    WITH stays AS (
      SELECT s.municipality_code AS code, count(*)::int AS check_ins,
             (count(DISTINCT v.member_id) + count(*) FILTER (WHERE v.member_id IS NULL))::int AS visitors
      FROM space s
      JOIN visit v ON v.space_id = s.id
      WHERE s.municipality_code = ANY(${[...codes]}::bpchar[])
        AND v.checked_in_at >= ${start} AND v.checked_in_at < ${end}
      GROUP BY s.municipality_code
    ), redemptions AS (
      SELECT s.municipality_code AS code, count(*)::int AS redemptions
      FROM space s
      JOIN pass_redemption p ON p.host_space_id = s.id
      WHERE s.municipality_code = ANY(${[...codes]}::bpchar[])
        AND p.date BETWEEN ${dateColumn(period.from)}::date AND ${dateColumn(period.to)}::date
      GROUP BY s.municipality_code
    )
    SELECT coalesce(stays.code, redemptions.code) AS code,
           coalesce(stays.check_ins, 0) AS check_ins, coalesce(stays.visitors, 0) AS visitors,
           coalesce(redemptions.redemptions, 0) AS redemptions
    FROM stays FULL JOIN redemptions ON redemptions.code = stays.code`;
  const byCode = new Map(rows.map((row) => [row.code.trim(), row]));
  return codes.map((code) => {
    const row = byCode.get(code);
    return {
      municipalityCode: code,
      checkIns: row?.check_ins ?? 0,
      uniqueVisitors: row?.visitors ?? 0,
      passRedemptionsHosted: row?.redemptions ?? 0,
    };
  });
}
