/** What the event-rate bench's producer (the parent) and its consumer process agree on. */

export const CONSUMER = 'bench-events-effect';
export const EVENT_TYPE = 'spaces.space.updated';

/** What the consumer tells its parent over IPC; `at` is wall-clock ms with fractions. */
export type ConsumerReport =
  | { kind: 'ready' }
  | {
      kind: 'effects';
      effects: [subject: string, at: number][];
      deliveries: string[];
      /** Time spent in the handler (inbox transaction included) since the last report. */
      handlerMs: number;
      /** Consumer transactions since the last report (one per single event or per batch). */
      transactions: number;
    };

/** The wall clock both processes read: epoch ms, sub-millisecond resolution. */
export const wallClockMs = () => performance.timeOrigin + performance.now();
