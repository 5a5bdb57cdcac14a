import { z } from 'zod';

// The hub's calendar days are Japanese ones (affiliations start and end on them; "today" is
// today in Tokyo): a day must not flip at 09:00 JST because the servers run in UTC.

/** A calendar day in Japan, YYYY-MM-DD (an affiliation's start, a deadline). */
export const ZTokyoDate = z.iso.date();
export type TTokyoDate = z.infer<typeof ZTokyoDate>;

/** Japan has kept UTC+9 all year since 1951 (no daylight saving). */
export const TOKYO_UTC_OFFSET_MS = 9 * 60 * 60 * 1000;

const TOKYO_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The date in Japan at `now`, YYYY-MM-DD. */
export function todayInJapan(now: Date = new Date()): string {
  return TOKYO_DATE.format(now);
}

/** A YYYY-MM-DD date as the value Prisma stores in and compares with a `@db.Date` column. */
export function dateColumn(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00Z`);
}

/** The instant a day in Japan begins (00:00 JST), e.g. to find stays checked in on that day. */
export function startOfTokyoDay(isoDate: string): Date {
  return new Date(dateColumn(isoDate).getTime() - TOKYO_UTC_OFFSET_MS);
}

/** The YYYY-MM-DD of a `@db.Date` column value. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The day before a YYYY-MM-DD date. */
export function dayBefore(isoDateText: string): string {
  const date = dateColumn(isoDateText);
  date.setUTCDate(date.getUTCDate() - 1);
  return isoDate(date);
}

/**
 * Rows that hold on a day — started on or before it, not ended before it (an affiliation
 * ending today still counts) — as a Prisma `where` on `startsOn` / `endsOn` date columns.
 */
export function activeOn(isoDateText: string) {
  const day = dateColumn(isoDateText);
  return { startsOn: { lte: day }, OR: [{ endsOn: null }, { endsOn: { gte: day } }] };
}
