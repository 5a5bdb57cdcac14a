import type { PrismaClient } from '../generated/prisma/client.js';
import { isPublicHoliday, tokyoMoment } from './opening-hours.js';

/**
 * Ids of the spaces open at an instant, by the rule of `isOpenAt` (opening-hours.ts): a dated
 * exception decides its day; else a public holiday closes spaces closed on holidays; else the
 * weekday's intervals. Times are zero-padded `HH:MM` text, so text comparison is time order.
 * The holiday is decided here (the table lives in the application), the rest in one statement.
 */
export async function spacesOpenAt(prisma: PrismaClient, instant: Date): Promise<string[]> {
  const { date, weekday, time } = tokyoMoment(instant);
  const isHoliday = isPublicHoliday(date);
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT s.id::text FROM space s
    WHERE EXISTS (
      SELECT 1 FROM jsonb_array_elements(
        CASE
          WHEN s.hours_exceptions ? ${date} THEN s.hours_exceptions -> ${date}
          WHEN ${isHoliday} AND s.closed_on_holidays THEN '[]'::jsonb
          ELSE coalesce(s.weekly_hours -> ${weekday}, '[]'::jsonb)
        END) AS i
      WHERE i ->> 'opens' <= ${time} AND ${time} < i ->> 'closes')`;
  return rows.map((row) => row.id);
}
