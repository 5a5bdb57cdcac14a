/** A byte order mark: spreadsheet programs read a CSV as UTF-8 only when it starts with one. */
export const UTF8_BOM = '\uFEFF';

export type CsvOptions = {
  /**
   * The spreadsheet variant: a BOM first, and a cell a spreadsheet would run as a formula
   * (starting with = + - @, a tab or a carriage return) is prefixed with `'`. The plain variant
   * keeps every value exact.
   */
  isForSpreadsheet: boolean;
};

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180: records end in CRLF; a field holding a comma, quote or line break is quoted. */
export function toCsv(records: readonly (readonly string[])[], options: CsvOptions): string {
  const lines = records.map((record) =>
    record.map((value) => csvField(value, options.isForSpreadsheet)).join(','),
  );
  const body = lines.map((line) => `${line}\r\n`).join('');
  return options.isForSpreadsheet ? `${UTF8_BOM}${body}` : body;
}

function csvField(value: string, isForSpreadsheet: boolean): string {
  const guarded = isForSpreadsheet && FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}
