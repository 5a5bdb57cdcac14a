import { dateColumn } from '@hub/contracts';
import { AppError } from './errors.js';

// Periods of Tokyo days (YYYY-MM-DD, both ends inclusive) as figures and lists of a period take
// them, in every service: spaces' figures and visit lists, matching's work figures.

/** The longest period figures are asked for: a leap year. */
export const PERIOD_MAX_DAYS = 366;

/**
 * The days a period may cover. The Date scalar takes years 0000–9999, but the first or last
 * instants of a Tokyo day at those ends fall in years 0 and 10000, which PostgreSQL refuses: the
 * request would fail instead of answering. No record of the hub lies outside these years anyway.
 */
export const PERIOD_EARLIEST = '1900-01-01';
export const PERIOD_LATEST = '2999-12-31';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Either end may be open (a list's filter); figures need both. */
export type OpenPeriod = { from?: string | null; to?: string | null };

/**
 * Refuses (INVALID_PERIOD, naming the argument) an end outside PERIOD_EARLIEST–PERIOD_LATEST or
 * a period ending before it starts. (YYYY-MM-DD strings compare in date order.)
 */
export function assertPeriodDates(period: OpenPeriod): void {
  for (const field of ['from', 'to'] as const) {
    const day = period[field];
    if (day != null && (day < PERIOD_EARLIEST || day > PERIOD_LATEST)) {
      throw new AppError(
        'INVALID_PERIOD',
        `期間は ${PERIOD_EARLIEST} から ${PERIOD_LATEST} までの日付で指定してください (a period lies between ${PERIOD_EARLIEST} and ${PERIOD_LATEST})`,
        { field },
      );
    }
  }
  if (period.from != null && period.to != null && period.to < period.from) {
    throw new AppError('INVALID_PERIOD', '終了日が開始日より前です (to is before from)', {
      field: 'to',
    });
  }
}

/** A closed period as figures take it: assertPeriodDates, and at most PERIOD_MAX_DAYS days. */
export function assertPeriod(period: { from: string; to: string }): void {
  assertPeriodDates(period);
  const days = (dateColumn(period.to).getTime() - dateColumn(period.from).getTime()) / DAY_MS + 1;
  if (days > PERIOD_MAX_DAYS) {
    throw new AppError(
      'INVALID_PERIOD',
      `期間は ${PERIOD_MAX_DAYS} 日までです (a period is at most ${PERIOD_MAX_DAYS} days)`,
      { field: 'to' },
    );
  }
}
