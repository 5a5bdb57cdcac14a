import { builder } from '../builder.js';
import { WeekdayEnum } from './weekday.js';

// The three inputs of one value, opening hours, kept together so their fields cannot drift.
const TIME = {
  opens: '開始 HH:MM 東京時間 (opens at, HH:MM Tokyo time)',
  closes: '終了 HH:MM、24:00 まで (closes at, HH:MM, up to 24:00)',
};

const TimeIntervalInput = builder.inputType('TimeIntervalInput', {
  description: '営業時間帯 (opening interval)',
  fields: (t) => ({
    opens: t.string({ required: true, maxLength: 5, description: TIME.opens }),
    closes: t.string({ required: true, maxLength: 5, description: TIME.closes }),
  }),
});

const WeeklyOpeningIntervalInput = builder.inputType('WeeklyOpeningIntervalInput', {
  description: '毎週の営業時間帯 (weekly opening interval)',
  fields: (t) => ({
    weekday: t.field({ type: WeekdayEnum, required: true, description: '曜日 (weekday)' }),
    opens: t.string({ required: true, maxLength: 5, description: TIME.opens }),
    closes: t.string({ required: true, maxLength: 5, description: TIME.closes }),
  }),
});

const HoursExceptionInput = builder.inputType('HoursExceptionInput', {
  description: '特定日の例外 (hours on a given date)',
  fields: (t) => ({
    date: t.field({ type: 'Date', required: true, description: '日付 (date)' }),
    intervals: t.field({
      type: [TimeIntervalInput],
      required: false,
      description: 'その日の営業時間帯。空または省略で休業 (intervals; empty or omitted: closed)',
    }),
  }),
});

export const OpeningHoursInput = builder.inputType('OpeningHoursInput', {
  description:
    '営業時間 — 全体を置き換える。同じ日の時間帯は重ならないこと (opening hours, replaced as a whole; intervals of a day must not overlap)',
  fields: (t) => ({
    weekly: t.field({
      type: [WeeklyOpeningIntervalInput],
      required: false,
      description: '毎週の営業時間帯 (weekly intervals)',
    }),
    exceptions: t.field({
      type: [HoursExceptionInput],
      required: false,
      description: '特定日の例外 (dated exceptions)',
    }),
    closedOnPublicHolidays: t.boolean({
      required: false,
      description: '祝日は休業 (closed on public holidays; default false)',
    }),
  }),
});
