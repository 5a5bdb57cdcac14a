// Affiliations run on Japanese calendar days (members decides "active today" the same way):
// "today" must not flip at 09:00 JST because the server clock runs in UTC.
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

/** A YYYY-MM-DD date as the value Prisma compares with a `@db.Date` column. */
export function dateColumn(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00Z`);
}
