import { Prisma } from '../generated/prisma/client.js';
import { isPublicHoliday, tokyoMoment } from './opening-hours.js';

/**
 * "Open at this instant" as a SQL condition on `space s`, by the rule of `isOpenAt`
 * (opening-hours.ts): a dated exception decides its day; else a public holiday closes spaces
 * closed on holidays; else the weekday's intervals. Times are zero-padded `HH:MM` text, so text
 * comparison is time order. The holiday is decided here (the table lives in the application)
 * and reaches the statement as a boolean.
 */
export function openAtSql(instant: Date): Prisma.Sql {
  const { date, weekday, time } = tokyoMoment(instant);
  const isHoliday = isPublicHoliday(date);
  return Prisma.sql`EXISTS (
    SELECT 1 FROM jsonb_array_elements(
      CASE
        WHEN s.hours_exceptions ? ${date} THEN s.hours_exceptions -> ${date}
        WHEN ${isHoliday} AND s.closed_on_holidays THEN '[]'::jsonb
        ELSE coalesce(s.weekly_hours -> ${weekday}, '[]'::jsonb)
      END) AS i
    WHERE i ->> 'opens' <= ${time} AND ${time} < i ->> 'closes')`;
}
