import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** Codes the gateway itself gives clients, beside the ones Apollo and the subgraphs give. */
export const GATEWAY_ERROR_CODES = [
  'SUBGRAPH_UNAVAILABLE',
  'SUBGRAPH_TIMEOUT',
  'INTERNAL_SERVER_ERROR',
  // Requests the gateway cannot run (operation-guard.ts, persisted-query-check.ts).
  'OPERATION_NOT_FOUND',
  'OPERATION_NAME_REQUIRED',
  'SUBSCRIPTIONS_NOT_SUPPORTED',
  'PERSISTED_QUERY_HASH_MISMATCH',
] as const;
export type GatewayErrorCode = (typeof GATEWAY_ERROR_CODES)[number];

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

// Request-shape errors Apollo produces at the gateway (parse, validation incl. the operation
// limits, CSRF, bad HTTP input, APQ): they describe the client's request, not our internals.
const GATEWAY_CLIENT_CODES = new Set<string>([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_NOT_FOUND',
  'OPERATION_NAME_REQUIRED',
  'SUBSCRIPTIONS_NOT_SUPPORTED',
]);

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
    const tokenLimit = TOKEN_LIMIT_MESSAGE.exec(formatted.message)?.[1];
    if (tokenLimit && extensions.code === 'GRAPHQL_PARSE_FAILED') {
      // Every operation-limit violation carries the same code, whichever mechanism caught it.
      return {
        message: `Syntax Error: Token limit of ${tokenLimit} exceeded.`,
        extensions: { ...extensions, code: 'GRAPHQL_VALIDATION_FAILED' },
      };
    }
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
