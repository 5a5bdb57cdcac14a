import { scalarLiteralErrorOf } from '@hub/service-kit';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { LIMIT_ERROR_CODES, limitErrorOf, limitExceededError } from './limit-errors.js';

/**
 * Codes of the gateway's answers to a client's mistake (always HTTP 4xx, never reaching a
 * subgraph), beside the subgraphs' own codes and the callers' (UNAUTHENTICATED, RATE_LIMITED, …).
 */
export const GATEWAY_CLIENT_ERROR_CODES = [
  // Apollo Server's request-shape codes: parse, validation, bad HTTP input, APQ.
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  // Requests the gateway cannot run (operation-guard.ts, persisted-query-check.ts).
  'OPERATION_NOT_FOUND',
  'OPERATION_NAME_REQUIRED',
  'SUBSCRIPTIONS_NOT_SUPPORTED',
  'PERSISTED_QUERY_HASH_MISMATCH',
  // Not in the caller's trusted documents (trusted-documents/), in strict mode.
  'OPERATION_NOT_TRUSTED',
  'PERSISTED_QUERY_NOT_ALLOWED',
  // Over an operation limit (limit-errors.ts), or a body over 1 MiB.
  ...Object.values(LIMIT_ERROR_CODES),
  'REQUEST_TOO_LARGE',
  // A page on an origin CORS_ALLOWED_ORIGINS does not list; a path the gateway does not serve.
  'ORIGIN_NOT_ALLOWED',
  'NOT_FOUND',
] as const;
export type GatewayClientErrorCode = (typeof GATEWAY_CLIENT_ERROR_CODES)[number];

export const INTERNAL_ERROR_MESSAGE = '内部エラーが発生しました (internal server error)';

/**
 * Failures on our side. Errors with these codes carry `extensions.requestId` (the `x-request-id`
 * of the response), so a user can quote it and operators find the cause logged under it.
 */
export const SERVER_FAULT_CODES: ReadonlySet<unknown> = new Set([
  'INTERNAL_SERVER_ERROR',
  'SUBGRAPH_UNAVAILABLE',
  'SUBGRAPH_TIMEOUT',
  // A subgraph could not serve for now (its database is unreachable, exhausted or timing out):
  // passed through as it is — it says "try again" — with the request id like the others.
  'SERVICE_UNAVAILABLE',
]);

/** The error of a response that failed inside the gateway, outside Apollo's error formatting. */
export function internalError(requestId: string) {
  return {
    message: INTERNAL_ERROR_MESSAGE,
    extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
  };
}

/** A subgraph could not be reached, refused the gateway, or answered with something unusable. */
export function subgraphUnavailableError(serviceName: string): GraphQLError {
  return new GraphQLError(
    `サービス ${serviceName} に接続できません (service unavailable: ${serviceName})`,
    { extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName } },
  );
}

/** A subgraph did not answer within the gateway's per-call deadline. */
export function subgraphTimeoutError(serviceName: string): GraphQLError {
  return new GraphQLError(
    `サービス ${serviceName} が時間内に応答しませんでした (service timed out: ${serviceName})`,
    { extensions: { code: 'SUBGRAPH_TIMEOUT', serviceName } },
  );
}

const GATEWAY_CLIENT_CODES: ReadonlySet<unknown> = new Set(GATEWAY_CLIENT_ERROR_CODES);

// From a subgraph these mean a failure inside it, or a gateway/subgraph mismatch (the gateway
// already validated the operation): never the caller's business.
const SUBGRAPH_INTERNAL_CODES = new Set<string>([
  'INTERNAL_SERVER_ERROR',
  'DOWNSTREAM_SERVICE_ERROR',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
]);

// Extensions that only ever carry internals (stack traces, raw HTTP responses of subgraphs).
const INTERNAL_EXTENSIONS = new Set(['stacktrace', 'exception', 'response']);

// graphql-js's wording for the `maxTokens` parse option (16.x says "more that"); see
// operation-limits.ts.
const TOKEN_LIMIT_MESSAGE = /^Syntax Error: Document contains more tha[nt] (\d+) tokens/;
// graphql-js's MaxIntrospectionDepthRule (part of the specified rules): at most 3 nested lists.
const INTROSPECTION_DEPTH_MESSAGE = 'Maximum introspection depth exceeded';
const INTROSPECTION_MAX_LISTS = 3;

