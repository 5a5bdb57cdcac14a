import type { ErrorEntry } from '../http/error-response.js';
import type { RateLimitDecision } from './token-bucket-limiter.js';

export const RATE_LIMITED_MESSAGE =
  'リクエストが多すぎます。しばらく待ってから再試行してください (too many requests)';

/** The `RateLimit-*` headers every `/graphql` response carries (IETF draft, delta seconds). */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  return {
    'ratelimit-limit': String(decision.limit),
    'ratelimit-remaining': String(decision.remaining),
    'ratelimit-reset': String(decision.resetSeconds),
  };
}

/** The 429 answer to a refused request: `Retry-After` and a GraphQL-shaped error. */
export function rateLimitedResponse(decision: RateLimitDecision): {
  status: 429;
  headers: Record<string, string>;
  body: { errors: ErrorEntry[] };
} {
  return {
    status: 429,
    headers: {
      ...rateLimitHeaders(decision),
      'retry-after': String(decision.retryAfterSeconds),
    },
    body: {
      errors: [
        {
          message: RATE_LIMITED_MESSAGE,
          extensions: { code: 'RATE_LIMITED', retryAfterSeconds: decision.retryAfterSeconds },
        },
      ],
    },
  };
}
