import type { IncomingHttpHeaders } from 'node:http';
import { REQUEST_ID_HEADER } from '@hub/service-kit';
import { z } from 'zod';
import { CACHE_STATUS_HEADER } from '../cache/response-cache-plugin.js';

/**
 * What the run command (`npm start`) allows when CORS_ALLOWED_ORIGINS is not set: pages served
 * from this machine on any port, so a front end's dev server works with no setup. The
 * standalone gateway allows no other origin unless configured.
 */
export const LOCAL_DEVELOPMENT_ORIGINS = [
  'http://localhost:*',
  'http://127.0.0.1:*',
  'http://[::1]:*',
] as const;

/**
 * Request headers a browser may send cross-origin. Clients send these: Apollo Client (its CSRF
 * and client-awareness headers), credentials (bearer tokens, partner keys), a request id to
 * correlate logs. `content-type: application/json` itself always needs a preflight.
 */
export const CORS_ALLOWED_HEADERS = [
  'accept',
  'content-type',
  'authorization',
  'x-api-key',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
  REQUEST_ID_HEADER,
] as const;

/**
 * Response headers a page's script may read: the rate-limit state (to slow down before a 429),
 * when to retry, why a token was refused, the request id to quote to support, and whether the
 * answer came from the gateway's response cache.
 */
export const CORS_EXPOSED_HEADERS = [
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'retry-after',
  'www-authenticate',
  REQUEST_ID_HEADER,
  CACHE_STATUS_HEADER,
] as const;

/** How long a browser may reuse a preflight answer, in seconds (Chromium caps it at 7200). */
export const CORS_MAX_AGE_SECONDS = 600;

const ANY_PORT = ':*';

/**
 * One entry of CORS_ALLOWED_ORIGINS, normalised: an exact origin (`https://app.example.jp`,
 * `http://localhost:5173`) or every port of one scheme and host (`http://localhost:*`). A bare
 * `*`, `null`, paths and other wildcards are refused: each partner's page is listed by name.
 */
export function normaliseAllowedOrigin(entry: string): string {
  const trimmed = entry.trim();
  const isAnyPort = trimmed.endsWith(ANY_PORT);
  const base = isAnyPort ? trimmed.slice(0, -ANY_PORT.length) : trimmed;
  const url = URL.parse(base);
  const isOrigin =
    url !== null &&
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.username === '' &&
    url.password === '' &&
    url.pathname === '/' &&
    url.search === '' &&
    url.hash === '' &&
    // `http://host:8080/` is an origin with a path; only `http://host:8080` is the origin.
    !base.endsWith('/') &&
    !url.hostname.includes('*');
  if (!isOrigin || (isAnyPort && url.port !== '')) {
    throw new Error(
      `"${trimmed}" is not an origin: write scheme://host[:port] (e.g. https://app.example.jp) or scheme://host:* for any port`,
    );
  }
  return isAnyPort ? `${url.protocol}//${url.hostname}${ANY_PORT}` : url.origin;
}

/** CORS_ALLOWED_ORIGINS: comma-separated origins (see normaliseAllowedOrigin); empty = none. */
export const zCorsAllowedOrigins = z.string().transform((value, context) => {
  const origins: string[] = [];
  for (const entry of value.split(',')) {
    if (entry.trim() === '') continue;
    try {
      origins.push(normaliseAllowedOrigin(entry));
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  }
  return origins;
});

/**
 * Whether a request is cross-origin and allowed. `none`: no `Origin` header (a server, curl,
 * Node) or the gateway's own origin (GraphiQL at `/`); `allowed` / `refused`: a page on another
 * origin. An `Origin` that is no origin (`null` from a sandboxed frame or a file) is refused.
 */
export type CorsDecision =
  | { kind: 'none' }
  | { kind: 'allowed'; origin: string }
  | { kind: 'refused'; origin: string };

export type CorsPolicy = {
  decide(headers: IncomingHttpHeaders): CorsDecision;
  /** Headers of every answer to an allowed origin (the preflight adds its own). */
  responseHeaders(decision: CorsDecision): Record<string, string>;
  /** The answer to an allowed preflight, beside responseHeaders. */
  preflightHeaders(): Record<string, string>;
};

/** `allowedOrigins`: normalised entries (zCorsAllowedOrigins), or raw ones, normalised here. */
export function createCorsPolicy(allowedOrigins: readonly string[]): CorsPolicy {
  const normalised = allowedOrigins.map(normaliseAllowedOrigin);
  const exact = new Set(normalised.filter((origin) => !origin.endsWith(ANY_PORT)));
  const anyPort = new Set(normalised.filter((origin) => origin.endsWith(ANY_PORT)));

  const isAllowed = (origin: URL) =>
    exact.has(origin.origin) || anyPort.has(`${origin.protocol}//${origin.hostname}${ANY_PORT}`);

  return {
    decide(headers) {
      const given = headers.origin;
      if (given === undefined) return { kind: 'none' };
      const url = URL.parse(given);
      if (url === null || url.origin === 'null') return { kind: 'refused', origin: given };
      // A browser sets both headers itself: a page cannot claim the gateway's host as its origin.
      if (url.host === headers.host) return { kind: 'none' };
      return isAllowed(url)
        ? { kind: 'allowed', origin: url.origin }
        : { kind: 'refused', origin: given };
    },
    responseHeaders(decision) {
      // Caches must not serve one origin's answer (with its allow-origin) to another.
      const vary = { vary: 'origin' };
      if (decision.kind !== 'allowed') return vary;
      return {
        ...vary,
        'access-control-allow-origin': decision.origin,
        'access-control-expose-headers': CORS_EXPOSED_HEADERS.join(', '),
      };
    },
    preflightHeaders() {
      return {
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': CORS_ALLOWED_HEADERS.join(', '),
        'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
      };
    },
  };
}

/** A CORS preflight: OPTIONS naming the method the page wants to use. */
export function isPreflight(method: string | undefined, headers: IncomingHttpHeaders): boolean {
  return method === 'OPTIONS' && headers['access-control-request-method'] !== undefined;
}
