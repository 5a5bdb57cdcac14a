import { builder } from '../builder.js';
import type { listedHours } from '../domain/opening-hours.js';
import { HoursExceptionRef } from './hours-exception.js';
import { WeeklyOpeningIntervalRef } from './weekly-opening-interval.js';

export const OpeningHoursRef = builder
  .objectRef<ReturnType<typeof listedHours>>('OpeningHours')
  .implement({
    description:
      '営業時間 — 毎週の時間帯、特定日の例外、祝日の休業 (opening hours: weekly intervals, dated exceptions, public holidays)',
    fields: (t) => ({
      weekly: t.field({
        type: [WeeklyOpeningIntervalRef],
        description: '毎週の営業時間帯 — 月曜から (weekly intervals, from Monday)',
        resolve: (hours) => hours.weekly,
      }),
      exceptions: t.field({
        type: [HoursExceptionRef],
        description:
          '特定日の例外 — 日付順。祝日より優先 (dated exceptions, by date; they win over holidays)',
        resolve: (hours) => hours.exceptions,
      }),
      closedOnPublicHolidays: t.exposeBoolean('closedOnPublicHolidays', {
        description:
          "国民の祝日・振替休日は休業 (closed on Japan's public and substitute holidays)",
      }),
    }),
  });
