/**
 * The caller a signed `x-hub-identity` header speaks for, as a string two fetches can compare.
 *
 * The header is an HS256 JWT the gateway itself signed at admission (identity/forwarded-
 * identity.ts), so it needs no verification here. It cannot be compared as it is: its `iat` and
 * `exp` change whenever the signer renews it (every 20 s per caller), so two requests of one
 * caller can carry different bytes. The key is the `identity` claim alone — the member (with
 * session, roles and staff memberships), the partner key (with scopes and purpose), or `null`
 * for anonymous — so two callers that differ in anything the subgraphs decide on never share.
 *
 * Partners are never merged (the key is `null`): a partner's read of personal data is written
 * to the member's audit log per request (APPI art. 27, the subgraph records it with the
 * request's id), and two reads merged into one call would be logged as one.
 *
 * `clientAddress` is left out on purpose: the subgraphs read it only in the sign-in and sign-up
 * mutations (throttling), and mutations are never merged (deduplicating-data-source.ts).
 * Anonymous readers at different addresses therefore share, which is the point of merging.
 */
export type CallerKeyOf = (identityHeader: string | undefined) => string | null;

/** Anonymous: no header (never sent by this gateway, but a fetch without one is anonymous). */
export const ANONYMOUS_CALLER_KEY = 'null';

export function createCallerKeyOf(maxEntries = 10_000): CallerKeyOf {
  // The signer reuses one header string per caller for 20 s: decoding it once is enough.
  const known = new Map<string, string | null>();
  return (header) => {
    if (header === undefined) return ANONYMOUS_CALLER_KEY;
    const cached = known.get(header);
    if (cached !== undefined) return cached;
    const key = decodeCallerKey(header);
    if (known.size >= maxEntries) known.clear();
    known.set(header, key);
    return key;
  };
}

function decodeCallerKey(header: string): string | null {
  const payload = header.split('.')[1];
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
    if (typeof claims === 'object' && claims !== null && 'identity' in claims) {
      const { identity } = claims;
      if (typeof identity === 'object' && identity !== null && 'kind' in identity) {
        if (identity.kind === 'partner') return null;
      }
      return JSON.stringify(identity);
    }
  } catch {
    // Unreadable: keyed by its bytes below.
  }
  // Not one of ours (cannot happen for headers this gateway signs): the whole header is the
  // key, so such a fetch is shared only with a byte-identical one.
  return `raw:${header}`;
}
