import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { toCsv, UTF8_BOM } from './csv.js';

const TRICKY = [
  ['名称', '説明'],
  ['A, "B" 館', '1行目\n2行目'],
  ['=HYPERLINK("x")', '+81'],
  ['-1', '@home'],
  ['\tタブ', '\r改行'],
  ['', 'plain'],
];

describe('toCsv', () => {
  it('ends every record in CRLF and quotes only fields with a comma, quote or line break', () => {
    const csv = toCsv(TRICKY.slice(0, 2), { isForSpreadsheet: false });
    expect(csv).toBe('名称,説明\r\n"A, ""B"" 館","1行目\n2行目"\r\n');
  });

  it('keeps every value exact in the plain variant', () => {
    const csv = toCsv(TRICKY, { isForSpreadsheet: false });
    expect(csv.startsWith(UTF8_BOM)).toBe(false);
    expect(parse(csv, { record_delimiter: '\r\n' })).toEqual(TRICKY);
  });

  it('starts the spreadsheet variant with a BOM and defuses cells a spreadsheet would run', () => {
    const csv = toCsv(TRICKY, { isForSpreadsheet: true });
    expect(csv.startsWith(UTF8_BOM)).toBe(true);
    expect(parse(csv, { bom: true, record_delimiter: '\r\n' })).toEqual([
      ['名称', '説明'],
      ['A, "B" 館', '1行目\n2行目'],
      ['\'=HYPERLINK("x")', "'+81"],
      ["'-1", "'@home"],
      ["'\tタブ", "'\r改行"],
      ['', 'plain'],
    ]);
  });
});
