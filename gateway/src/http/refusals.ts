import type { ErrorEntry } from './error-response.js';

// The errors of requests the gateway refuses at the HTTP level, before any operation runs.

/** A page on an origin CORS_ALLOWED_ORIGINS does not list (HTTP 403). */
export function originNotAllowedError(): ErrorEntry {
  return {
    message:
      'このオリジンのページからは利用できません。管理者に CORS_ALLOWED_ORIGINS への追加を依頼してください (requests from this origin are not allowed: ask the operator to add it to CORS_ALLOWED_ORIGINS)',
    extensions: { code: 'ORIGIN_NOT_ALLOWED' },
  };
}

/** A method other than GET and POST (HTTP 405; OPTIONS only as a CORS preflight). */
export function methodNotAllowedError(): ErrorEntry {
  return {
    message: 'GraphQL は GET または POST で送ってください (send GraphQL requests with GET or POST)',
    extensions: { code: 'BAD_REQUEST' },
  };
}

/** An Accept header admitting no GraphQL media type (HTTP 406). */
export function notAcceptableError(): ErrorEntry {
  return {
    message:
      'Accept に application/graphql-response+json か application/json を含めてください (the Accept header admits neither application/graphql-response+json nor application/json)',
    extensions: { code: 'BAD_REQUEST' },
  };
}

/** A path the gateway does not serve (HTTP 404). */
export function notFoundError(): ErrorEntry {
  return {
    message: 'このパスはありません。API は /graphql です (no such path: the API is at /graphql)',
    extensions: { code: 'NOT_FOUND' },
  };
}

/** A request target that is no URL (HTTP 400). */
export function badRequestTargetError(): ErrorEntry {
  return {
    message: 'リクエストの URL が不正です (malformed request target)',
    extensions: { code: 'BAD_REQUEST' },
  };
}
