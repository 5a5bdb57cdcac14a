import { builder, type InputFields } from '../builder.js';
import { WeekdayEnum } from './weekday.js';

// Both inputs are built from this one field list, so a day's interval and a weekday's cannot drift.
const intervalFields = (t: InputFields) => ({
  opens: t.string({
    required: true,
    maxLength: 5,
    description: '開始 HH:MM 東京時間 (opens at, HH:MM Tokyo time)',
  }),
  closes: t.string({
    required: true,
    maxLength: 5,
    description: '終了 HH:MM、24:00 まで (closes at, HH:MM, up to 24:00)',
  }),
});

export const TimeIntervalInput = builder.inputType('TimeIntervalInput', {
  description: '営業時間帯 (opening interval)',
  fields: (t) => intervalFields(t),
});

export const WeeklyOpeningIntervalInput = builder.inputType('WeeklyOpeningIntervalInput', {
  description: '毎週の営業時間帯 (weekly opening interval)',
  fields: (t) => ({
    weekday: t.field({ type: WeekdayEnum, required: true, description: '曜日 (weekday)' }),
    ...intervalFields(t),
  }),
});
