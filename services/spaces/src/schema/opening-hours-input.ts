import { builder } from '../builder.js';
import { HoursExceptionInput } from './hours-exception-input.js';
import { WeeklyOpeningIntervalInput } from './time-interval-input.js';

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
