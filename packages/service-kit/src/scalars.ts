import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { ISO_INSTANT } from './input.js';

/** An instant, as an ISO-8601 string in UTC (clients render it in Asia/Tokyo). */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: '日時 (ISO 8601, UTC で保存; 例 2026-01-15T10:00:00.000Z) — an instant in time',
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
  description: '日付 (YYYY-MM-DD) — a calendar date',
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
  description: 'JSON の値 (a JSON value)',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast) => {
    throw scalarInputError(
      'JSON はリテラルで指定できません; 変数を使ってください (pass JSON as a variable)',
      ast,
    );
  },
});
