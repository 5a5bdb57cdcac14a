import type { IncomingMessage } from 'node:http';
import type { ErrorEntry } from './http/error-response.js';
import type { Caller, CallerResolver } from './identity/caller.js';
import { CallerError } from './identity/caller-error.js';
import { clientAddressOf } from './identity/client-address.js';
import { readCredential } from './identity/credentials.js';
import {
  createForwardedIdentitySigner,
  FORWARDED_IDENTITY_REUSE_MS,
} from './identity/forwarded-identity.js';
import { rateLimitedResponse, rateLimitHeaders } from './rate-limit/rate-limit-response.js';
import type { RateLimits } from './rate-limit/rate-limits.js';
import type { RateLimitDecision } from './rate-limit/token-bucket-limiter.js';

type ErrorBody = { errors: ErrorEntry[] };

/** Whether a `/graphql` request may run, decided from its headers before its body is read. */
export type Admission =
  | {
      isAdmitted: true;
      caller: Caller;
      clientAddress: string | null;
      /** The signed `x-hub-identity` value for every subgraph call of this request. */
      forwardedIdentity: string;
      headers: Record<string, string>;
    }
  | {
      isAdmitted: false;
      status: 401 | 429 | 503;
      headers: Record<string, string>;
      body: ErrorBody;
      code: string;
      /** For the log: why, never the credential. */
      reason: string;
      cause?: unknown;
    };

export type RequestAdmissionOptions = {
  resolver: CallerResolver;
  rateLimits: RateLimits;
  gatewaySecret: string;
  trustProxy: boolean;
};

/**
 * Who is calling (verified), whether they are within their rate limit, and the identity header
 * the subgraphs will trust. A request is refused before any subgraph is called when its
 * credential does not verify (401), members cannot be asked (503) or its limit is spent (429).
 *
 * Failed authentications are counted per client address; past that budget they are answered
 * 429 instead of 401, and an API key not already known is refused without asking members, so a
 * stream of made-up keys cannot become a stream of lookups there. Known keys still pass, and
 * access tokens are always checked (locally, no call to members): an attacker sharing a NAT
 * with members cannot lock them out.
 */
export function createRequestAdmission(options: RequestAdmissionOptions) {
  const { resolver, rateLimits } = options;
  const signForwarded = createForwardedIdentitySigner({
    gatewaySecret: options.gatewaySecret,
    reuseMs: FORWARDED_IDENTITY_REUSE_MS,
    maxEntries: 10_000,
  });

  return async function admit(
    request: Pick<IncomingMessage, 'headers' | 'socket'>,
    requestId?: string,
  ): Promise<Admission> {
    const clientAddress = clientAddressOf(request, { trustProxy: options.trustProxy });
    let caller: Caller;
    try {
      const credential = readCredential(request.headers);
      if (credential?.kind === 'api-key' && !resolver.isCached(credential)) {
        const failures = rateLimits.peekFailures(clientAddress);
        if (!failures.isAllowed) {
          return refusedForRate(failures, 'address spent its failed-authentication budget');
        }
      }
      caller = await resolver.resolveCredential(credential, requestId);
    } catch (error) {
      if (!(error instanceof CallerError)) throw error;
      if (error.status === 503) {
        return refused(error, rateLimitHeaders(rateLimits.peekFailures(clientAddress)), requestId);
      }
      const charge = rateLimits.chargeFailure(clientAddress);
      if (!charge.isAllowed)
        return refusedForRate(charge, `failed authentication: ${error.reason}`);
      return refused(error, rateLimitHeaders(charge));
    }

    const decision = rateLimits.consume(caller, clientAddress);
    if (!decision.isAllowed) return refusedForRate(decision, `${caller.kind} over its limit`);
    const forwardedIdentity = await signForwarded({
      identity: caller.identity,
      clientAddress,
    });
    return {
      isAdmitted: true,
      caller,
      clientAddress,
      forwardedIdentity,
      headers: rateLimitHeaders(decision),
    };
  };
}

function refused(
  error: CallerError,
  headers: Record<string, string>,
  requestId?: string,
): Admission {
  // A 503 is our failure, not the caller's: it carries the request id to quote, like the others.
  const extensions =
    error.status === 503 && requestId ? { code: error.code, requestId } : { code: error.code };
  return {
    isAdmitted: false,
    status: error.status,
    headers: {
      ...headers,
      ...(error.scheme === 'bearer'
        ? { 'www-authenticate': 'Bearer realm="coworking-hub", error="invalid_token"' }
        : {}),
      ...(error.status === 503 ? { 'retry-after': '5' } : {}),
    },
    body: { errors: [{ message: error.message, extensions }] },
    code: error.code,
    reason: error.reason,
    cause: error.cause,
  };
}

function refusedForRate(decision: RateLimitDecision, reason: string): Admission {
  const response = rateLimitedResponse(decision);
  return { isAdmitted: false, ...response, code: 'RATE_LIMITED', reason };
}
