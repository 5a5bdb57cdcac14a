import {
  type TInterval,
  type TStoredHours,
  type TWeekday,
  WEEKDAYS,
} from '../domain/opening-hours.js';

const WEEKDAY_CHARACTERS: Record<TWeekday, string> = {
  MONDAY: '月',
  TUESDAY: '火',
  WEDNESDAY: '水',
  THURSDAY: '木',
  FRIDAY: '金',
  SATURDAY: '土',
  SUNDAY: '日',
};

/** A space's hours in the standard's four columns. */
export type THoursSummary = {
  /** 利用可能曜日: the days of the main window, `月火水木金`. */
  days: string;
  /** 開始時間 / 終了時間 of the main window, `HH:MM`. */
  opens: string;
  closes: string;
  /** 利用可能日時特記事項: everything the main window does not say. */
  notes: string;
};

/**
 * The standard has room for one weekly window (days, start, end). The window most days share
 * is that one (ties: the one of the earliest weekday); the other days' hours, a break inside
 * the window, closing on public holidays and the dated exceptions from `today` (Tokyo date) on
 * go to the notes, so nothing the hub knows about the hours is lost.
 */
export function summariseHours(hours: TStoredHours, today: string): THoursSummary {
  const windows = new Map<string, TWeekday[]>();
  for (const weekday of WEEKDAYS) {
    const intervals = hours.weeklyHours[weekday] ?? [];
    if (intervals.length === 0) continue;
    const key = intervalsText(intervals);
    windows.set(key, [...(windows.get(key) ?? []), weekday]);
  }
  // Map keeps insertion order, so on a tie the window met first (earliest weekday) stays.
  let main: { key: string; days: TWeekday[] } | undefined;
  for (const [key, days] of windows) {
    if (!main || days.length > main.days.length) main = { key, days };
  }

  const notes: string[] = [];
  let summary = { days: '', opens: '', closes: '' };
  if (main) {
    const intervals = hours.weeklyHours[main.days[0]!]!;
    summary = {
      days: daysText(main.days),
      opens: intervals[0]!.opens,
      closes: intervals[intervals.length - 1]!.closes,
    };
    // A break (09:00–12:00, 13:00–18:00) does not fit one start and one end.
    if (intervals.length > 1) notes.push(`${daysText(main.days)} ${main.key}`);
  }
  for (const [key, days] of windows) {
    if (key !== main?.key) notes.push(`${daysText(days)} ${key}`);
  }
  if (hours.closedOnHolidays) notes.push('祝日休業');
  for (const date of Object.keys(hours.hoursExceptions).sort()) {
    if (date < today) continue;
    const intervals = hours.hoursExceptions[date]!;
    notes.push(`${date} ${intervals.length === 0 ? '休業' : intervalsText(intervals)}`);
  }
  return { ...summary, notes: notes.join('、') };
}

function daysText(days: readonly TWeekday[]): string {
  return days.map((day) => WEEKDAY_CHARACTERS[day]).join('');
}

function intervalsText(intervals: readonly TInterval[]): string {
  return intervals.map(({ opens, closes }) => `${opens}-${closes}`).join(', ');
}
