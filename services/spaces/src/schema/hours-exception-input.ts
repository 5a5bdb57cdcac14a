import { builder } from '../builder.js';
import { TimeIntervalInput } from './time-interval-input.js';

export const HoursExceptionInput = builder.inputType('HoursExceptionInput', {
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
