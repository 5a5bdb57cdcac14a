/** Codes a refused caller gets; the key codes are members' verdicts on a partner API key. */
export type CallerErrorCode =
  | 'UNAUTHENTICATED'
  | 'API_KEY_REVOKED'
  | 'API_KEY_EXPIRED'
  | 'NOT_A_PARTNER'
  | 'OUTSIDE_PARTNER_CEILING'
  | 'IDENTITY_UNAVAILABLE';

const MESSAGES: Record<CallerErrorCode, string> = {
  UNAUTHENTICATED: '認証情報が無効です (invalid credentials)',
  API_KEY_REVOKED: 'API キーは失効しています (API key revoked)',
  API_KEY_EXPIRED: 'API キーの有効期限が切れています (API key expired)',
  NOT_A_PARTNER:
    'API キーの組織はパートナーではありません (the key’s organisation is not a partner)',
  OUTSIDE_PARTNER_CEILING:
    'API キーの権限・利用目的がパートナーの範囲を超えています (the key is beyond its partner’s ceiling)',
  IDENTITY_UNAVAILABLE:
    '認証サービスに接続できません。しばらくしてから再試行してください (identity service unavailable)',
};

/**
 * Why the gateway cannot say who is calling: the request is answered with `status` and the
 * GraphQL-shaped error, never run as anonymous. `reason` is for logs only (never the token).
 */
export class CallerError extends Error {
  readonly status: 401 | 503;
  readonly code: CallerErrorCode;
  readonly reason: string;
  /** Which credential was refused: a bearer refusal carries `WWW-Authenticate` (RFC 6750). */
  readonly scheme: 'bearer' | 'api-key' | null;

  constructor(
    code: CallerErrorCode,
    options: {
      reason: string;
      message?: string;
      scheme?: 'bearer' | 'api-key' | null;
      cause?: unknown;
    },
  ) {
    super(options.message ?? MESSAGES[code], { cause: options.cause });
    this.name = 'CallerError';
    this.code = code;
    this.status = code === 'IDENTITY_UNAVAILABLE' ? 503 : 401;
    this.reason = options.reason;
    this.scheme = options.scheme ?? null;
  }
}

/** The identity service (members) could not be asked, or answered something unusable. */
export function identityUnavailable(reason: string, cause?: unknown): CallerError {
  return new CallerError('IDENTITY_UNAVAILABLE', { reason, cause });
}
