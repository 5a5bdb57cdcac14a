import { builder } from '../builder.js';
import type { TInterval, TWeekday } from '../domain/opening-hours.js';
import { WeekdayEnum } from './weekday.js';

export const WeeklyOpeningIntervalRef = builder
  .objectRef<TInterval & { weekday: TWeekday }>('WeeklyOpeningInterval')
  .implement({
    description: '毎週の営業時間帯 — 東京時間 (weekly opening interval, Tokyo wall-clock time)',
    fields: (t) => ({
      weekday: t.expose('weekday', { type: WeekdayEnum, description: '曜日 (weekday)' }),
      opens: t.exposeString('opens', { description: '開始 HH:MM (opens at, HH:MM)' }),
      closes: t.exposeString('closes', {
        description: '終了 HH:MM、24:00 は深夜0時 (closes at, HH:MM; 24:00 is midnight)',
      }),
    }),
  });
