import { checkMunicipalityCode } from '@hub/jp-codes';
import { z } from 'zod';
import { AppError, splitMessage } from './errors.js';

/**
 * Validates client input with a zod schema; the first problem becomes BAD_USER_INPUT naming
 * the field, so nothing is written from half-valid input.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.');
  const name = field || '(input)';
  // Rules may say why in both languages (`日本語 (English)`); zod's own messages are English.
  const why = splitMessage(issue.message);
  throw new AppError(
    'BAD_USER_INPUT',
    `入力が正しくありません: ${name} — ${why.ja} (invalid input: ${name} — ${why.en})`,
    { field },
  );
}

/** Rejects a malformed 全国地方公共団体コード before it reaches a query. */
export function assertMunicipalityCode(code: string, field = 'municipalityCode'): void {
  const check = checkMunicipalityCode(code);
  if (check.isValid) return;
  // Only a code-sized value is echoed back: anything longer is plainly not a code.
  const shown = code.length <= 12 ? `「${code}」` : '';
  throw new AppError(
    'INVALID_MUNICIPALITY_CODE',
    check.reason === 'format'
      ? `市町村コード${shown}は6桁の数字で指定してください (municipality code must be 6 digits)`
      : `市町村コード${shown}のチェックディジットが正しくありません (invalid check digit in municipality code)`,
    { field },
  );
}

/**
 * A link a client gives (a website, a stream): only an absolute `http:`/`https:` URL with a host.
 * Anything else — `file:///etc/passwd`, `javascript:`, `data:`, a relative path — is refused:
 * these values are shown to other people as links, so another scheme would run or read
 * something on their machine.
 */
export function httpUrl() {
  return z.url({
    protocol: /^https?$/,
    hostname: /^[^\s]+$/,
    error:
      'http: または https: で始まる絶対 URL を指定してください (must be an absolute http: or https: URL)',
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are uuid columns: anything else must not reach Postgres (it would fail as an internal error). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * @deprecated ID arguments and input fields are checked by the kit's input plugin before any
 * resolver runs (SERVICE_GUIDE.md, "Input limits"); kept only for ids that arrive another way.
 */
export function assertUuid(value: string, field: string): void {
  if (!isUuid(value)) {
    throw new AppError('BAD_USER_INPUT', `ID の形式が正しくありません: ${field} (not a UUID)`, {
      field,
    });
  }
}

/** An ISO 8601 instant that names its zone (Z or an offset such as +09:00). */
export const ISO_INSTANT =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * An instant in domain input: a Date (the DateTime scalar already parsed it) or an ISO string
 * with its zone (seeds, internal callers) — a wall-clock time without one would be ambiguous.
 */
export const zInstant = z
  .union([
    z.date(),
    z
      .string()
      .regex(ISO_INSTANT, 'ISO 8601 の日時 (タイムゾーン付き) — ISO instant with Z or offset'),
  ])
  .transform((value) => new Date(value))
  .refine((date) => !Number.isNaN(date.getTime()), '存在しない日時 (invalid date)');
