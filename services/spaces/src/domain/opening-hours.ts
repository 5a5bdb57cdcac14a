import holidayJp from '@holiday-jp/holiday_jp';
import { TOKYO_UTC_OFFSET_MS } from '@hub/contracts';
import { AppError } from '@hub/service-kit';
import { z } from 'zod';

export const WEEKDAYS = [
  'MONDAY',
  'TUESDAY',
  'WEDNESDAY',
  'THURSDAY',
  'FRIDAY',
  'SATURDAY',
  'SUNDAY',
] as const;
export type TWeekday = (typeof WEEKDAYS)[number];

/** Tokyo wall-clock time `HH:MM`; `24:00` closes at midnight. Zero-padded, so text order is time order (SQL compares them as text). */
const ZClockTime = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, '時刻は HH:MM (time as HH:MM, 00:00–24:00)');

export const ZInterval = z.object({ opens: ZClockTime, closes: ZClockTime });
export type TInterval = z.infer<typeof ZInterval>;

/** As clients send them: a list of weekday intervals and a list of dated exceptions. */
export const ZOpeningHoursInput = z.object({
  weekly: z
    .array(ZInterval.extend({ weekday: z.enum(WEEKDAYS) }))
    .max(70)
    .nullish()
    .transform((weekly) => weekly ?? []),
  exceptions: z
    .array(
      z.object({
        date: z.iso.date(),
        // No intervals: closed that day.
        intervals: z
          .array(ZInterval)
          .max(10)
          .nullish()
          .transform((intervals) => intervals ?? []),
      }),
    )
    .max(366)
    .nullish()
    .transform((exceptions) => exceptions ?? []),
  closedOnPublicHolidays: z
    .boolean()
    .nullish()
    .transform((closed) => closed ?? false),
});
export type TOpeningHoursInput = z.input<typeof ZOpeningHoursInput>;

/** As stored: `weekly_hours` keyed by weekday, `hours_exceptions` keyed by date. */
export type TWeeklyHours = Partial<Record<TWeekday, TInterval[]>>;
export type THoursExceptions = Record<string, TInterval[]>;
export type TStoredHours = {
  weeklyHours: TWeeklyHours;
  hoursExceptions: THoursExceptions;
  closedOnHolidays: boolean;
};

/**
 * Checks the intervals of each day (start before end, no overlap; touching is fine) and turns
 * the input into the stored form. Throws INVALID_OPENING_HOURS naming the offending item.
 */
export function toStoredHours(
  input: z.output<typeof ZOpeningHoursInput>,
  field = 'openingHours',
): TStoredHours {
  const weeklyHours: TWeeklyHours = {};
  input.weekly.forEach((interval, index) => {
    const { weekday, opens, closes } = interval;
    weeklyHours[weekday] = [...(weeklyHours[weekday] ?? []), { opens, closes }];
    assertDay(weeklyHours[weekday]!, `${field}.weekly.${index}`);
  });
  const hoursExceptions: THoursExceptions = {};
  input.exceptions.forEach((exception, index) => {
    const where = `${field}.exceptions.${index}`;
    if (hoursExceptions[exception.date]) {
      throw invalidHours(
        `${exception.date} の例外が重複しています (two exceptions for ${exception.date})`,
        where,
      );
    }
    for (let i = 0; i < exception.intervals.length; i += 1) {
      assertDay(exception.intervals.slice(0, i + 1), `${where}.intervals.${i}`);
    }
    hoursExceptions[exception.date] = exception.intervals.map(({ opens, closes }) => ({
      opens,
      closes,
    }));
  });
  for (const day of Object.values(weeklyHours)) day.sort((a, b) => a.opens.localeCompare(b.opens));
  return { weeklyHours, hoursExceptions, closedOnHolidays: input.closedOnPublicHolidays };
}

/** The last interval of `day` must end after it starts and overlap none before it. */
function assertDay(day: TInterval[], field: string) {
  const last = day[day.length - 1]!;
  if (last.closes <= last.opens) {
    throw invalidHours(
      `終了 ${last.closes} が開始 ${last.opens} 以前です (closes at ${last.closes}, not after it opens at ${last.opens})`,
      field,
    );
  }
  for (const other of day.slice(0, -1)) {
    if (other.opens < last.closes && last.opens < other.closes) {
      throw invalidHours(
        `${last.opens}–${last.closes} が ${other.opens}–${other.closes} と重なっています (${last.opens}–${last.closes} overlaps ${other.opens}–${other.closes})`,
        field,
      );
    }
  }
}

function invalidHours(message: string, field: string) {
  return new AppError('INVALID_OPENING_HOURS', message, { field });
}

/** An instant as Tokyo's date, weekday and wall-clock time (Japan keeps no daylight saving). */
export function tokyoMoment(instant: Date): { date: string; weekday: TWeekday; time: string } {
  const tokyo = new Date(instant.getTime() + TOKYO_UTC_OFFSET_MS);
  const iso = tokyo.toISOString();
  // getUTCDay: 0 is Sunday.
  const weekday = WEEKDAYS[(tokyo.getUTCDay() + 6) % 7]!;
  return { date: iso.slice(0, 10), weekday, time: iso.slice(11, 16) };
}

/**
 * Japan's public holidays, substitute holidays (振替休日) and citizens' holidays included, from
 * @holiday-jp/holiday_jp's bundled table (1970–2050; no network). Looked up by key: the
 * library's own isHoliday formats a Date in the process's time zone and scans every key.
 */
export function isPublicHoliday(tokyoDate: string): boolean {
  return Object.hasOwn(holidayJp.holidays, tokyoDate);
}

/** Whether a space with these hours is open at the instant — the rule `openAt` applies in SQL. */
export function isOpenAt(hours: TStoredHours, instant: Date): boolean {
  const { date, weekday, time } = tokyoMoment(instant);
  const intervals =
    hours.hoursExceptions[date] ??
    (hours.closedOnHolidays && isPublicHoliday(date) ? [] : (hours.weeklyHours[weekday] ?? []));
  return intervals.some((interval) => interval.opens <= time && time < interval.closes);
}

/** The stored form back as the API lists it: weekdays in order, exceptions by date. */
export function listedHours(hours: TStoredHours) {
  return {
    weekly: WEEKDAYS.flatMap((weekday) =>
      (hours.weeklyHours[weekday] ?? []).map((interval) => ({ weekday, ...interval })),
    ),
    exceptions: Object.keys(hours.hoursExceptions)
      .sort()
      .map((date) => ({ date, intervals: hours.hoursExceptions[date]! })),
    closedOnPublicHolidays: hours.closedOnHolidays,
  };
}
