import { type ForwardedIdentity, signForwardedIdentity } from '@hub/identity';
import { ExpiringLru } from './expiring-lru.js';

export type ForwardedIdentitySignerOptions = {
  gatewaySecret: string;
  /**
   * How long one signed header is reused for the same caller and address. The header is valid
   * for 60 s (@hub/identity); reusing it for at most this long leaves the rest for the request.
   */
  reuseMs: number;
  maxEntries: number;
};

export const FORWARDED_IDENTITY_REUSE_MS = 20_000;

/**
 * Signs `{ identity, clientAddress }` for the subgraphs, reusing a recent signature for the
 * same pair: every request needs one, anonymous ones included, and a reused string also keeps
 * the subgraphs' view of one caller identical across the calls of a burst.
 */
export function createForwardedIdentitySigner(
  options: ForwardedIdentitySignerOptions,
): (forwarded: ForwardedIdentity) => Promise<string> {
  const recent = new ExpiringLru<string>(options.maxEntries);
  return async (forwarded) => {
    // The whole content is the key: a refreshed token with other roles gets its own header.
    const key = JSON.stringify([forwarded.identity, forwarded.clientAddress]);
    const reused = recent.get(key);
    if (reused) return reused;
    const signed = await signForwardedIdentity(forwarded, options.gatewaySecret);
    recent.set(key, signed, Date.now() + options.reuseMs);
    return signed;
  };
}
