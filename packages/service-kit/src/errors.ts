import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** The closed set of error codes clients may rely on (`extensions.code`). */
export const APP_ERROR_CODES = [
  'BAD_USER_INPUT',
  'INVALID_MUNICIPALITY_CODE',
  'UNKNOWN_MUNICIPALITY',
  'NOT_FOUND',
  'CONFLICT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  // Identity and partner access (members, gateway).
  'EMAIL_TAKEN',
  'WEAK_PASSWORD',
  'INVALID_CREDENTIALS',
  'ACCOUNT_LOCKED',
  'INVALID_REFRESH_TOKEN',
  'REFRESH_TOKEN_REUSED',
  'INVALID_CORPORATE_NUMBER',
  'UNKNOWN_SKILL',
  'SKILL_LEVEL_OUT_OF_RANGE',
  'INVALID_INVITATION',
  'INVITATION_EXPIRED',
  'API_KEY_REVOKED',
  'API_KEY_EXPIRED',
  'CONSENT_REQUIRED',
  'MEMBER_ERASED',
  'RATE_LIMITED',
  // Partner status (issue 6): the organisation is not (or no longer) a partner; a key or a
  // consent asks for a scope or purpose beyond the partner's ceiling.
  'NOT_A_PARTNER',
  'OUTSIDE_PARTNER_CEILING',
] as const;
export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

/** An error meant for the client: a stable code and a Japanese message (English alongside). */
export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details: { field?: string; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  toGraphQLError(): GraphQLError {
    return new GraphQLError(this.message, {
      extensions: { code: this.code, ...this.details },
    });
  }
}

// Codes Apollo/graphql-js produce for malformed requests: safe to show as they are.
const CLIENT_FACING_CODES = new Set<string>([
  ...APP_ERROR_CODES,
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

export const INTERNAL_ERROR_MESSAGE = '内部エラーが発生しました (internal server error)';

/**
 * Apollo `formatError`: client-facing errors keep their message and code; anything else is
 * an internal failure whose text may leak internals, so it becomes a generic message
 * (except in development, where seeing the cause saves time).
 */
export function createErrorFormatter(options: {
  isDevelopment: boolean;
  onInternalError?: (error: unknown) => void;
}) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    if (original instanceof AppError) {
      return {
        message: original.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: original.code, ...original.details },
      };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_FACING_CODES.has(code)) {
      const { stacktrace: _dropped, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    options.onInternalError?.(original);
    return {
      message: options.isDevelopment ? formatted.message : INTERNAL_ERROR_MESSAGE,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
