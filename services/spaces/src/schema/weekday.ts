import { builder } from '../builder.js';
import { WEEKDAYS } from '../domain/opening-hours.js';

const LABELS = {
  MONDAY: '月曜 (Monday)',
  TUESDAY: '火曜 (Tuesday)',
  WEDNESDAY: '水曜 (Wednesday)',
  THURSDAY: '木曜 (Thursday)',
  FRIDAY: '金曜 (Friday)',
  SATURDAY: '土曜 (Saturday)',
  SUNDAY: '日曜 (Sunday)',
} as const;

export const WeekdayEnum = builder.enumType('Weekday', {
  description: '曜日 (day of the week)',
  values: Object.fromEntries(WEEKDAYS.map((day) => [day, { description: LABELS[day] }])),
});
