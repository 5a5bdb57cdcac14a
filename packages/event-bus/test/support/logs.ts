import { Writable } from 'node:stream';
import { type Level, type Logger, pino } from 'pino';

export type LogLine = { level: number; msg: string } & Record<string, unknown>;

/** A logger whose lines (warn and above by default) the test can read back. */
export function captureLogs(level: Level = 'warn'): {
  logger: Logger;
  lines: LogLine[];
  /** Lines whose message contains `text`. */
  find(text: string): LogLine[];
} {
  const lines: LogLine[] = [];
  const logger = pino(
    { level },
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)) as LogLine);
        done();
      },
    }),
  );
  return { logger, lines, find: (text) => lines.filter((line) => line.msg.includes(text)) };
}
