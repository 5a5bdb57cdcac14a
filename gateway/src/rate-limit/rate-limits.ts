import type { Caller } from '../identity/caller.js';
import { type RateLimitDecision, TokenBucketLimiter } from './token-bucket-limiter.js';

export type RateLimitOptions = {
  /** Per client address (an IPv6 /64), for callers without a credential. */
  anonymousPerMinute: number;
  /** Per signed-in member, whatever address they call from. */
  memberPerMinute: number;
  /**
   * Per client address, for requests whose credential did not verify. Once spent, the
   * address's credentials not already known are refused unchecked.
   */
  failedAuthenticationsPerMinute: number;
  /** Most clients tracked per kind; the least recently seen is forgotten beyond it. */
  maxTrackedClients: number;
};

export const DEFAULT_RATE_LIMITS: RateLimitOptions = {
  anonymousPerMinute: 300,
  memberPerMinute: 1200,
  failedAuthenticationsPerMinute: 60,
  maxTrackedClients: 100_000,
};

export type RateLimits = {
  /** Counts one request of a verified caller against its own limit. */
  consume(caller: Caller, clientAddress: string | null): RateLimitDecision;
  /** Counts a failed authentication against the client address. */
  chargeFailure(clientAddress: string | null): RateLimitDecision;
  /** The address's budget of failed authentications, untouched. */
  peekFailures(clientAddress: string | null): RateLimitDecision;
};

/**
 * The gateway's limits, in memory of this process: with N gateway processes behind a load
 * balancer a client gets up to N times each limit. Partners are limited per key (their key's
 * own limit), members per member, anonymous callers per address.
 */
export function createRateLimits(options: RateLimitOptions): RateLimits {
  const byAddress = new TokenBucketLimiter(options.maxTrackedClients);
  const byMember = new TokenBucketLimiter(options.maxTrackedClients);
  const byApiKey = new TokenBucketLimiter(options.maxTrackedClients);
  const failuresByAddress = new TokenBucketLimiter(options.maxTrackedClients);
  return {
    consume(caller, clientAddress) {
      switch (caller.kind) {
        case 'member':
          return byMember.consume(caller.identity.memberId, options.memberPerMinute);
        case 'partner':
          return byApiKey.consume(caller.identity.keyId, caller.rateLimitPerMinute);
        case 'anonymous':
          return byAddress.consume(addressKey(clientAddress), options.anonymousPerMinute);
      }
    },
    chargeFailure: (clientAddress) =>
      failuresByAddress.consume(addressKey(clientAddress), options.failedAuthenticationsPerMinute),
    peekFailures: (clientAddress) =>
      failuresByAddress.peek(addressKey(clientAddress), options.failedAuthenticationsPerMinute),
  };
}

/**
 * The bucket of an address: an IPv4 address is one client, but an IPv6 client usually holds a
 * whole /64 and could otherwise take a fresh bucket per address.
 */
export function addressKey(address: string | null): string {
  if (!address) return 'unknown';
  if (!address.includes(':') || address.includes('.')) return address;
  const [head = '', tail] = address.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(Math.max(0, missing)).fill('0'), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}
