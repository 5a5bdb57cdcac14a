import { builder } from '../builder.js';
import type { TInterval } from '../domain/opening-hours.js';
import { TimeIntervalRef } from './time-interval.js';

export const HoursExceptionRef = builder
  .objectRef<{ date: string; intervals: TInterval[] }>('HoursException')
  .implement({
    description:
      '特定日の営業時間 — 休業日または特別営業時間 (hours on a given date: closed, or special hours)',
    fields: (t) => ({
      date: t.field({ type: 'Date', description: '日付 (date)', resolve: (day) => day.date }),
      isClosed: t.boolean({
        description: '終日休業 (closed all day)',
        resolve: (day) => day.intervals.length === 0,
      }),
      intervals: t.field({
        type: [TimeIntervalRef],
        description: 'その日の営業時間帯。休業日は空 (intervals that day; empty when closed)',
        resolve: (day) => day.intervals,
      }),
    }),
  });
