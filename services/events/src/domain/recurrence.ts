import { TOKYO_UTC_OFFSET_MS } from '@hub/contracts';
import { AppError } from '@hub/service-kit';
import rrulePackage from 'rrule';

// rrule ships CommonJS without `exports`; under Node ESM its API is the default export.
const { RRule, Frequency } = rrulePackage;
type Rule = InstanceType<typeof RRule>;

// rrule evaluates BYDAY / BYMONTHDAY on the calendar of the dates it is given, and its own
// time-zone support goes through the host's Intl. Events are scheduled in Asia/Tokyo, which has
// a fixed offset (TOKYO_UTC_OFFSET_MS), so we shift instants into "floating" Tokyo
// wall-clock time, let rrule work in UTC on that, and shift the results back. A 3rd-Wednesday
// 08:00 JST event then stays on Wednesday even though it is Tuesday 23:00 in UTC.
const toTokyoWallClock = (instant: Date) => new Date(instant.getTime() + TOKYO_UTC_OFFSET_MS);
const fromTokyoWallClock = (wallClock: Date) => new Date(wallClock.getTime() - TOKYO_UTC_OFFSET_MS);

/** Most occurrences a COUNT may ask for; keeps every evaluation of a rule cheap. */
export const MAX_RECURRENCE_COUNT = 1000;

/** What a schedule needs: the first start (DTSTART), its end, and the RRULE if it repeats. */
export type TSchedule = { startsAt: Date; endsAt: Date; recurrence: string | null };

/**
 * Parses an RRULE (`FREQ=…;…`, with or without the `RRULE:` prefix) anchored at `startsAt`.
 * Rejects what we cannot schedule: no FREQ, sub-daily frequencies, DTSTART inside the rule
 * (startsAt is the start), counts over MAX_RECURRENCE_COUNT and rules with no occurrence.
 */
export function parseRecurrence(text: string, startsAt: Date): { rule: Rule; text: string } {
  const body = text.trim().replace(/^RRULE:/i, '');
  const reject = (reason: string): never => {
    throw new AppError('BAD_USER_INPUT', `繰り返し規則 (RRULE) が正しくありません: ${reason}`, {
      field: 'recurrence',
    });
  };
  if (body === '' || /[\r\n]/.test(body)) reject('1行の RRULE を指定してください (one RRULE line)');
  if (/(^|;)DTSTART/i.test(body))
    reject('DTSTART は startsAt で指定します (DTSTART comes from startsAt)');
  let options: ReturnType<typeof RRule.parseString>;
  try {
    options = RRule.parseString(body);
  } catch (error) {
    return reject(`${(error as Error).message} (unparseable RRULE)`);
  }
  if (options.freq === undefined) reject('FREQ が必要です (FREQ is required)');
  if (options.freq! > Frequency.DAILY) reject('FREQ は DAILY 以上の間隔 (at most daily)');
  if (options.count != null && (options.count < 1 || options.count > MAX_RECURRENCE_COUNT)) {
    reject(`COUNT は 1〜${MAX_RECURRENCE_COUNT} (COUNT out of range)`);
  }
  // A UTC UNTIL (…Z) is an instant; a date-only UNTIL is a Tokyo calendar day.
  const until =
    options.until && /UNTIL=\d{8}T\d{6}Z/i.test(body)
      ? toTokyoWallClock(options.until)
      : options.until;
  let rule: Rule;
  try {
    rule = new RRule({ ...options, until, dtstart: toTokyoWallClock(startsAt), tzid: null });
  } catch (error) {
    return reject(`${(error as Error).message} (invalid RRULE)`);
  }
  if (rule.after(toTokyoWallClock(startsAt), true) === null) {
    reject('開始日時以降に一度も開催されません (the rule has no occurrence from startsAt)');
  }
  return { rule, text: body };
}

/**
 * The next start at or after `now`: for a recurring event from its RRULE, for a one-off event
 * its start while that is still ahead, else null.
 */
export function nextOccurrence(schedule: TSchedule, now: Date = new Date()): Date | null {
  if (!schedule.recurrence)
    return schedule.startsAt.getTime() >= now.getTime() ? schedule.startsAt : null;
  const key = `${schedule.startsAt.getTime()}|${schedule.recurrence}`;
  const cached = nextOccurrenceCache.get(key);
  const at = now.getTime();
  // The answer computed at time c stays right for any now in [c, next]: nothing occurs between.
  if (cached && cached.computedAt <= at && (cached.next === null || at <= cached.next.getTime())) {
    return cached.next;
  }
  const { rule } = parseRecurrence(schedule.recurrence, schedule.startsAt);
  const found = rule.after(toTokyoWallClock(now), true);
  const next = found ? fromTokyoWallClock(found) : null;
  if (nextOccurrenceCache.size >= NEXT_OCCURRENCE_CACHE_SIZE) {
    nextOccurrenceCache.delete(nextOccurrenceCache.keys().next().value!);
  }
  nextOccurrenceCache.set(key, { computedAt: at, next });
  return next;
}

// Expanding a rule walks it from DTSTART (a monthly event since 2012: ~170 steps) and
// upcoming-event lists ask on every request, so answers are kept until they go stale.
const NEXT_OCCURRENCE_CACHE_SIZE = 10_000;
const nextOccurrenceCache = new Map<string, { computedAt: number; next: Date | null }>();

/** Starts of the occurrences in [from, to), at most `limit` of them, oldest first. */
export function occurrencesBetween(schedule: TSchedule, from: Date, to: Date, limit = 100): Date[] {
  if (!schedule.recurrence) {
    const t = schedule.startsAt.getTime();
    return t >= from.getTime() && t < to.getTime() ? [schedule.startsAt] : [];
  }
  const { rule } = parseRecurrence(schedule.recurrence, schedule.startsAt);
  const starts: Date[] = [];
  rule.between(toTokyoWallClock(from), toTokyoWallClock(to), true, (date) => {
    if (date.getTime() === toTokyoWallClock(to).getTime()) return false;
    starts.push(fromTokyoWallClock(date));
    return starts.length < limit;
  });
  return starts;
}

/** Whether some occurrence overlaps [from, to) (an occurrence lasts endsAt − startsAt). */
export function occursWithin(schedule: TSchedule, from: Date, to: Date): boolean {
  const duration = schedule.endsAt.getTime() - schedule.startsAt.getTime();
  return occurrencesBetween(schedule, new Date(from.getTime() - duration + 1), to, 1).length > 0;
}

// Occurrences counted to find a bounded series' end; beyond it the series counts as open-ended
// (only makes the SQL date filter less selective, the exact check runs on each row).
const SERIES_END_SCAN_LIMIT = 10_000;

/** End of the last occurrence, or null while the rule repeats forever. */
export function seriesEnd(schedule: TSchedule): Date | null {
  if (!schedule.recurrence) return schedule.endsAt;
  const { rule } = parseRecurrence(schedule.recurrence, schedule.startsAt);
  if (rule.options.count == null && rule.options.until == null) return null;
  const starts = rule.all((_date, index) => index < SERIES_END_SCAN_LIMIT);
  if (starts.length >= SERIES_END_SCAN_LIMIT) return null;
  const last = starts.at(-1);
  const duration = schedule.endsAt.getTime() - schedule.startsAt.getTime();
  return last ? new Date(fromTokyoWallClock(last).getTime() + duration) : schedule.endsAt;
}
