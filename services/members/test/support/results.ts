import type { GraphQLResponse } from '@hub/testing';
import pg from 'pg';
import type { MembersHarness } from './harness.js';

/** The code of a response's first error. */
export function codeOf(response: { errors?: { extensions?: Record<string, unknown> }[] }): unknown {
  return response.errors?.[0]?.extensions?.code;
}

/** The code of the error at one path of a response (a refused field among allowed ones). */
export function errorCodeAt(
  response: GraphQLResponse<unknown>,
  path: readonly (string | number)[],
): unknown {
  return response.errors?.find((error) => JSON.stringify(error.path) === JSON.stringify(path))
    ?.extensions?.code;
}

export type OutboxRow = { type: string; payload: { data: Record<string, unknown> } };

/** Outbox events about one subject, oldest first. */
export function outboxOf(harness: MembersHarness, subject: string): Promise<OutboxRow[]> {
  return harness.rows<OutboxRow>(
    'SELECT type, payload FROM outbox_event WHERE subject = $1 ORDER BY occurred_at, id',
    [subject],
  );
}

// The outbox relay's own statements (it shares the service's pool and polls all the time).
const RELAY_STATEMENT = /outbox_event|^\s*(BEGIN|COMMIT|ROLLBACK)\b/i;

/**
 * SQL statements the service runs while `work` runs, not counting the outbox relay's. The
 * kit's queryCount() attributes a statement to whichever async context released the pool
 * connection it waited for, so under contention with the relay it is off by a few; this
 * observes every statement the pg client sends instead.
 */
export async function countStatements<T>(
  work: () => Promise<T>,
): Promise<{ result: T; statements: number }> {
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  let statements = 0;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text;
    if (!RELAY_STATEMENT.test(String(text))) statements += 1;
    return original.apply(this, args);
  };
  try {
    const result = await work();
    return { result, statements };
  } finally {
    prototype.query = original;
  }
}

/** The typed-error members every mutation payload can answer with (`Error` interface). */
export const ERROR_FIELDS = '... on Error { __typename code message messageEn field }';

export type TypedErrorPayload = {
  __typename: string;
  code: string;
  message: string;
  messageEn: string;
  field: string | null;
};

/**
 * The typed error a mutation answered with: asserts there was no `errors[]` entry and that the
 * message is Japanese and messageEn English, then returns the payload for the caller's checks.
 */
export function typedErrorOf(
  response: GraphQLResponse<unknown>,
  mutation: string,
): TypedErrorPayload {
  if (response.errors !== undefined) {
    throw new Error(`expected a typed error, got errors[]: ${JSON.stringify(response.errors)}`);
  }
  const payload = (response.data as Record<string, TypedErrorPayload>)[mutation]!;
  if (!/[ぁ-んァ-ン一-龥]/.test(payload.message) || /[ぁ-んァ-ン一-龥]/.test(payload.messageEn)) {
    throw new Error(
      `expected a Japanese message and an English messageEn: ${JSON.stringify(payload)}`,
    );
  }
  return payload;
}
