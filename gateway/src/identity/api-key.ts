import { createHash } from 'node:crypto';
import { type PartnerIdentity, VERIFY_API_KEY_PATH, ZPartnerIdentity } from '@hub/identity';
import { GATEWAY_CREDENTIAL_HEADER, REQUEST_ID_HEADER } from '@hub/service-kit';
import { type Dispatcher, request } from 'undici';
import { z } from 'zod';
import { CallerError, type CallerErrorCode, identityUnavailable } from './caller-error.js';
import { ExpiringLru } from './expiring-lru.js';

/** A key members vouched for: who the partner is, and how fast it may call. */
export type VerifiedApiKey = { identity: PartnerIdentity; rateLimitPerMinute: number };

export type ApiKeyVerifierOptions = {
  /** Any URL on the members server (its GraphQL URL will do). */
  membersUrl: string;
  dispatcher: Dispatcher;
  gatewaySecret: string;
  timeoutMs: number;
  /**
   * How long members' answer (valid, revoked, expired, unknown, no longer a partner) is
   * reused. A revocation, expiry or withdrawn partner status therefore reaches this gateway
   * process within this time (≤ 10 s, GATEWAY_API_KEY_CACHE_TTL_MS).
   */
  cacheTtlMs: number;
  cacheMaxEntries: number;
};

export type ApiKeyVerifier = {
  /** Members' verdict on a key, from memory when recent; throws CallerError (401 / 503). */
  verify(key: string, requestId?: string): Promise<VerifiedApiKey>;
  isCached(key: string): boolean;
};

// Members' 200 body (`VerifiedApiKey` of its api-key-verification.ts).
const ZVerifyAnswer = z.object({
  keyId: ZPartnerIdentity.shape.keyId,
  organizationId: ZPartnerIdentity.shape.organizationId,
  scopes: ZPartnerIdentity.shape.scopes,
  purpose: ZPartnerIdentity.shape.purpose,
  rateLimitPerMinute: z.number().int().positive(),
});
// NOT_A_PARTNER / OUTSIDE_PARTNER_CEILING: the key's organisation is no longer a partner, or
// its ceiling was lowered below the key (docs/identity.md, "Partners").
const REFUSAL_CODES = [
  'UNAUTHENTICATED',
  'API_KEY_REVOKED',
  'API_KEY_EXPIRED',
  'NOT_A_PARTNER',
  'OUTSIDE_PARTNER_CEILING',
] as const;
type RefusalCode = (typeof REFUSAL_CODES)[number] & CallerErrorCode;
const ZRefusal = z.object({ code: z.enum(REFUSAL_CODES) });

type Verdict = { ok: true; key: VerifiedApiKey } | { ok: false; code: RefusalCode };

// Members' other verdicts read as the caller errors do; only "unknown" names the key.
const UNKNOWN_KEY_MESSAGE = 'API キーが無効です (invalid API key)';

/**
 * Asks members about partner keys and caches each verdict — refusals too, so a revoked key
 * hammering the gateway costs members one lookup per TTL. Concurrent requests with the same
 * uncached key share one lookup. Keys are held by their SHA-256, never in clear.
 */
export function createApiKeyVerifier(options: ApiKeyVerifierOptions): ApiKeyVerifier {
  const url = new URL(VERIFY_API_KEY_PATH, options.membersUrl);
  const cache = new ExpiringLru<Verdict>(options.cacheMaxEntries);
  const inFlight = new Map<string, Promise<Verdict>>();

  const lookUp = async (key: string, requestId: string | undefined): Promise<Verdict> => {
    let status: number;
    let body: unknown;
    try {
      const response = await request(url, {
        dispatcher: options.dispatcher,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [GATEWAY_CREDENTIAL_HEADER]: options.gatewaySecret,
          ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}),
        },
        body: JSON.stringify({ key }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      status = response.statusCode;
      body = await response.body.json().catch(() => undefined);
    } catch (error) {
      throw identityUnavailable('members key verification unreachable', error);
    }
    if (status === 200) {
      const answer = ZVerifyAnswer.safeParse(body);
      if (!answer.success) {
        throw identityUnavailable(
          `members key verification answered an unusable key: ${answer.error.message}`,
        );
      }
      const { rateLimitPerMinute, ...partner } = answer.data;
      return { ok: true, key: { identity: { kind: 'partner', ...partner }, rateLimitPerMinute } };
    }
    // Only members' own verdict counts: a 401 without it (e.g. our credential refused) is not
    // a judgement on the key.
    const refusal = status === 401 ? ZRefusal.safeParse(body) : undefined;
    if (refusal?.success) return { ok: false, code: refusal.data.code };
    throw identityUnavailable(`members key verification answered ${status}`);
  };

  return {
    isCached: (key) => cache.has(hashOf(key)),
    async verify(key, requestId) {
      const hash = hashOf(key);
      let verdict = cache.get(hash);
      if (!verdict) {
        let pending = inFlight.get(hash);
        if (!pending) {
          pending = lookUp(key, requestId)
            .then((fresh) => {
              cache.set(hash, fresh, Date.now() + options.cacheTtlMs);
              return fresh;
            })
            .finally(() => inFlight.delete(hash));
          inFlight.set(hash, pending);
        }
        verdict = await pending;
      }
      if (verdict.ok) return verdict.key;
      throw new CallerError(verdict.code, {
        reason: `members refused the key: ${verdict.code}`,
        ...(verdict.code === 'UNAUTHENTICATED' ? { message: UNKNOWN_KEY_MESSAGE } : {}),
        scheme: 'api-key',
      });
    },
  };
}

function hashOf(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
