import type { IncomingHttpHeaders } from 'node:http';
import { CallerError } from './caller-error.js';

/** What a caller presented: an access token from members, or a partner API key. */
export type Credential = BearerCredential | ApiKeyCredential;
export type BearerCredential = { kind: 'bearer'; token: string };
export type ApiKeyCredential = { kind: 'api-key'; key: string };

export const API_KEY_HEADER = 'x-api-key';

// A compact JWS: three base64url parts (the payload may not be empty for a JWT).
const COMPACT_JWS = /^[\w-]+\.[\w-]+\.[\w-]+$/;
// Access tokens of members are well under 2 KB; anything far bigger is not one of them.
const MAX_TOKEN_LENGTH = 8192;
// `hub_<43 base64url chars>` today (docs/identity.md); the gateway checks only the alphabet and
// a bound so a change of length at members does not need a gateway release, while garbage is
// refused here instead of costing members a lookup.
const API_KEY_SHAPE = /^hub_[\w-]{16,196}$/;

const MALFORMED_AUTHORIZATION =
  'Authorization ヘッダーの形式が正しくありません (malformed Authorization header)';

/**
 * Reads the caller's credential from the request headers: `Authorization: Bearer <jwt>`,
 * `X-Api-Key: <key>` or `Authorization: ApiKey <key>`. Null means anonymous. A header that is
 * present but unusable (unknown scheme, malformed value, two different credentials) is a
 * CallerError: a caller who tried to authenticate must never be served as anonymous.
 */
export function readCredential(headers: IncomingHttpHeaders): Credential | null {
  const authorization = headers.authorization;
  const apiKeyHeader = headers[API_KEY_HEADER];
  const fromAuthorization = authorization === undefined ? null : parseAuthorization(authorization);
  const fromApiKeyHeader =
    apiKeyHeader === undefined ? null : apiKeyCredential(singleValue(apiKeyHeader));

  if (fromAuthorization && fromApiKeyHeader) {
    const isSameKey =
      fromAuthorization.kind === 'api-key' && fromAuthorization.key === fromApiKeyHeader.key;
    if (!isSameKey) {
      throw new CallerError('UNAUTHENTICATED', {
        reason: 'two credentials',
        message:
          'アクセストークンと API キーはどちらか一方だけを指定してください (send one credential, not two)',
      });
    }
  }
  return fromAuthorization ?? fromApiKeyHeader;
}

function parseAuthorization(header: string): Credential {
  const match = /^([A-Za-z]+) +(\S+)\s*$/.exec(header);
  if (!match) {
    throw new CallerError('UNAUTHENTICATED', {
      reason: 'malformed authorization header',
      message: MALFORMED_AUTHORIZATION,
    });
  }
  const scheme = match[1]!.toLowerCase();
  const value = match[2]!;
  if (scheme === 'bearer') {
    if (value.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(value)) {
      throw new CallerError('UNAUTHENTICATED', {
        reason: 'bearer token is not a compact JWS',
        message: 'アクセストークンが無効です (invalid access token)',
        scheme: 'bearer',
      });
    }
    return { kind: 'bearer', token: value };
  }
  if (scheme === 'apikey') return apiKeyCredential(value);
  throw new CallerError('UNAUTHENTICATED', {
    reason: `unsupported authorization scheme ${scheme.slice(0, 20)}`,
    message:
      '対応していない認証方式です。Bearer または ApiKey を使用してください (unsupported authorization scheme: use Bearer or ApiKey)',
  });
}

function apiKeyCredential(value: string): ApiKeyCredential {
  const key = value.trim();
  if (!API_KEY_SHAPE.test(key)) {
    throw new CallerError('UNAUTHENTICATED', {
      reason: 'api key has not the shape of a hub key',
      message: 'API キーが無効です (invalid API key)',
      scheme: 'api-key',
    });
  }
  return { kind: 'api-key', key };
}

function singleValue(value: string | string[]): string {
  // Node joins repeated unknown headers with ", ", which no key contains: two keys are refused.
  return Array.isArray(value) ? value.join(', ') : value;
}
