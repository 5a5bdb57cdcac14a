import { builder } from '../builder.js';
import type { TInterval } from '../domain/opening-hours.js';

export const TimeIntervalRef = builder.objectRef<TInterval>('TimeInterval').implement({
  description: '営業している時間帯 — 東京時間 (opening interval, Tokyo wall-clock time)',
  fields: (t) => ({
    opens: t.exposeString('opens', { description: '開始 HH:MM (opens at, HH:MM)' }),
    closes: t.exposeString('closes', {
      description: '終了 HH:MM、24:00 は深夜0時 (closes at, HH:MM; 24:00 is midnight)',
    }),
  }),
});
