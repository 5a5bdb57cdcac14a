import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { ISO_INSTANT } from './input.js';

/**
 * Where each scalar's format is specified (`@specifiedBy`): clients and code generators read the
 * URL from the schema, so it is stated once here and every subgraph prints the same.
 */
export const SCALAR_SPECIFICATIONS = {
  DateTime: 'https://datatracker.ietf.org/doc/html/rfc3339',
  Date: 'https://datatracker.ietf.org/doc/html/rfc3339#section-5.6',
  JSON: 'https://datatracker.ietf.org/doc/html/rfc8259',
} as const;

/**
 * `specifiedByURL` for graphql-js, and the same as a directive in `extensions.directives`: the
 * directives plugin rebuilds each type's AST from those extensions, and the subgraph printer
 * prints that AST, so without the directive `@specifiedBy` would be lost from schema.graphql.
 */
function specifiedBy(url: string) {
  return { specifiedByURL: url, extensions: { directives: { specifiedBy: { url } } } };
}

/** An instant, as an RFC 3339 string in UTC (clients render it in Asia/Tokyo). */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description:
    '日時 — RFC 3339 の date-time。出力は常に UTC・ミリ秒付き (例 2026-01-15T10:00:00.000Z)。' +
    '入力は YYYY-MM-DDThh:mm[:ss[.sss]] にタイムゾーンが必須で、Z または +09:00 (Asia/Tokyo) などの' +
    'オフセットを付けます (例 2026-01-15T19:00:00+09:00)。UTC で保存します ' +
    '(an instant as an RFC 3339 date-time: output is always UTC with milliseconds, ' +
    'e.g. 2026-01-15T10:00:00.000Z; input must carry Z or an offset such as +09:00 for ' +
    'Asia/Tokyo, e.g. 2026-01-15T19:00:00+09:00; stored as UTC)',
  ...specifiedBy(SCALAR_SPECIFICATIONS.DateTime),
  serialize: (value) => {
    const date = value instanceof Date ? value : new Date(value as string);
    if (Number.isNaN(date.getTime()))
      throw new GraphQLError('DateTime を出力できません (invalid DateTime)');
    return date.toISOString();
  },
  parseValue: (value) => parseInstant(value),
  parseLiteral: (ast) => parseInstant(ast.kind === Kind.STRING ? ast.value : undefined, ast),
});

/** A calendar date (YYYY-MM-DD), e.g. the day a space opened. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description:
    '日付 — RFC 3339 の full-date (ISO 8601 の暦日 YYYY-MM-DD)。時刻もタイムゾーンも持たず、' +
    '日本 (Asia/Tokyo) の暦日として扱います (例 2026-04-01) ' +
    '(a calendar date as an RFC 3339 full-date, ISO 8601 YYYY-MM-DD, with no time or zone: ' +
    'a day in Japan, Asia/Tokyo, e.g. 2026-04-01)',
  ...specifiedBy(SCALAR_SPECIFICATIONS.Date),
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value)),
  parseValue: (value) => parseDate(value),
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined, ast),
});

/**
 * The error for a value a scalar cannot accept. For an inline literal, `node` is the literal:
 * graphql-js reports the error as a validation error, and the error formatter uses the node to
 * turn it back into BAD_USER_INPUT naming the argument (errors.ts), as for a variable.
 */
export function scalarInputError(message: string, node?: ValueNode): GraphQLError {
  return new GraphQLError(message, { nodes: node, extensions: { code: 'BAD_USER_INPUT' } });
}

function parseInstant(value: unknown, node?: ValueNode): Date {
  const date = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  // An offset is required: a bare local time would be read in the server's timezone.
  const hasOffset = typeof value === 'string' && ISO_INSTANT.test(value);
  if (!hasOffset || Number.isNaN(date.getTime())) {
    throw scalarInputError(
      '日時はタイムゾーン付き ISO 8601 で指定してください (例 2026-01-15T19:00:00+09:00) — DateTime must be ISO 8601 with an offset',
      node,
    );
  }
  return date;
}

function parseDate(value: unknown, node?: ValueNode): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const date = new Date(`${value}T00:00:00Z`);
    if (!Number.isNaN(date.getTime()) && date.toISOString().startsWith(value)) return value;
  }
  throw scalarInputError(
    '日付は YYYY-MM-DD 形式で指定してください (Date must be YYYY-MM-DD)',
    node,
  );
}

/**
 * Arbitrary JSON, output only in practice (e.g. a data export). Every subgraph that uses it
 * declares the same name and description, so the supergraph composes.
 */
export const JsonScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  description:
    'JSON の値 — RFC 8259 の JSON (オブジェクト・配列・文字列・数値・真偽値・null)。' +
    '入力に使うときは変数で渡します ' +
    '(a JSON value per RFC 8259: object, array, string, number, boolean or null; ' +
    'as an input, pass it in a variable)',
  ...specifiedBy(SCALAR_SPECIFICATIONS.JSON),
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast) => {
    throw scalarInputError(
      'JSON はリテラルで指定できません; 変数を使ってください (pass JSON as a variable)',
      ast,
    );
  },
});