// By name and text, not `instanceof`: the RangeError may come from another realm (a VM context).
function isStackOverflow(error: unknown, message: string): boolean {
  const original = error instanceof GraphQLError ? error.originalError : error;
  return (original as Error | undefined)?.name === 'RangeError' || /call stack/i.test(message);
}

type ErrorShape = { message: string; extensions?: Record<string, unknown> };

/**
 * Whether an error may reach the client as it is. Subgraph errors (those carrying
 * `serviceName`) pass when they have a stable code of their own; gateway errors pass when they
 * describe the request. Everything else is an internal failure.
 */
export function isClientFacingError(error: ErrorShape): boolean {
  const code = error.extensions?.code;
  if (typeof code !== 'string') return false;
  if (code === 'SUBGRAPH_UNAVAILABLE' || code === 'SUBGRAPH_TIMEOUT') return true;
  if (typeof error.extensions?.serviceName === 'string') return !SUBGRAPH_INTERNAL_CODES.has(code);
  return GATEWAY_CLIENT_CODES.has(code);
}

/**
 * Apollo `formatError`: client-facing errors keep message, path and code (minus internal
 * extensions); anything else becomes a generic INTERNAL_SERVER_ERROR. The request-log plugin
 * logs the original of every masked error with its request id, and adds that id to it.
 * `debugErrors` (HUB_DEBUG on a loopback address only) adds the original message and stack.
 */
export function createGatewayErrorFormatter(options: { debugErrors: boolean }) {
  return (formatted: GraphQLFormattedError, error?: unknown): GraphQLFormattedError => {
    const extensions: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(formatted.extensions ?? {})) {
      if (!INTERNAL_EXTENSIONS.has(key)) extensions[key] = value;
    }
    if (options.debugErrors && formatted.extensions?.stacktrace) {
      extensions.stacktrace = formatted.extensions.stacktrace;
    }
    const limit = limitOf(formatted, error);
    if (limit) {
      // Apollo labels every validation error GRAPHQL_VALIDATION_FAILED (and the parser's token
      // limit a syntax error): the limit's own code and message go back on.
      return {
        message: limit.message,
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        extensions: { ...withoutHttp(limit.extensions) },
      };
    }
    // A custom scalar's refusal of an inline value (custom-scalars.ts): BAD_USER_INPUT naming
    // the argument, as the same value given as a variable gets.
    const literal = scalarLiteralErrorOf(formatted, error);
    if (literal) return literal;
    if (extensions.code === 'GRAPHQL_PARSE_FAILED' && isStackOverflow(error, formatted.message)) {
      // graphql-js parses recursively: a document nested some thousand levels (well under the
      // token limit) overflows the stack, and Apollo reports the RangeError's text as the
      // syntax error. Say what is wrong with the document instead of how the parser failed.
      return {
        message:
          'Syntax Error: 文書の入れ子が深すぎます (the document is nested too deeply to parse)',
        extensions,
      };
    }
    if (isClientFacingError(formatted)) return { ...formatted, extensions };
    return {
      message: INTERNAL_ERROR_MESSAGE,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: {
        code: 'INTERNAL_SERVER_ERROR',
        ...(typeof extensions.serviceName === 'string'
          ? { serviceName: extensions.serviceName }
          : {}),
        ...(options.debugErrors
          ? { originalMessage: formatted.message, stacktrace: extensions.stacktrace }
          : {}),
      },
    };
  };
}

/** The limit error a formatted error stands for, if it is one (limit-errors.ts). */
function limitOf(formatted: GraphQLFormattedError, error: unknown): GraphQLError | null {
  const reported = limitErrorOf(error);
  if (reported) return reported;
  const code = formatted.extensions?.code;
  const tokens = TOKEN_LIMIT_MESSAGE.exec(formatted.message)?.[1];
  if (tokens && code === 'GRAPHQL_PARSE_FAILED') {
    return limitExceededError('tokens', Number(tokens));
  }
  if (formatted.message === INTROSPECTION_DEPTH_MESSAGE && code === 'GRAPHQL_VALIDATION_FAILED') {
    return limitExceededError('introspectionDepth', INTROSPECTION_MAX_LISTS);
  }
  return null;
}

function withoutHttp(extensions: Record<string, unknown>): Record<string, unknown> {
  const { http: _http, ...rest } = extensions;
  return rest;
}
