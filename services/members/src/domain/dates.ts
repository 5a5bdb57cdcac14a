// Affiliations are calendar dates in Japan: "active today" must not flip at 09:00 JST because
// the server clock runs in UTC.
const TOKYO_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date in Japan, YYYY-MM-DD. */
export function todayInJapan(now: Date = new Date()): string {
  return TOKYO_DATE.format(now);
}

/** A YYYY-MM-DD date as the value Prisma stores in a `@db.Date` column. */
export function dateColumn(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00Z`);
}

/** The YYYY-MM-DD of a `@db.Date` column value. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function dayBefore(isoDateText: string): string {
  const date = dateColumn(isoDateText);
  date.setUTCDate(date.getUTCDate() - 1);
  return isoDate(date);
}

/** Affiliations that hold on a date: started on or before it and not ended before it. */
export function activeOn(isoDateText: string) {
  const day = dateColumn(isoDateText);
  return {
    startsOn: { lte: day },
    OR: [{ endsOn: null }, { endsOn: { gte: day } }],
  };
}
